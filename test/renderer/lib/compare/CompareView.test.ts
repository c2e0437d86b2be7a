import { render, screen, waitFor } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ExternalSolver, RunDetail, SolverScore } from '../../../../src-shared/api/contract';
import type { EvalReport } from '../../../../src-shared/method/protocol';
import { defaultRunConfig } from '../../../../src-shared/method/run-config';
import { reportFromSubmission, scoreSubmission, type Submission } from '../../../../src-shared/puzzle/submission';
import { setClient } from '../../../../src-renderer/src/lib/api/client';
import CompareView from '../../../../src-renderer/src/lib/compare/CompareView.svelte';
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
    render(CompareView, { a: 'run-1', b: 'ext-1' });
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
