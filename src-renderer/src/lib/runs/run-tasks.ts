// Finds the task behind an evaluation result of a run: evaluation reports name tasks by id only, so
// the task is fetched again from where the run took its data (the library, a library dataset, or
// the built-in family regenerated from its seed), with the ids made unique as the service made them
// (src-main/service/run-data.ts: a second task "x" becomes "x~2").
import type { LabApi } from '../../../../src-shared/api/contract';
import type { DataSource } from '../../../../src-shared/method/run-config';
import type { Task } from '../../../../src-shared/puzzle/types';

/** The ids the service gives a list of task ids: the n-th repeat of "x" (n ≥ 2) becomes "x~n". */
export function uniqueIds(ids: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return ids.map((id) => {
    const n = (seen.get(id) ?? 0) + 1;
    seen.set(id, n);
    return n === 1 ? id : `${id}~${n}`;
  });
}

/** Why a source's tasks cannot be fetched again from the renderer, or null when they can. */
export function unreachableReason(source: DataSource): string | null {
  switch (source.kind) {
    case 'family':
    case 'library':
    case 'dataset':
      return null;
    case 'nqueens':
    case 'sudoku':
      return `this run's ${source.kind === 'nqueens' ? 'N-Queens' : 'Sudoku'} boards are generated inside the engine and not kept in the library, so the lab cannot fetch one back to explain its votes`;
    case 'file':
      return `this run read its tasks from a file (${source.path}) that only the command line can read`;
  }
}

type Client = Pick<LabApi, 'generateTasks' | 'getTask' | 'listTasks'>;

/** The task a run's evaluation calls `taskId`, with its id as the run knew it. */
export async function findRunTask(client: Client, source: DataSource, taskId: string): Promise<Task> {
  const missing = () => new Error(`task ${taskId} is no longer in this run's data source (${source.kind})`);
  switch (source.kind) {
    case 'family': {
      const { tasks } = await client.generateTasks({
        family: source.family,
        count: source.tasks,
        minSide: source.minSide,
        maxSide: source.maxSide,
        difficulty: source.difficulty,
        seed: source.seed,
        save: false,
      });
      const ids = uniqueIds(tasks.map((t) => t.id));
      const i = ids.indexOf(taskId);
      const t = tasks[i];
      if (!t) throw missing();
      return { ...t, id: taskId };
    }
    case 'library': {
      const tasks = await Promise.all(source.taskIds.map((id) => client.getTask({ id })));
      const ids = uniqueIds(tasks.map((t) => t.task.id));
      const t = tasks[ids.indexOf(taskId)];
      if (!t) throw missing();
      return { ...t.task, id: taskId };
    }
    case 'dataset': {
      const { items } = await client.listTasks({ datasetId: source.datasetId, limit: 10_000 });
      const ids = uniqueIds(items.map((t) => t.taskId));
      const s = items[ids.indexOf(taskId)];
      if (!s) throw missing();
      const t = await client.getTask({ id: s.id });
      return { ...t.task, id: taskId };
    }
    default:
      throw new Error(unreachableReason(source) ?? `unknown data source ${(source as { kind: string }).kind}`);
  }
}
