// The service side of the authors' PyTorch pipeline: library datasets and runs written under the
// data directory's exports/ folder (the renderer names no paths to write to), and dataset folders
// imported into the library. Paths to read come from the user (the service runs on their machine).
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { AuthorsDatasetExport, AuthorsDatasetImport, AuthorsRunExport } from '../../src-shared/api/contract';
import type { RunConfig } from '../../src-shared/method/run-config';
import { FAMILIES } from '../../src-shared/generators/index';
import type { Family } from '../../src-shared/generators/family';
import { getEncoding, type Encoding } from '../../src-shared/puzzle/tokens';
import type { Task } from '../../src-shared/puzzle/types';
import { importAuthorsDatasetIntoLibrary } from './authors-library-import';
import { DEFAULT_EXPORT_OPTIONS, writeAuthorsDataset } from '../pipeline/authors-dataset/write';
import { exportRun, slug, type CheckpointWriter } from '../pipeline/export-run';
import type { ParamsOf } from '../../src-shared/api/contract';
import { badRequest, notFound } from './errors';
import type { LibraryStore } from './store/library-store';

export function exportsDir(dataDir: string): string {
  return path.join(dataDir, 'exports');
}

function stamp(d = new Date()): string {
  return d.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
}


/** A new folder name under exports/ (never an existing one). */
async function newExportFolder(dataDir: string, base: string): Promise<string> {
  const root = exportsDir(dataDir);
  await mkdir(root, { recursive: true });
  return path.join(root, `${slug(base, 'export')}-${stamp()}-${Math.random().toString(36).slice(2, 6)}`);
}

/** An Error from the pipeline (bad data, a refused size) as the API's bad-request. */
async function asBadRequest<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof Error && !('code' in e)) throw badRequest(e.message);
    throw e;
  }
}

/**
 * The encoding of a generated N-Queens or Sudoku family's tasks (their boards go out in the authors'
 * board layout: n² / 81 tokens, the blank puzzle id); everything else is ARC on the 30×30 canvas.
 */
function encodingOfFamily(family: Family | undefined, maxSide: unknown): Encoding {
  if (family?.info.kind === 'sudoku') return getEncoding('sudoku');
  if (family?.info.kind === 'nqueens' && typeof maxSide === 'number') return getEncoding('nqueens', maxSide);
  return getEncoding('arc');
}

/** The encoding of a library dataset: its generating family's (encodingOfFamily), else ARC. */
function encodingOfDataset(kind: string, provenance: string): Encoding {
  if (kind !== 'generated') return getEncoding('arc');
  let p: { family?: unknown; params?: { maxSide?: unknown } };
  try {
    p = JSON.parse(provenance) as typeof p;
  } catch {
    return getEncoding('arc');
  }
  return encodingOfFamily(FAMILIES.find((f) => f.info.id === p.family), p.params?.maxSide);
}

export async function exportAuthorsDatasetForLab(store: LibraryStore, dataDir: string, q: ParamsOf<'exportAuthorsDataset'>): Promise<AuthorsDatasetExport> {
  let tasks: Task[];
  let name: string;
  let encoding = getEncoding('arc');
  if (q.ids !== undefined) {
    const found = store.tasksByIds(q.ids);
    if (found.missing.length > 0) throw notFound(`no library task with id ${found.missing.join(', ')}`);
    tasks = found.tasks.map((t) => t.task);
    name = `${tasks.length}-tasks`;
  } else if (q.datasetId !== undefined) {
    const ds = store.dataset(q.datasetId);
    if (ds === null) throw notFound(`no dataset with id ${q.datasetId}`);
    tasks = store.tasksOfDataset(q.datasetId);
    name = ds.name;
    encoding = encodingOfDataset(ds.kind, ds.provenance);
  } else if (q.tasks !== undefined) {
    tasks = q.tasks;
    name = `${tasks.length}-tasks`;
  } else if (q.family !== undefined) {
    const family = FAMILIES.find((f) => f.info.id === q.family!.id);
    if (family === undefined) throw badRequest(`family: unknown puzzle family "${q.family.id}"; known: ${FAMILIES.map((f) => f.info.id).join(', ')}`, { field: 'params.family.id' });
    const { id: _id, ...asked } = q.family;
    const given = Object.fromEntries(Object.entries(asked).filter(([, x]) => x !== undefined)) as Partial<typeof family.defaults>;
    // seed 0 unless given (the CLI's --family-seed default), not the family's own default
    const params = { ...family.defaults, seed: 0, ...given };
    tasks = await asBadRequest(async () => family.generate(params));
    name = family.info.id;
    encoding = encodingOfFamily(family, params.maxSide);
  } else {
    throw badRequest('exportAuthorsDataset: give datasetId, ids, tasks or family');
  }
  name = q.name ?? name;
  if (tasks.length === 0) throw badRequest('exportAuthorsDataset: nothing to export (no tasks)');
  const augmentations = q.augmentations ?? DEFAULT_EXPORT_OPTIONS.augmentations;
  const folder = await newExportFolder(dataDir, `${name}-aug-${augmentations}`);
  return asBadRequest(() =>
    writeAuthorsDataset(tasks, folder, {
      augmentations,
      seed: q.seed ?? DEFAULT_EXPORT_OPTIONS.seed,
      translate: q.translate ?? DEFAULT_EXPORT_OPTIONS.translate,
      trainOnTestPairs: q.trainOnTestPairs ?? false,
      encoding,
    }),
  );
}

export async function importAuthorsDatasetForLab(store: LibraryStore, dataDir: string, q: ParamsOf<'importAuthorsDataset'>): Promise<AuthorsDatasetImport> {
  if (!path.isAbsolute(q.folder)) throw badRequest(`importAuthorsDataset: folder must be an absolute path, got ${JSON.stringify(q.folder)}`);
  // the identifiers are kept in the data dir, so checkpoints trained on the folder pair with the dataset
  return asBadRequest(() => importAuthorsDatasetIntoLibrary(store, q.folder, q.name, { dataDir }));
}

export async function exportRunForLab(
  run: { id: string; config: RunConfig; tasks: () => Promise<Task[]> },
  dataDir: string,
  q: ParamsOf<'exportRunForAuthors'>,
  version: string,
  writeCheckpoint?: CheckpointWriter,
): Promise<AuthorsRunExport> {
  const tasks = await run.tasks();
  const folder = await newExportFolder(dataDir, `run-${run.id}`);
  return asBadRequest(() =>
    exportRun(run.config, tasks, folder, {
      ...(q.gpus !== undefined && { gpus: q.gpus }),
      ...(q.nodes !== undefined && { nodes: q.nodes }),
      runLabel: `${run.id} (${run.config.name})`,
      generator: `Puzzle Lab ${version}`,
      ...(writeCheckpoint !== undefined && { writeCheckpoint }),
    }),
  );
}
