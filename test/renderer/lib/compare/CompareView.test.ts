import { render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ExternalSolver, RunDetail, SolverScore } from '../../../../src-shared/api/contract';
import type { EvalReport, ProbeSnapshot } from '../../../../src-shared/method/protocol';
import { defaultRunConfig } from '../../../../src-shared/method/run-config';
import { reportFromSubmission, scoreSubmission, type Submission } from '../../../../src-shared/puzzle/submission';
import { setClient } from '../../../../src-renderer/src/lib/api/client';
import CompareView from '../../../../src-renderer/src/lib/compare/CompareView.svelte';
import { runColour } from '../../../../src-renderer/src/lib/compare/run-colours';
import { runSummary } from '../builders';
import { fakeClient } from '../fake-client';

// uPlot (the curves) reads the pixel ratio through matchMedia when it loads; jsdom has none
vi.hoisted(() => {
  window.matchMedia ??= ((media: string) => ({ matches: false, media, onchange: null, addListener() {}, removeListener() {}, addEventListener() {}, removeEventListener() {}, dispatchEvent: () => false })) as typeof window.matchMedia;
});

afterEach(() => setClient(null));

const solver: ExternalSolver = { id: 'ext-1', name: 'llm pipeline', sourceFile: 'llm.json', sha256: 'ab'.repeat(32), taskIds: ['a'], testCount: 1, createdAt: '2026-01-01T00:00:00Z' };
const submission: Submission = { a: [{ attempt_1: [[1]], attempt_2: [[2]] }] };
const score = scoreSubmission(submission, { a: [[[2]]], b: [[[3]]] });
const solverScore: SolverScore = { solver, against: { kind: 'run', id: 'run-1', name: 'trm run' }, score, report: reportFromSubmission(submission, score), unknown: [] };
const evalReport: EvalReport = {
  step: 50,
  passAt1: 0.5,
  passAt2: 0.5,
  passAtK: {},
  perStep: [],
  tasks: [
    { taskId: 'a', testIndex: 0, top: [[[0]]], votes: [3], passAt1: false, passAt2: false },
    { taskId: 'b', testIndex: 0, top: [[[3]]], votes: [2], passAt1: true, passAt2: true },
  ],
  callsPerExample: 3,
};
const detail: RunDetail = { ...runSummary({ id: 'run-1', name: 'trm run', status: 'completed' }), config: defaultRunConfig('trm'), trainableParams: 10, lastEval: evalReport };

describe('compare view with an external solver', () => {
  it('scores the solver against the run, lists it beside the run and says it has no curves or filmstrips', async () => {
    const client = fakeClient({
      listSolvers: () => [solver],
      getRun: () => detail,
      getMetrics: () => [],
      listEvals: () => [evalReport],
      listSnapshots: () => [],
      scoreSolver: () => solverScore,
    });
    setClient(client);
    render(CompareView, { ids: ['run-1', 'ext-1'] });
    await waitFor(() => expect(screen.getByText('both 0 · only A 0 · only B 1 · neither 0')).toBeInTheDocument());
    expect(client.calls.find((c) => c.method === 'scoreSolver')?.params).toEqual({ id: 'ext-1', runId: 'run-1' });
    // the external solver is never asked for curves, evaluations or snapshots
    expect(client.calls.filter((c) => (c.params as { runId?: string; id?: string } | undefined)?.runId === 'ext-1')).toEqual([]);
    expect(screen.getAllByText(/B \(llm pipeline\) is an external solver \(a submission\.json\): attempts only, so it has no curves and no filmstrips\./)).toHaveLength(2);
    expect(screen.getByTestId('official-score')).toHaveTextContent('Official score against run trm run: 50.00% (1/2 test inputs solved over 2 tasks; attempt_1 alone 0.00%)');
    expect(screen.getByText(/Missing: 1 of 2 tasks have no entry and count 0: b\./)).toBeInTheDocument();
    expect(screen.getByRole('option', { name: 'llm pipeline (submission.json)', selected: true })).toBeInTheDocument();
    // mounting the whole view (curves included) is slow on a busy machine; the assertions are what matter
  }, 30_000);
});

