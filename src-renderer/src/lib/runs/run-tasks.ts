// Finds the task behind an evaluation result of a run: evaluation reports name tasks by id only; the
// service fetches the task again from where the run took its data (getRunTask), with the ids made
// unique by the one rule (src-shared/puzzle/unique-ids.ts). The renderer re-derives nothing.
import type { LabApi } from '../../../../src-shared/api/contract';
import type { Task } from '../../../../src-shared/puzzle/types';

/** The task a run's evaluation calls `taskId`, with its id as the run knew it. */
export async function findRunTask(client: Pick<LabApi, 'getRunTask'>, runId: string, taskId: string): Promise<Task> {
  return client.getRunTask({ runId, taskId });
}
