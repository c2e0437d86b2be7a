// An authors' dataset folder → one library dataset, in one transaction: every task is read, decoded
// and validated first, so a folder with any defect imports nothing. With the lab's data dir, the
// folder's identifiers (puzzle id → version) are kept beside the library (identifiers-store.ts) and
// referenced from the dataset's provenance, so a checkpoint trained on the folder pairs with it later.
import path from 'node:path';
import type { AuthorsDatasetImport } from '../../src-shared/api/contract';
import type { LibraryStore } from './store/library-store';
import { dropIdentifiers, saveIdentifiers, type IdentifiersRef } from '../pipeline/authors-dataset/identifiers-store';
import { authorsTasks, readAuthorsDataset, verifyTestSplit } from '../pipeline/authors-dataset/read';

/** What an import reports: the API's AuthorsDatasetImport (the service returns it as is). */
export type AuthorsImportResult = AuthorsDatasetImport;

export async function importAuthorsDatasetIntoLibrary(store: LibraryStore, folder: string, name?: string, o: { dataDir?: string } = {}): Promise<AuthorsImportResult> {
  const ds = await readAuthorsDataset(folder);
  let recovered;
  const identifiers = [...ds.identifiers];
  try {
    // Every test example must undo to a test input of its task, or the vote view would be wrong.
    await verifyTestSplit(ds);
    recovered = await authorsTasks(ds);
  } finally {
    await ds.close();
  }
  for (const { task, origin } of recovered.tasks) {
    // The library's own rule for ids (they name files on export and appear in every view).
    if (task.id.trim() === '' || task.id.length > 120 || /[\/\\<>\u0000-\u001f\u007f]/.test(task.id) || task.id === '.' || task.id === '..') {
      const where = origin === 'test_puzzles' ? 'test_puzzles.json' : 'identifiers.json';
      throw new Error(`${ds.folder}: ${where}: task id ${JSON.stringify(task.id.slice(0, 60))} is not usable in the library (at most 120 characters, no / \\ < > or control characters); nothing was imported`);
    }
  }
  if (recovered.tasks.length === 0) throw new Error(`${ds.folder}: the dataset holds no tasks`);
  const dsName = name ?? path.basename(ds.folder);
  const evaluationTasks = recovered.tasks.filter((t) => t.origin === 'test_puzzles').length;
  // Written before the row that references it; removed again if the row is not written.
  const kept: IdentifiersRef | null = o.dataDir !== undefined ? await saveIdentifiers(o.dataDir, identifiers, path.join(ds.folder, 'identifiers.json')) : null;
  const provenance = {
    authorsDataset: ds.folder,
    numPuzzleIdentifiers: ds.numPuzzleIdentifiers,
    splits: Object.fromEntries(Object.entries(ds.splits).map(([k, s]) => [k, { groups: s.groupIndices.length - 1, puzzles: s.puzzleIdentifiers.length, examples: s.examples }])),
    notes: recovered.notes,
    ...(kept ? { identifiers: kept } : {}),
  };
  let datasetId: string;
  try {
    datasetId = store.transaction(() => {
      const id = store.createDataset(dsName, 'import', provenance);
      for (const t of recovered.tasks) {
        store.insertTask(id, { task: t.task, tags: [t.origin === 'test_puzzles' ? 'authors-evaluation' : 'authors-train'], originalId: null, edited: false });
      }
      return id;
    });
  } catch (e) {
    if (o.dataDir !== undefined && kept) await dropIdentifiers(o.dataDir, kept);
    throw e;
  }
  return {
    datasetId,
    name: dsName,
    loaded: recovered.tasks.length,
    evaluationTasks,
    trainSplitTasks: recovered.tasks.length - evaluationTasks,
    numPuzzleIdentifiers: ds.numPuzzleIdentifiers,
    notes: recovered.notes,
  };
}
