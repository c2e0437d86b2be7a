import { render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import type { LibraryTask, RunDetail, RunSummary } from '../../../../src-shared/api/contract';
import type { AdaptationInfo, AdaptResult, TaskClassification, VoteExplanation } from '../../../../src-shared/method/protocol';
import { defaultRunConfig } from '../../../../src-shared/method/run-config';
import type { Task } from '../../../../src-shared/puzzle/types';
import { setClient } from '../../../../src-renderer/src/lib/api/client';
import PlaygroundView from '../../../../src-renderer/src/lib/playground/PlaygroundView.svelte';
import { lab } from '../../../../src-renderer/src/lib/stores/lab.svelte';
import { fakeClient } from '../fake-client';

const summary: RunSummary = {
  id: 'r1',
  name: 'TRM · tiny',
  method: 'trm',
  status: 'completed',
  group: null,
  queuePosition: null,
  step: 60,
  totalSteps: 60,
  examplesPerSec: 0,
  etaSec: null,
  backend: null,
  error: null,
  createdAt: '2026-01-01T00:00:00Z',
  startedAt: null,
  finishedAt: null,
};
const config = defaultRunConfig('trm', 'tiny');
config.data.augmentations = 4;
config.eval.augmentations = 2;
const detail: RunDetail = { ...summary, config, trainableParams: 1000, lastEval: null };

const task: Task = { id: 'mine', train: [{ input: [[1, 0]], output: [[2, 0]] }], test: [{ input: [[0, 1]], output: [[0, 2]] }] };
const libraryTask: LibraryTask = {
  id: 'lib1',
  taskId: 'mine',
  datasetId: 'd',
  tags: [],
  trainCount: 1,
  testCount: 1,
  thumbnail: [[1, 0]],
  edited: false,
  updatedAt: '2026-01-01T00:00:00Z',
  task,
  originalId: null,
};

const adaptation: AdaptationInfo = {
  dir: '/runs/r1/adaptations/x',
  checkpointStep: 60,
  fingerprint: 'f',
  mode: 'embedding+network',
  optimizer: 'sign-sgd',
  steps: 8,
  networkSteps: 2,
  versions: 5,
  demoExact: 1,
  createdAt: '2026-01-02T00:00:00Z',
};
const classification = (embedding: TaskClassification['embedding']): TaskClassification => ({
  embedding,
  trainedTaskId: null,
  editedTests: [],
  sharedEmbedding: false,
  adaptation: embedding === 'adapted' ? adaptation : null,
  fingerprint: 'f',
  message: 'from the service',
});
const explanation: VoteExplanation = {
  taskId: 'mine',
  testIndex: 0,
  method: 'trm',
  rankBy: 'count-then-q',
  versions: [
    { name: 't0 0123456789', dihedral: 0, colours: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], candidate: 0, q: 0.9 },
    { name: 't2 0213456789', dihedral: 2, colours: [0, 2, 1, 3, 4, 5, 6, 7, 8, 9], candidate: 0, q: 0.8 },
    { name: 't4 0123456789', dihedral: 4, colours: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], candidate: 1, q: 0.3 },
  ],
  candidates: [
    { rank: 1, grid: [[0, 2]], count: 2, meanQ: 0.85, versions: ['t0 0123456789', 't2 0213456789'], correct: true },
    { rank: 2, grid: [[0, 1]], count: 1, meanQ: 0.3, versions: ['t4 0123456789'], correct: false },
  ],
  noGrid: [],
  expected: [[0, 2]],
  passAt1: true,
  passAt2: true,
};
const result: AdaptResult = {
  taskId: 'mine',
  reused: false,
  adaptation,
  losses: [2.5, 1.5, 0.75],
  tests: [{ result: { taskId: 'mine', testIndex: 0, top: [[[0, 2]], [[0, 1]]], votes: [2, 1], passAt1: true, passAt2: true }, explanation }],
  passAt1: 1,
  passAt2: 1,
  ms: 1500,
};

afterEach(() => {
  setClient(null);
  lab.runs = [];
});

