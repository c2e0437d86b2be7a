import { render, screen, waitFor } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import type { LibraryTask } from '../../../../src-shared/api/contract';
import type { EvalReport, VoteExplanation } from '../../../../src-shared/method/protocol';
import { defaultRunConfig } from '../../../../src-shared/method/run-config';
import type { Task } from '../../../../src-shared/puzzle/types';
import { setClient } from '../../../../src-renderer/src/lib/api/client';
import EvalVotes from '../../../../src-renderer/src/lib/runs/EvalVotes.svelte';
import { findRunTask, uniqueIds, unreachableReason } from '../../../../src-renderer/src/lib/runs/run-tasks';
import { fakeClient } from '../fake-client';

const task = (id: string, v: number): Task => ({ id, train: [{ input: [[v]], output: [[v]] }], test: [{ input: [[v]], output: [[v]] }] });
const libraryTask = (id: string, t: Task): LibraryTask => ({
  id,
  taskId: t.id,
  datasetId: 'd',
  tags: [],
  trainCount: 1,
  testCount: 1,
  thumbnail: [[0]],
  edited: false,
  updatedAt: '',
  task: t,
  originalId: null,
});

afterEach(() => setClient(null));

describe('finding the task behind an evaluation result', () => {
  it('makes repeated ids unique the way the service does', () => {
    expect(uniqueIds(['a', 'b', 'a', 'a'])).toEqual(['a', 'b', 'a~2', 'a~3']);
  });

  it('regenerates a built-in family from its seed', async () => {
    const client = fakeClient({ generateTasks: (q) => ({ tasks: q.seed === 7 ? [task('x', 1), task('y', 2)] : [], datasetId: null }) });
    const source = { kind: 'family' as const, family: 'recolour', tasks: 2, minSide: 3, maxSide: 4, difficulty: 1, seed: 7 };
    expect(await findRunTask(client, source, 'y')).toEqual(task('y', 2));
    expect(client.calls[0]?.params).toMatchObject({ family: 'recolour', count: 2, seed: 7, save: false });
    await expect(findRunTask(client, source, 'z')).rejects.toThrow('task z is no longer in this run');
  });

  it('finds the second of two dataset tasks with the same id as "~2"', async () => {
    const items = [libraryTask('l1', task('a', 1)), libraryTask('l2', task('a', 2))];
    const client = fakeClient({ listTasks: () => ({ total: 2, items }), getTask: (q) => items.find((i) => i.id === q.id)! });
    expect(await findRunTask(client, { kind: 'dataset', datasetId: 'd' }, 'a~2')).toEqual({ ...task('a', 2), id: 'a~2' });
  });

  it('explains why generated boards cannot be fetched back', () => {
    expect(unreachableReason({ kind: 'sudoku', train: 1, test: 1, difficulty: 1, seed: 0 })).toMatch(/Sudoku boards are generated inside the engine/);
    expect(unreachableReason({ kind: 'dataset', datasetId: 'd' })).toBeNull();
  });
});

describe('EvalVotes', () => {
  const config = defaultRunConfig('dis', 'tiny');
  config.data.source = { kind: 'library', taskIds: ['l1', 'l2'] };
  config.eval.augmentations = 3;
  const report: EvalReport = {
    step: 40,
    passAt1: 0.5,
    passAt2: 0.5,
    passAtK: {},
    perStep: [],
    callsPerExample: 6,
    tasks: [
      { taskId: 'p', testIndex: 0, top: [[[1]]], votes: [4], passAt1: true, passAt2: true },
      { taskId: 'q', testIndex: 0, top: [[[3]], [[2]]], votes: [3, 1], passAt1: false, passAt2: true },
    ],
  };
  const explanation: VoteExplanation = {
    taskId: 'q',
    testIndex: 0,
    method: 'dis',
    rankBy: 'count-then-first',
    versions: [
      { name: 't0 0123456789', dihedral: 0, colours: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], candidate: 0 },
      { name: 't1 0123456789', dihedral: 1, colours: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], candidate: 1 },
    ],
    candidates: [
      { rank: 1, grid: [[3]], count: 1, versions: ['t0 0123456789'], correct: false },
      { rank: 2, grid: [[2]], count: 1, versions: ['t1 0123456789'], correct: true },
    ],
    noGrid: [],
    expected: [[2]],
    passAt1: false,
    passAt2: true,
  };
  const items = [libraryTask('l1', task('p', 1)), libraryTask('l2', task('q', 2))];

  it("explains a chosen puzzle on the evaluated checkpoint with the run's evaluation augmentations", async () => {
    const client = fakeClient({
      getTask: (q) => items.find((i) => i.id === q.id)!,
      listCheckpoints: () => [{ step: 40, path: '/c40', sha256: '', createdAt: '' }, { step: 60, path: '/c60', sha256: '', createdAt: '' }],
      classifyTask: () => ({ embedding: 'trained', trainedTaskId: 'q', editedTests: [], sharedEmbedding: false, adaptation: null, fingerprint: '', message: '' }),
      explainVotes: () => explanation,
    });
    setClient(client);
    render(EvalVotes, { runId: 'r', config, report });
    expect(screen.getByRole('option', { name: 'q · test 1 · pass@1 ✗ · pass@2 ✓' })).toBeInTheDocument();
    expect(screen.getByLabelText('Augmented versions')).toHaveValue(3);
    await userEvent.selectOptions(screen.getByLabelText('Puzzle'), 'q · test 1 · pass@1 ✗ · pass@2 ✓');
    await userEvent.click(screen.getByRole('button', { name: 'Explain the votes' }));
    await waitFor(() => expect(screen.getAllByTestId('candidate')).toHaveLength(2));
    expect(client.calls.find((c) => c.method === 'explainVotes')?.params).toEqual({ runId: 'r', step: 40, task: task('q', 2), testIndex: 0, augmentations: 3 });
    expect(screen.getByTestId('pass2')).toHaveTextContent('pass@2 ✓');
    expect(screen.queryByText(/Careful/)).toBeNull();
  });

  it('says when the evaluated checkpoint is gone and when the task changed since training', async () => {
    const client = fakeClient({
      getTask: (q) => items.find((i) => i.id === q.id)!,
      listCheckpoints: () => [{ step: 60, path: '/c60', sha256: '', createdAt: '' }],
      classifyTask: () => ({ embedding: 'unseen', trainedTaskId: null, editedTests: [], sharedEmbedding: false, adaptation: null, fingerprint: '', message: 'never trained' }),
      explainVotes: () => explanation,
    });
    setClient(client);
    render(EvalVotes, { runId: 'r', config, report });
    await userEvent.click(screen.getByRole('button', { name: 'Explain the votes' }));
    await waitFor(() => expect(screen.getAllByTestId('candidate')).toHaveLength(2));
    expect(screen.getByText(/The step 40 checkpoint is no longer on disk; these votes come from the newest one \(step 60\)/)).toBeInTheDocument();
    expect(screen.getByText(/Careful: the task as it is now does not match what the run trained on \(never trained\)/)).toBeInTheDocument();
    expect((client.calls.find((c) => c.method === 'explainVotes')?.params as { step?: number }).step).toBeUndefined();
  });
});
