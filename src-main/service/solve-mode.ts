// Solve mode (issue 13): the human answers a task's test inputs, three tries each as in the ARC
// rules, and the lab keeps the answers beside the model's so "which puzzles did the model solve that
// I did not, and the reverse" is one table. Answers are keyed by the task's content, so the same
// puzzle under another id (a run's snapshot, a library copy) shares them.
import { HUMAN_TRIES, type HumanAttemptResult, type HumanTestStatus, type HumanVsModel, type HumanVsModelRow, type RunTask } from '../../src-shared/api/contract';
import type { EvalReport } from '../../src-shared/method/protocol';
import { gridsEqual } from '../../src-shared/puzzle/grid';
import type { Grid, Task } from '../../src-shared/puzzle/types';
import { badRequest, conflict } from './errors';
import type { HumanStore } from './store/human-store';
import { taskFingerprint } from './task-fingerprint';

export function humanStatus(store: HumanStore, task: Task): HumanTestStatus[] {
  const f = taskFingerprint(task);
  return task.test.map((_, i) => store.status(f, i));
}

export function submitHumanAttempt(store: HumanStore, q: { task: Task; testIndex: number; grid: Grid }, transaction: <T>(fn: () => T) => T): HumanAttemptResult {
  const pair = q.task.test[q.testIndex];
  if (pair === undefined) throw badRequest(`testIndex: task ${q.task.id || '(unnamed)'} has ${q.task.test.length} test input(s); there is no test ${q.testIndex + 1}`);
  if (pair.output === undefined) throw badRequest(`task ${q.task.id || '(unnamed)'} test ${q.testIndex + 1}: no known answer to check against (draw one in the editor first)`);
  const expected = pair.output;
  const f = taskFingerprint(q.task);
  // Read and write in one transaction: two quick clicks must not make a fourth try.
  return transaction(() => {
    const before = store.status(f, q.testIndex);
    if (before.solved) throw conflict(`task ${q.task.id} test ${q.testIndex + 1}: already solved (try ${before.answers.length})`);
    if (before.tries >= HUMAN_TRIES) throw conflict(`task ${q.task.id} test ${q.testIndex + 1}: all ${HUMAN_TRIES} tries are used`);
    const correct = gridsEqual(q.grid, expected);
    const attempt = before.tries + 1;
    store.insert({ fingerprint: f, taskId: q.task.id, testIndex: q.testIndex, attempt, grid: q.grid, correct });
    const status = store.status(f, q.testIndex);
    return { correct, attempt, triesLeft: status.solved ? 0 : HUMAN_TRIES - status.tries, status };
  });
}

/**
 * The table: one row per evaluated task × test input of the given runs' snapshots (matched by
 * content), the human's result, and per column how many of its runs' last evaluations solve it
 * (pass@2, as the ARC Prize counts).
 */
export function humanVsModelTable(
  store: HumanStore,
  subject: HumanVsModel['subject'],
  columns: Array<{ key: string; label: string; runs: Array<{ tasks: RunTask[]; lastEval: EvalReport | null }> }>,
): HumanVsModel {
  const rows = new Map<string, HumanVsModelRow>();
  for (const col of columns) {
    for (const run of col.runs) {
      const solvedByKey = new Map<string, boolean>();
      for (const t of run.lastEval?.tasks ?? []) solvedByKey.set(`${t.taskId}#${t.testIndex}`, t.passAt2);
      for (const rt of run.tasks) {
        if (!rt.evaluated) continue;
        rt.task.test.forEach((_, testIndex) => {
          const key = `${rt.fingerprint}#${testIndex}`;
          let row = rows.get(key);
          if (row === undefined) {
            row = { taskId: rt.taskId, testIndex, fingerprint: rt.fingerprint, human: null, model: Object.fromEntries(columns.map((c) => [c.key, null])) };
            rows.set(key, row);
          }
          if (run.lastEval === null) return;
          const solved = solvedByKey.get(`${rt.taskId}#${testIndex}`) === true;
          const cell = row.model[col.key] ?? { solved: 0, of: 0 };
          row.model[col.key] = { solved: cell.solved + (solved ? 1 : 0), of: cell.of + 1 };
        });
      }
    }
  }
  const human = store.summaries([...rows.values()].map((r) => r.fingerprint));
  for (const [key, row] of rows) row.human = human.get(key) ?? null;
  return { subject, columns: columns.map(({ key, label }) => ({ key, label })), rows: [...rows.values()] };
}