describe('PlaygroundView with a task the run never saw', () => {
  it('says to adapt first, adapts with progress, shows the answers and their votes, and then uses the saved adaptation', async () => {
    let adapted = false;
    let finish: (r: AdaptResult) => void = () => {};
    const client = fakeClient({
      systemInfo: () => {
        throw new Error('not needed here');
      },
      listRuns: () => [summary],
      listTasks: () => ({ total: 1, items: [libraryTask] }),
      getTask: () => libraryTask,
      getRun: () => detail,
      classifyTask: () => classification(adapted ? 'adapted' : 'unseen'),
      adapt: () =>
        new Promise<AdaptResult>((resolve) => {
          finish = resolve;
        }) as unknown as AdaptResult,
    });
    setClient(client);
    lab.start();
    lab.runs = [summary];
    render(PlaygroundView, { run: 'r1' });

    const taskSelect = await screen.findByRole('combobox', { name: /^Task/ });
    await waitFor(() => expect(within(taskSelect).getByRole('option', { name: 'mine' })).toBeInTheDocument());
    await userEvent.selectOptions(taskSelect, 'lib1');

    const knows = await screen.findByRole('region', { name: 'What the model knows about this task' });
    await waitFor(() => expect(within(knows).getByTestId('classification')).toHaveAttribute('data-embedding', 'unseen'));
    expect(knows).toHaveTextContent('Never seen: adapt first');
    expect(knows).toHaveTextContent('The model only knows a task through the puzzle embedding it learned for it');
    // running now would use a blank embedding, and the button says so
    expect(screen.getByRole('button', { name: 'Run with a blank embedding' })).toBeInTheDocument();

    const form = within(knows).getByRole('form', { name: 'Adapt TRM · tiny to this task' });
    // the vote defaults to the run's evaluation setting
    await waitFor(() => expect(within(form).getByLabelText('Augmented versions voting')).toHaveValue(2));
    const steps = within(form).getByLabelText('Steps');
    await userEvent.clear(steps);
    await userEvent.type(steps, '8');
    await userEvent.click(within(form).getByLabelText('Also fine-tune the network (test-time training)'));
    expect(within(form).getByLabelText('Network fine-tuning steps')).toHaveValue(2);
    await userEvent.selectOptions(within(form).getByLabelText('Optimizer'), 'adam');
    await userEvent.click(within(form).getByRole('button', { name: 'Adapt' }));

    const call = client.calls.find((c) => c.method === 'adapt')?.params as Record<string, unknown>;
    expect(call).toMatchObject({ runId: 'r1', steps: 8, optimizer: 'adam', mode: 'embedding+network', networkSteps: 2, augmentations: 2, task });
    expect(call['force']).toBeUndefined();
    const requestId = call['requestId'] as string;

    // progress of this request only
    client.emit({ type: 'adapt-progress', requestId: 'someone-else', step: 9, total: 10, loss: 9 });
    client.emit({ type: 'adapt-progress', requestId, step: 3, total: 10, loss: 1.25 });
    const bar = await screen.findByRole('progressbar', { name: 'Adapting TRM · tiny' });
    await waitFor(() => expect(bar).toHaveAttribute('aria-valuenow', '3'));
    expect(bar).toHaveAttribute('aria-valuemax', '10');
    expect(screen.getByTestId('adapt-progress')).toHaveTextContent('step 3/10 · learning the puzzle embedding · loss 1.2500');
    client.emit({ type: 'adapt-progress', requestId, step: 9, total: 10, loss: 0.5 });
    await waitFor(() => expect(screen.getByTestId('adapt-progress')).toHaveTextContent('fine-tuning the embedding and the network'));

    adapted = true;
    finish(result);
    const outcome = await screen.findByRole('region', { name: 'Adaptation result' });
    expect(within(outcome).getByTestId('adapt-verdict')).toHaveTextContent('Solved: the top-voted answer is right');
    expect(within(outcome).getAllByTestId('adapt-answer').map((x) => x.textContent?.replace(/\s+/g, ' ').trim())).toEqual(['attempt 1: 2 of 3 votes ✓', 'attempt 2: 1 of 3 votes ✗']);
    expect(screen.queryByRole('progressbar', { name: 'Adapting TRM · tiny' })).toBeNull();

    // classified again: the saved adaptation is what inference uses now
    await waitFor(() => expect(within(knows).getByTestId('classification')).toHaveAttribute('data-embedding', 'adapted'));
    expect(knows).toHaveTextContent('Adapted: using the saved adaptation');
    expect(within(knows).getByTestId('adaptation-info')).toHaveTextContent('8 embedding steps + 2 network fine-tuning steps');
    expect(screen.getByRole('button', { name: 'Run' })).toBeInTheDocument();

    await userEvent.click(within(outcome).getByRole('button', { name: 'Why this answer? (test 1)' }));
    const why = await screen.findByRole('region', { name: 'Why this answer' });
    expect(within(why).getAllByTestId('candidate')).toHaveLength(2);
    expect(within(why).getByTestId('pass1')).toHaveTextContent('pass@1 ✓');
    expect(within(why).getByRole('heading', { level: 2 })).toHaveFocus();
  });

  it('says when the run trained on the demonstrations and only the test input was edited', async () => {
    const client = fakeClient({
      systemInfo: () => {
        throw new Error('not needed here');
      },
      listRuns: () => [summary],
      listTasks: () => ({ total: 1, items: [libraryTask] }),
      getTask: () => libraryTask,
      getRun: () => detail,
      classifyTask: () => ({ ...classification('trained-edited'), trainedTaskId: 'original-id', editedTests: [0] }),
    });
    setClient(client);
    lab.runs = [summary];
    render(PlaygroundView, { run: 'r1' });
    const taskSelect = await screen.findByRole('combobox', { name: /^Task/ });
    await waitFor(() => expect(within(taskSelect).getByRole('option', { name: 'mine' })).toBeInTheDocument());
    await userEvent.selectOptions(taskSelect, 'lib1');
    const knows = await screen.findByRole('region', { name: 'What the model knows about this task' });
    await waitFor(() => expect(knows).toHaveTextContent('Seen in training, test input edited'));
    expect(knows).toHaveTextContent('The learned embedding still applies');
    expect(knows).toHaveTextContent('It trained on these demonstrations as task original-id.');
    expect(knows).toHaveTextContent('Edited test input: 1.');
    expect(within(knows).queryByRole('form')).toBeNull();
    expect(screen.getByRole('button', { name: 'Run' })).toBeInTheDocument();
  });
});
