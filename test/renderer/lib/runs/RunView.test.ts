import { render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RunDetail } from '../../../../src-shared/api/contract';
import { defaultRunConfig } from '../../../../src-shared/method/run-config';
import { setClient } from '../../../../src-renderer/src/lib/api/client';
import RunView from '../../../../src-renderer/src/lib/runs/RunView.svelte';
import { lab } from '../../../../src-renderer/src/lib/stores/lab.svelte';
import { runSummary } from '../builders';
import { fakeClient } from '../fake-client';

// uPlot (the curves) reads the pixel ratio through matchMedia when it loads; jsdom has none
vi.hoisted(() => {
  window.matchMedia ??= ((media: string) => ({ matches: false, media, onchange: null, addListener() {}, removeListener() {}, addEventListener() {}, removeEventListener() {}, dispatchEvent: () => false })) as typeof window.matchMedia;
});

const task = { id: 'a', train: [{ input: [[1]], output: [[2]] }], test: [{ input: [[1]], output: [[2]] }] };

function client(status: RunDetail['status'], method: 'trm' | 'dis' = 'trm') {
  const detail: RunDetail = { ...runSummary({ id: 'r1', name: 'TRM · x', status, method }), config: defaultRunConfig(method, 'tiny'), trainableParams: 10, lastEval: null };
  return fakeClient({
    getRun: () => detail,
    getMetrics: () => [],
    listEvals: () => [],
    listSnapshots: () => [],
    runTasks: () => [{ taskId: 'a', task, fingerprint: 'f', evaluated: true }],
    humanVsModel: () => ({ subject: { kind: 'run', id: 'r1', name: 'TRM · x' }, columns: [{ key: 'r1', label: 'TRM · x (TRM)' }], rows: [] }),
    controlRun: () => undefined,
  });
}

afterEach(() => {
  setClient(null);
  lab.runs = [];
});

describe('RunView lifecycle', () => {
  it('asks before cancelling a running run, and cancels only when confirmed', async () => {
    const c = client('running');
    setClient(c);
    render(RunView, { id: 'r1' });
    await userEvent.click(await screen.findByRole('button', { name: 'Cancel' }));
    const ask = screen.getByRole('alertdialog', { name: 'Cancel this run?' });
    await userEvent.click(within(ask).getByRole('button', { name: 'Keep it' }));
    expect(c.calls.some((x) => x.method === 'controlRun')).toBe(false);
    await userEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    await userEvent.click(screen.getByRole('button', { name: 'Yes, cancel the run' }));
    await waitFor(() => expect(c.calls.find((x) => x.method === 'controlRun')?.params).toEqual({ id: 'r1', action: 'cancel' }));
  });

  it('offers resume and "run again with changes" for a cancelled run', async () => {
    const c = client('cancelled');
    setClient(c);
    render(RunView, { id: 'r1' });
    await userEvent.click(await screen.findByRole('button', { name: 'Resume' }));
    await waitFor(() => expect(c.calls.find((x) => x.method === 'controlRun')?.params).toEqual({ id: 'r1', action: 'resume' }));
    expect(screen.getByRole('link', { name: 'Run again with changes' })).toHaveAttribute('href', '#/runs/new/r1');
  });

  it('lists only the settings its method uses, and its own tasks with links into the playground', async () => {
    setClient(client('completed', 'trm'));
    const { container } = render(RunView, { id: 'r1' });
    await screen.findByText('Not shown: dis settings, which TRM does not use.');
    const keys = [...container.querySelectorAll('.cfg td:first-child')].map((td) => td.textContent);
    expect(keys).toContain('halting.enabled');
    expect(keys.some((k) => k?.startsWith('dis.'))).toBe(false);
    expect(await screen.findByRole('link', { name: 'a' })).toHaveAttribute('href', '#/playground/r1/a');
  });

  it('lists no halting settings for a DIS run', async () => {
    setClient(client('completed', 'dis'));
    const { container } = render(RunView, { id: 'r1' });
    await screen.findByText('Not shown: halting settings, which DIS does not use.');
    const keys = [...container.querySelectorAll('.cfg td:first-child')].map((td) => td.textContent);
    expect(keys).toContain('dis.targets');
    expect(keys.some((k) => k?.startsWith('halting.'))).toBe(false);
  });
});
