import { render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RunSummary } from '../../../../src-shared/api/contract';
import { setClient } from '../../../../src-renderer/src/lib/api/client';
import QueuePanel from '../../../../src-renderer/src/lib/runs/QueuePanel.svelte';
import { lab } from '../../../../src-renderer/src/lib/stores/lab.svelte';
import { runSummary } from '../builders';
import { fakeClient } from '../fake-client';

const run = (id: string, over: Partial<RunSummary> = {}): RunSummary => runSummary({ id, name: id, method: 'dis', ...over });

afterEach(() => {
  setClient(null);
  lab.runs = [];
  vi.restoreAllMocks();
  lab.eta = null;
});

describe('QueuePanel', () => {
  const runs = [
    run('now', { status: 'running', step: 25, etaSec: 90, examplesPerSec: 12.5, queuePosition: 0, backend: { name: 'wasm', device: 'CPU, wasm SIMD', versions: {}, notes: [] } }),
    run('second', { queuePosition: 1 }),
    run('third', { queuePosition: 2 }),
  ];

  it('shows progress, throughput, ETA and the backend of each run', () => {
    lab.runs = runs;
    lab.eta = {
      computedAt: new Date().toISOString(),
      runs: [
        { id: 'now', eta: { lowSec: 90, highSec: 90, known: true }, basis: 'measured' },
        { id: 'second', eta: { lowSec: 8 * 60, highSec: 15 * 60, known: false }, basis: '2 earlier runs' },
        { id: 'third', eta: null, basis: 'waits' },
      ],
      total: null,
    };
    lab.etaFetchedAt = Date.now();
    render(QueuePanel);
    const rows = screen.getAllByTestId('queue-row');
    expect(rows.map((r) => within(r).getByRole('link').textContent)).toEqual(['now', 'second', 'third']);
    const first = within(rows[0] as HTMLElement);
    expect(first.getByRole('progressbar')).toHaveAttribute('aria-valuenow', '25');
    expect(first.getByText('step 25/100')).toBeInTheDocument();
    expect(first.getByText('12.5 examples/s')).toBeInTheDocument();
    expect(first.getByTestId('run-eta')).toHaveTextContent('ETA 1 min 30 s');
    expect(within(rows[1] as HTMLElement).getByTestId('run-eta')).toHaveTextContent('ETA 8–15 min');
    expect(within(rows[2] as HTMLElement).getByTestId('run-eta')).toHaveTextContent('ETA unknown until the first steps are measured');
    // the queue's total is the same estimator's: unknown while a run in it is, never "≥ 0 s"
    expect(screen.getByTestId('queue-eta')).toHaveTextContent('all done in unknown until the first steps are measured');
    expect(first.getByText(/wasm · CPU, wasm SIMD/)).toBeInTheDocument();
  });

  it('shows a run paused for a full disk as such, with the reason and that it resumes by itself', () => {
    lab.runs = [run('stuck', { status: 'paused', pausedFor: 'disk-full', error: 'Disk full: only 5.0 MB free on the disk holding /data/runs. Training resumes by itself once there is space again.' })];
    render(QueuePanel);
    const row = within(screen.getByTestId('queue-row'));
    expect(row.getByText('paused: disk full')).toBeInTheDocument();
    expect(row.getByRole('status')).toHaveTextContent(/only 5\.0 MB free.*resumes by itself/);
    expect(row.getByRole('button', { name: 'Resume stuck' })).toBeInTheDocument();
  });

  it('reorders waiting runs with the keyboard-reachable up/down buttons', async () => {
    lab.runs = runs;
    const client = fakeClient({ reorderQueue: () => undefined, systemInfo: () => { throw new Error('offline'); }, listRuns: () => runs });
    setClient(client);
    render(QueuePanel);
    expect(screen.getByRole('button', { name: 'Move second up' })).toBeDisabled();
    await userEvent.click(screen.getByRole('button', { name: 'Move third up' }));
    await waitFor(() => expect(client.calls.find((c) => c.method === 'reorderQueue')?.params).toEqual({ ids: ['third', 'second'] }));
  });

  it('pauses a run through the API', async () => {
    lab.runs = runs;
    const client = fakeClient({ controlRun: () => undefined });
    setClient(client);
    render(QueuePanel);
    await userEvent.click(within(screen.getAllByTestId('queue-row')[0] as HTMLElement).getByRole('button', { name: /^Pause / }));
    expect(client.calls).toContainEqual({ method: 'controlRun', params: { id: 'now', action: 'pause' } });
  });

  it('asks before cancelling a run, and cancels only when confirmed', async () => {
    lab.runs = runs;
    const client = fakeClient({ controlRun: () => undefined });
    setClient(client);
    render(QueuePanel);
    const ask = vi.spyOn(window, 'confirm').mockReturnValueOnce(false).mockReturnValueOnce(true);
    await userEvent.click(screen.getByRole('button', { name: 'Cancel now' }));
    expect(ask).toHaveBeenCalledWith(expect.stringMatching(/^Cancel now\? .*resume it or run it again with changes/));
    expect(client.calls.some((c) => c.method === 'controlRun')).toBe(false);
    await userEvent.click(screen.getByRole('button', { name: 'Cancel now' }));
    await waitFor(() => expect(client.calls.find((c) => c.method === 'controlRun')?.params).toEqual({ id: 'now', action: 'cancel' }));
  });
});
