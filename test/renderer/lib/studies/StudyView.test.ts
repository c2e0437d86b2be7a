import { render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { MetricPoint, StudyDetail } from '../../../../src-shared/api/contract';
import type { EvalReport } from '../../../../src-shared/method/protocol';
import { defaultRunConfig } from '../../../../src-shared/method/run-config';
import { setClient } from '../../../../src-renderer/src/lib/api/client';
import StudyView from '../../../../src-renderer/src/lib/studies/StudyView.svelte';
import { fakeClient } from '../fake-client';

const ev = (step: number, p2: number): EvalReport => ({ step, passAt1: p2, passAt2: p2, passAtK: {}, perStep: [], tasks: [], callsPerExample: 1 });
const cost = (perStep: number): MetricPoint[] => Array.from({ length: 20 }, (_, i) => ({ step: i + 1, wallSec: i + 1, trajectories: 0, forwardEquivalents: (i + 1) * perStep, value: 1 }));
const study: StudyDetail = {
  id: 'study-1',
  name: 'TRM vs DIS',
  methods: ['trm', 'dis'],
  seeds: [0, 1],
  runs: [
    { runId: 't0', method: 'trm', seed: 0 },
    { runId: 't1', method: 'trm', seed: 1 },
    { runId: 'd0', method: 'dis', seed: 0 },
    { runId: 'd1', method: 'dis', seed: 1 },
  ],
  statusCounts: { completed: 4 },
  createdAt: '2026-01-01T00:00:00Z',
  configs: [defaultRunConfig('trm', 'tiny'), defaultRunConfig('dis', 'tiny')],
};
const finals: Record<string, number> = { t0: 0.5, t1: 0.6, d0: 0.8, d1: 0.9 };

afterEach(() => {
  setClient(null);
  vi.restoreAllMocks();
});

describe('StudyView', () => {
  it('bands each method across seeds, states the verdict, and exports CSV and markdown', async () => {
    const client = fakeClient({
      getStudy: () => study,
      listEvals: (q) => [ev(10, finals[q.runId]! / 2), ev(20, finals[q.runId]!)],
      getMetrics: (q) => [{ key: 'lm_loss', points: cost(q.runId.startsWith('t') ? 48 : 18) }],
      humanVsModel: () => ({ subject: { kind: 'study', id: 'study-1', name: 'TRM vs DIS' }, columns: [{ key: 'trm', label: 'TRM (2 seeds)' }, { key: 'dis', label: 'DIS (2 seeds)' }], rows: [] }),
    });
    setClient(client);
    render(StudyView, { id: 'study-1' });
    const verdict = await screen.findByTestId('study-verdict');
    await waitFor(() => expect(verdict).toHaveTextContent('exceeds the seed spread'));
    expect(verdict).toHaveTextContent('DIS used 0.38× the network calls of TRM');
    const chart = screen.getByRole('img', { name: /pass@2 against network calls/ });
    expect(within(chart.parentElement!).getAllByTestId(/^band-/)).toHaveLength(2);
    expect(screen.getByTestId('band-trm').getAttribute('points')?.split(' ')).toHaveLength(4); // 2 evals × (max, min)

    // the data table alternative
    await userEvent.click(screen.getByRole('button', { name: 'Show data table' }));
    expect(screen.getByRole('table', { name: /pass@2 against network calls/ })).toHaveTextContent('55.0%');

    const saved: Array<{ name: string; body: string }> = [];
    vi.spyOn(URL, 'createObjectURL').mockImplementation((b) => {
      void (b as Blob).text().then((body) => saved.push({ name: '', body }));
      return 'blob:x';
    });
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => {});
    await userEvent.click(screen.getByRole('button', { name: 'Export CSV' }));
    await userEvent.click(screen.getByRole('button', { name: 'Export report (markdown)' }));
    await waitFor(() => expect(saved).toHaveLength(2));
    expect(saved.find((s) => s.body.startsWith('method,seed'))?.body.trim().split('\n')).toHaveLength(9);
    expect(saved.find((s) => s.body.startsWith('# TRM vs DIS'))?.body).toContain('## Verdict');

    // the axis switch moves the band's x
    await userEvent.selectOptions(screen.getByLabelText('Cost axis'), 'step');
    expect(screen.getByRole('img', { name: /pass@2 against optimizer steps/ })).toBeInTheDocument();
  });
});