describe('compare view of three runs (TRM, DIS, HRM)', () => {
  const methods = ['trm', 'dis', 'trm'] as const;
  const details = ['trm', 'dis', 'hrm'].map((name, i): RunDetail => {
    const config = { ...defaultRunConfig(methods[i] as 'trm' | 'dis'), name, seed: i };
    return { ...runSummary({ id: `r${i}`, name, method: methods[i] as 'trm' | 'dis', status: 'completed' }), config, trainableParams: 10, lastEval: null };
  });
  const point = (step: number, value: number) => ({ step, value, wallSec: step, trajectories: step, forwardEquivalents: step * 3 });
  const probe = (offset: number): ProbeSnapshot => ({
    probe: 0,
    taskId: 'p',
    testIndex: 0,
    encoding: 'arc',
    side: 2,
    input: [2, 3, 4, 5],
    label: [3, 2, 5, 4],
    steps: [1, 2].map(() => ({ tokens: [2 + offset, 3, 4, 5], confidence: [1, 1, 1, 1] })),
  });

  function client() {
    return fakeClient({
      listSolvers: () => [],
      getRun: ({ id }) => details.find((d) => d.id === id) as RunDetail,
      getMetrics: () => [{ key: 'lm_loss', points: [point(1, 2), point(2, 1)] }, { key: 'q_halt_loss', points: [point(1, 0.5), point(2, 0.4)] }],
      listEvals: () => [evalReport],
      listSnapshots: () => [2],
      getSnapshot: ({ runId }) => [probe(Number(runId.slice(1)))],
    });
  }

  it('gives each run one colour in the legend and the filmstrip headers, and a click on a legend entry hides that run', async () => {
    setClient(client());
    render(CompareView, { ids: ['r0', 'r1', 'r2'] });
    await waitFor(() => expect(screen.getAllByTestId('legend-run').map((e) => e.textContent?.trim())).toEqual(['■ A trm', '■ B dis', '■ C hrm']));
    const entries = screen.getAllByTestId('legend-run');
    // the legend sample line has the run's colour; the metric is told apart by line style
    entries.forEach((e, i) => expect(e.querySelector('line')).toHaveAttribute('stroke', runColour(i)));
    const styles = screen.getByLabelText('Line styles in Loss');
    expect(within(styles).getByText('lm_loss').querySelector('line')?.getAttribute('stroke-dasharray')).toBeNull();
    expect(within(styles).getByText('q_halt_loss').querySelector('line')).toHaveAttribute('stroke-dasharray', '7 4');
    // the chart is named and has its data as a table
    const loss = screen.getByRole('figure', { name: /^Loss: 6 series over network calls/ });
    await userEvent.click(within(loss).getByRole('button', { name: 'Show the data table of Loss' }));
    expect(within(loss).getAllByRole('columnheader').map((h) => h.textContent)).toEqual([
      'network calls (forward equivalents)',
      'A trm: lm_loss',
      'B dis: lm_loss',
      'C hrm: lm_loss',
      'A trm: q_halt_loss',
      'B dis: q_halt_loss',
      'C hrm: q_halt_loss',
    ]);
    // hide B: its series leave every chart, the entry says it is off
    await userEvent.click(entries[1] as HTMLElement);
    expect(entries[1]).toHaveAttribute('aria-pressed', 'false');
    expect(screen.getByRole('figure', { name: /^Loss: 4 series/ })).toBeInTheDocument();
    await userEvent.click(entries[1] as HTMLElement);
    expect(screen.getByRole('figure', { name: /^Loss: 6 series/ })).toBeInTheDocument();
    // the filmstrips: one per run, headed in the run's colour; one slider drives all three
    const heads = await screen.findAllByTestId('film-header');
    expect(heads.map((h) => h.textContent)).toEqual(['A: trm', 'B: dis', 'C: hrm']);
    heads.forEach((h, i) => expect(h.getAttribute('style')).toContain(`--run: ${runColour(i)}`));
    expect(screen.getByRole('group', { name: 'C filmstrip' })).toBeInTheDocument();
    // the config diff has one column per run
    const diff = screen.getByRole('region', { name: 'Config differences' });
    expect(within(diff).getAllByRole('columnheader').map((h) => h.textContent)).toEqual(['Setting', 'A', 'B', 'C']);
    expect(within(diff).getByText('seed').parentElement?.textContent).toBe('seed012');
  }, 30_000);
});

describe('the run colours', () => {
  it('keep 3:1 contrast on the dark and the light theme and are all different', async () => {
    const { RUN_COLOURS, contrast } = await import('../../../../src-renderer/src/lib/compare/run-colours');
    for (const c of RUN_COLOURS) {
      expect(contrast(c, '#0d1117')).toBeGreaterThanOrEqual(3);
      expect(contrast(c, '#ffffff')).toBeGreaterThanOrEqual(3);
    }
    expect(new Set(RUN_COLOURS).size).toBe(RUN_COLOURS.length);
  });
});
