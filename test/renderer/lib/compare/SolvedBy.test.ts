import { render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { EvalReport, TaskEvalResult } from '../../../../src-shared/method/protocol';
import { reportFromSubmission, scoreSubmission, type Submission } from '../../../../src-shared/puzzle/submission';
import type { Grid, Task } from '../../../../src-shared/puzzle/types';
import SolvedBy from '../../../../src-renderer/src/lib/compare/SolvedBy.svelte';

const RIGHT: Grid = [[1, 2], [3, 4]];
const WRONG: Grid = [[9]];
const OTHER: Grid = [[5, 5]];
const t = (taskId: string, top: Grid[], passAt2: boolean, testIndex = 0): TaskEvalResult => ({ taskId, testIndex, top, votes: top.map((_, i) => 5 - i), passAt1: passAt2 && top[0] === RIGHT, passAt2 });
const report = (step: number, tasks: TaskEvalResult[]): EvalReport => ({ step, passAt1: 0, passAt2: 0.5, passAtK: {}, perStep: [], tasks, callsPerExample: 3 });
const task = (id: string): Task => ({ id, train: [{ input: [[0]], output: [[1]] }], test: [{ input: [[7, 7]], output: RIGHT }] });

// the run solves "a", not "b"; the hand-made submission solves "b" (attempt_2) and not "a"; "c" is not in the submission
const run = [report(100, [t('a', [OTHER], false), t('b', [WRONG], false), t('c', [WRONG], false)]), report(200, [t('a', [RIGHT, WRONG], true), t('b', [WRONG, OTHER], false), t('c', [], false)])];
const submission: Submission = { a: [{ attempt_1: WRONG, attempt_2: OTHER }], b: [{ attempt_1: WRONG, attempt_2: RIGHT }] };
const scored = scoreSubmission(submission, { a: [RIGHT], b: [RIGHT], c: [RIGHT] });
const solver = [reportFromSubmission(submission, scored)];

describe('the solved-by table with an external solver', () => {
  it('shows the imported submission beside the run, per puzzle, and says it has attempts only', () => {
    render(SolvedBy, { a: { name: 'dis run', evals: run, external: false }, b: { name: 'hand-made', evals: solver, external: true } });
    expect(screen.getByTestId('external-note')).toHaveTextContent('B (hand-made) is an external solver from a submission.json: attempts only');
    expect(screen.getByTestId('external-note')).toHaveTextContent('no votes, no curves and no filmstrips');
    // the step picker lists the run's evaluations and starts at the newest
    expect(screen.getByRole('combobox', { name: 'Evaluation at step' })).toHaveValue('200');
    expect(screen.getByText('both 0 · only A 1 · only B 1 · neither 0')).toBeInTheDocument();
    const rows = screen.getAllByRole('row').slice(1).map((r) => within(r).getAllByRole('cell').map((c) => c.textContent));
    expect(rows).toEqual([
      ['a', '1', '✓', '✗', 'only A'],
      ['b', '1', '✗', '✓', 'only B'],
      ['c', '1', '✗', '—', 'not evaluated by both'],
    ]);
    expect(screen.getByText(/B external solver: official score 33\.3%/)).toBeInTheDocument();
  });

  it('follows the chosen step and metric on the run side while the solver keeps its attempts', async () => {
    const user = userEvent.setup();
    render(SolvedBy, { a: { name: 'dis run', evals: run, external: false }, b: { name: 'hand-made', evals: solver, external: true } });
    await user.selectOptions(screen.getByRole('combobox', { name: 'Evaluation at step' }), '100');
    expect(screen.getByText('both 0 · only A 0 · only B 1 · neither 1')).toBeInTheDocument();
    await user.selectOptions(screen.getByRole('combobox', { name: 'Metric' }), 'passAt1');
    // attempt_1 alone solves nothing
    expect(screen.getByText('both 0 · only A 0 · only B 0 · neither 2')).toBeInTheDocument();
  });

  it('shows the per-task grids: input, expected output, the run’s voted answers and the solver’s two attempts', async () => {
    const user = userEvent.setup();
    const asked: string[] = [];
    render(SolvedBy, {
      a: { name: 'dis run', evals: run, external: false },
      b: { name: 'hand-made', evals: solver, external: true },
      findTask: async (id: string) => {
        asked.push(id);
        return task(id);
      },
    });
    await user.click(screen.getByRole('button', { name: 'Show the grids of b test 1' }));
    const grids = screen.getByRole('group', { name: 'Grids of b test 1' });
    await waitFor(() => expect(within(grids).getByRole('img', { name: /^expected output/ })).toBeInTheDocument());
    expect(asked).toEqual(['b']);
    expect(within(grids).getByRole('img', { name: /^test input/ })).toBeInTheDocument();
    expect(within(grids).getByRole('img', { name: /^A answer 1 \(5 votes\)/ })).toBeInTheDocument();
    expect(within(grids).getByRole('img', { name: /^A answer 2 \(4 votes\)/ })).toBeInTheDocument();
    expect(within(grids).getByRole('img', { name: /^B attempt_1/ })).toBeInTheDocument();
    expect(within(grids).getByRole('img', { name: /^B attempt_2/ })).toBeInTheDocument();
    expect(grids).toHaveTextContent('B: hand-made (external solver, attempts only)');
    // a puzzle the submission does not answer
    await user.click(screen.getByRole('button', { name: 'Show the grids of c test 1' }));
    expect(screen.getByRole('group', { name: 'Grids of c test 1' })).toHaveTextContent('no answer for this test input');
  }, 20_000);
});
