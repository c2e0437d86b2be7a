// Turns a run's data source into the concrete tasks the engine trains on. Library and dataset
// sources come from the database here; built-in families, N-Queens, Sudoku and files go through
// the engine's resolveSource (pure TS: generators and file reading, no tfjs).
import type { DataSource } from '../../src-shared/method/run-config';
import type { Task } from '../../src-shared/puzzle/types';
import { resolveSource } from '../engine/data/resolve-source';
import { badRequest, notFound } from './errors';
import type { LibraryStore } from './store/library-store';

/** Two library tasks with the same task id (an original and its edited copy) get distinct ids. */
function uniqueIds(tasks: Task[]): Task[] {
  const seen = new Map<string, number>();
  return tasks.map((t) => {
    const n = (seen.get(t.id) ?? 0) + 1;
    seen.set(t.id, n);
    return n === 1 ? t : { ...t, id: `${t.id}~${n}` };
  });
}

/** Cheap existence checks at queue time, so a bad source is refused before it waits in the queue. */
export function checkSourceExists(source: DataSource, library: LibraryStore): void {
  if (source.kind === 'library') {
    const { missing } = library.tasksByIds(source.taskIds);
    if (missing.length > 0) throw notFound(`data.source.taskIds: no library task with id ${missing.join(', ')}`);
  } else if (source.kind === 'dataset') {
    if (library.dataset(source.datasetId) === null) throw notFound(`data.source.datasetId: no dataset with id ${source.datasetId}`);
  }
}

export async function resolveRunTasks(source: DataSource, library: LibraryStore): Promise<Task[]> {
  let tasks: Task[];
  if (source.kind === 'library') {
    const { tasks: found, missing } = library.tasksByIds(source.taskIds);
    if (missing.length > 0) throw notFound(`library tasks no longer exist: ${missing.join(', ')}`);
    tasks = found.map((t) => t.task);
  } else if (source.kind === 'dataset') {
    if (library.dataset(source.datasetId) === null) throw notFound(`dataset ${source.datasetId} no longer exists`);
    tasks = library.tasksOfDataset(source.datasetId);
  } else {
    tasks = await resolveSource(source);
  }
  if (tasks.length === 0) throw badRequest('the data source holds no tasks');
  return uniqueIds(tasks);
}
