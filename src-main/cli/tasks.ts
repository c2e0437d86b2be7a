// Picking one task out of an ARC file or folder for the commands that work on a single task.

import { loadArcPath } from '../engine/data/resolve-source';
import { idError, showId } from '../../src-shared/puzzle/ids';
import type { Task } from '../../src-shared/puzzle/types';
import { UsageError } from '../command-line/args';

export async function loadOneTask(file: string, taskId: string | undefined): Promise<Task> {
  if (taskId !== undefined) {
    const bad = idError('--task', taskId);
    if (bad !== null) throw new UsageError(bad);
  }
  const tasks = await loadArcPath(file);
  if (taskId !== undefined) {
    const t = tasks.find((x) => x.id === taskId);
    if (t === undefined) {
      const some = tasks.slice(0, 8).map((x) => x.id).join(', ');
      throw new UsageError(`task ${showId(taskId)} is not in ${file} (it holds ${tasks.length} task(s): ${some}${tasks.length > 8 ? ', …' : ''})`);
    }
    return t;
  }
  if (tasks.length > 1) throw new UsageError(`${file} holds ${tasks.length} tasks; choose one with --task <id>`);
  return tasks[0] as Task;
}
