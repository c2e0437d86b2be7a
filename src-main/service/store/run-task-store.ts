// SQL for runs' task snapshots: the exact tasks a run was given, stored with the run.
import type { RunTask } from '../../../src-shared/api/contract';
import type { Task } from '../../../src-shared/puzzle/types';
import { taskFingerprint } from '../task-fingerprint';
import type { Db } from './db';

export class RunTaskStore {
  constructor(private readonly db: Db) {}

  has(runId: string): boolean {
    return this.db.prepare('SELECT 1 FROM run_tasks WHERE run_id = ? LIMIT 1').get(runId) !== undefined;
  }

  /** Stores a run's tasks (ids already made unique); call inside the transaction that inserts the run. */
  insert(runId: string, tasks: readonly Task[]): void {
    const stmt = this.db.prepare('INSERT OR REPLACE INTO run_tasks (run_id, seq, task_id, fingerprint, task) VALUES (?, ?, ?, ?, ?)');
    tasks.forEach((t, i) => stmt.run(runId, i, t.id, taskFingerprint(t), JSON.stringify(t)));
  }

  tasks(runId: string): Task[] {
    const rows = this.db.prepare('SELECT task FROM run_tasks WHERE run_id = ? ORDER BY seq').all(runId) as Array<{ task: string }>;
    return rows.map((r) => JSON.parse(r.task) as Task);
  }

  /** The snapshot with fingerprints; `evaluatedCount` (eval.maxTasks, 0 = all) marks the evaluated ones. */
  list(runId: string, evaluatedCount: number): RunTask[] {
    const rows = this.db
      .prepare('SELECT seq, task_id, fingerprint, task FROM run_tasks WHERE run_id = ? ORDER BY seq')
      .all(runId) as Array<{ seq: number; task_id: string; fingerprint: string; task: string }>;
    return rows.map((r) => ({
      taskId: r.task_id,
      task: JSON.parse(r.task) as Task,
      fingerprint: r.fingerprint,
      evaluated: evaluatedCount <= 0 || r.seq < evaluatedCount,
    }));
  }
}
