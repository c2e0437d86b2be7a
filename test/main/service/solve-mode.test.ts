import { afterEach, describe, expect, it } from 'vitest';
import { HUMAN_TRIES, type RunTask } from '../../../src-shared/api/contract';
import type { EvalReport } from '../../../src-shared/method/protocol';
import type { Task } from '../../../src-shared/puzzle/types';
import { humanVsModelTable, submitHumanAttempt } from '../../../src-main/service/solve-mode';
import { openDb, immediateTransaction } from '../../../src-main/service/store/db';
import { HumanStore } from '../../../src-main/service/store/human-store';
import { taskFingerprint } from '../../../src-main/service/task-fingerprint';
import { scriptedService, tempDataDir } from './helpers';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const task = (id: string, answer = 2): Task => ({
  id,
  train: [{ input: [[1, 0]], output: [[2, 0]] }],
  test: [{ input: [[1, 1]], output: [[answer, answer]] }],
});

describe('solve mode', () => {
  it('checks answers, allows three tries, and remembers them after a restart (by content, whatever the id)', async () => {
    const { dir, cleanup } = tempDataDir();
    cleanups.push(cleanup);
    const first = scriptedService(dir);
    const wrong1 = await first.service.submitHumanAttempt({ task: task('t'), testIndex: 0, grid: [[1, 1]] });
    expect(wrong1).toMatchObject({ correct: false, attempt: 1, triesLeft: HUMAN_TRIES - 1 });
    await first.service.close();

    const second = scriptedService(dir);
    cleanups.push(() => second.service.close());
    // the same puzzle under another id shares the tries
    expect(await second.service.humanStatus({ task: task('renamed') })).toEqual([{ testIndex: 0, tries: 1, solved: false, answers: [[[1, 1]]] }]);
    // another answer is another puzzle
    expect((await second.service.humanStatus({ task: task('t', 3) }))[0]!.tries).toBe(0);
    const right = await second.service.submitHumanAttempt({ task: task('renamed'), testIndex: 0, grid: [[2, 2]] });
    expect(right).toMatchObject({ correct: true, attempt: 2, triesLeft: 0, status: { solved: true, tries: 2 } });
    await expect(second.service.submitHumanAttempt({ task: task('t'), testIndex: 0, grid: [[2, 2]] })).rejects.toThrow(/already solved/);
  });

  it('refuses a fourth try and an answer to a test input with no known output, saying which', () => {
    const db = openDb(':memory:');
    const store = new HumanStore(db);
    const tx = <T>(fn: () => T) => immediateTransaction(db, fn);
    for (let i = 0; i < HUMAN_TRIES; i++) submitHumanAttempt(store, { task: task('x'), testIndex: 0, grid: [[0, 0]] }, tx);
    expect(() => submitHumanAttempt(store, { task: task('x'), testIndex: 0, grid: [[2, 2]] }, tx)).toThrow(/all 3 tries are used/);
    const unknown: Task = { id: 'u', train: task('u').train, test: [{ input: [[1]] }] };
    expect(() => submitHumanAttempt(store, { task: unknown, testIndex: 0, grid: [[2]] }, tx)).toThrow(/task u test 1: no known answer/);
    expect(() => submitHumanAttempt(store, { task: unknown, testIndex: 4, grid: [[2]] }, tx)).toThrow(/there is no test 5/);
  });

  it('puts the human beside each model column: solved by the model only, by the human only, by both', () => {
    const db = openDb(':memory:');
    const store = new HumanStore(db);
    const tx = <T>(fn: () => T) => immediateTransaction(db, fn);
    const a = task('a');
    const b = task('b', 3);
    const c = task('c', 4);
    const runTasks: RunTask[] = [a, b, c].map((t) => ({ taskId: t.id, task: t, fingerprint: taskFingerprint(t), evaluated: t.id !== 'c' }));
    submitHumanAttempt(store, { task: a, testIndex: 0, grid: [[0, 0]] }, tx);
    submitHumanAttempt(store, { task: b, testIndex: 0, grid: [[3, 3]] }, tx);
    const report = (solved: Record<string, boolean>): EvalReport => ({
      step: 10,
      passAt1: 0,
      passAt2: 0,
      passAtK: {},
      perStep: [],
      callsPerExample: 1,
      tasks: Object.entries(solved).map(([taskId, s]) => ({ taskId, testIndex: 0, top: [], votes: [], passAt1: s, passAt2: s })),
    });
    const table = humanVsModelTable(store, { kind: 'study', id: 's', name: 'S' }, [
      { key: 'trm', label: 'TRM', runs: [{ tasks: runTasks, lastEval: report({ a: true, b: false }) }, { tasks: runTasks, lastEval: report({ a: true, b: true }) }] },
      { key: 'dis', label: 'DIS', runs: [{ tasks: runTasks, lastEval: null }] },
    ]);
    expect(table.rows.map((r) => r.taskId)).toEqual(['a', 'b']); // c is not evaluated
    expect(table.rows[0]).toMatchObject({ human: { tries: 1, solved: false }, model: { trm: { solved: 2, of: 2 }, dis: null } });
    expect(table.rows[1]).toMatchObject({ human: { tries: 1, solved: true }, model: { trm: { solved: 1, of: 2 }, dis: null } });
  });
});
