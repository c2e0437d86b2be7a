// Finds the task behind an evaluation result of a run: evaluation reports name tasks by id only,
// and the run's own snapshot (runTasks) holds exactly the tasks it trained and evaluated on, with the
// ids it knew them by, whatever the source (library, dataset, family, file, N-Queens, Sudoku) and
// whatever happened to the library since.
import type { LabApi } from '../../../../src-shared/api/contract';
import type { Task } from '../../../../src-shared/puzzle/types';

type Client = Pick<LabApi, 'runTasks'>;

/** The task a run's evaluation calls `taskId`, with its id as the run knew it. */
export async function findRunTask(client: Client, runId: string, taskId: string): Promise<Task> {
  const tasks = await client.runTasks({ runId });
  const t = tasks.find((x) => x.taskId === taskId);
  if (!t) throw new Error(`task ${taskId} is not among the ${tasks.length} tasks run ${runId} trained on`);
  return { ...t.task, id: taskId };
}
