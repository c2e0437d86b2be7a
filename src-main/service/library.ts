// The puzzle library: imports (one transaction each, with a report), exports, saving edits without
// ever losing an imported original, generated datasets with provenance, and listings.
import type {
  DatasetSummary,
  FamilyInfo,
  ImportReport,
  ParamsOf,
  LibraryTask,
  TaskSummary,
} from '../../src-shared/api/contract';
import { FAMILIES, generateTasks as generateFamilyTasks } from '../../src-shared/generators/index';
import { formatLocation, PuzzleFormatError } from '../../src-shared/puzzle/errors';
import { importFiles as parseFiles, writeChallenges, writeCombined, writeTaskJson } from '../../src-shared/puzzle/formats';
import { idError } from '../../src-shared/puzzle/ids';
import type { Task } from '../../src-shared/puzzle/types';
import { validateTask } from '../../src-shared/puzzle/validate';
import { badRequest, conflict, notFound } from './errors';
import type { Db } from './store/db';
import { LibraryStore, type TaskQuery } from './store/library-store';

/** The dataset that editor-authored tasks and edited copies of originals go to by default. */
export const USER_DATASET_NAME = 'My puzzles';

/** A task that passed the puzzle core's checks, or a 'bad-request' naming what is wrong and where. */
function checkedTask(task: Task): Task {
  // The same id rule as import, the API and the CLI: ids name files on export and appear in every view.
  const bad = idError('task.id: the id', task.id);
  if (bad !== null) throw badRequest(bad);
  try {
    return validateTask(task, { taskId: task.id });
  } catch (e) {
    if (e instanceof PuzzleFormatError) throw badRequest(e.message, e.location);
    throw e;
  }
}

function safeFileStem(name: string): string {
  const s = name.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._]+/, '');
  return s === '' ? 'tasks' : s.slice(0, 100);
}

/**
 * A generated dataset's name says what generating it again needs (issue 13: two "recolour ×8 (seed
 * 0)" datasets with other sizes were indistinguishable): family, count, sides, difficulty, seed.
 */
export function generatedDatasetName(family: string, p: { count: number; minSide: number; maxSide: number; difficulty: number; seed: number }): string {
  const sides = p.minSide === p.maxSide ? `side ${p.minSide}` : `sides ${p.minSide}–${p.maxSide}`;
  return `${family} ×${p.count}, ${sides}, difficulty ${p.difficulty}, seed ${p.seed}`;
}

/** How long a deleted dataset can be restored (Undo), across restarts; then it is purged. */
export const DATASET_UNDO_MS = 10 * 60 * 1000;

/**
 * The name of an imported dataset when the user gave none: the folder it came from; else its one
 * file that loaded (never a rejected file); else how many tasks from how many files.
 */
export function importedDatasetName(files: readonly string[], loadedTaskIds: readonly string[], wholeFileErrors: readonly string[], folder?: string): string {
  if (folder !== undefined && folder.trim() !== '') return folder.trim();
  const stem = (n: string) => (n.split(/[\\/]/).pop() ?? n).replace(/\.json$/i, '');
  const ids = new Set(loadedTaskIds);
  const failed = new Set(wholeFileErrors);
  // a per-task file loaded when its task did; a combined file when it had no whole-file error
  const loaded = files.filter((f) => !failed.has(f) && (ids.has(stem(f)) || /_(challenges|solutions)\.json$/i.test(f)));
  const challenges = loaded.filter((f) => !/_solutions\.json$/i.test(f));
  if (challenges.length === 1) return stem(challenges[0] as string).replace(/_challenges$/i, '');
  const n = loadedTaskIds.length;
  return `${n} task${n === 1 ? '' : 's'} from ${files.length} file${files.length === 1 ? '' : 's'}`;
}

export class Library {
  readonly store: LibraryStore;

  constructor(db: Db, private readonly changed: (datasetId: string | null) => void) {
    this.store = new LibraryStore(db);
    // deletions whose undo window passed while the lab was closed
    this.purgeDeleted();
  }

  /** `name`, or `name (2)`, `name (3)`, …: the first that no other dataset has. */
  private freeDatasetName(name: string, except?: string): string {
    const taken = new Set(this.store.datasets().filter((d) => d.id !== except).map((d) => d.name));
    if (!taken.has(name)) return name;
    for (let i = 2; ; i++) if (!taken.has(`${name} (${i})`)) return `${name} (${i})`;
  }

  renameDataset(id: string, name: string): DatasetSummary {
    const ds = this.store.dataset(id);
    if (ds === null) throw notFound(`no dataset with id ${id}`);
    const clean = name.trim();
    if (clean === '') throw badRequest('renameDataset: name: must not be empty');
    const other = this.store.datasets().find((d) => d.id !== id && d.name === clean);
    if (other !== undefined) throw conflict(`renameDataset: name: another dataset is already called "${clean}"`);
    this.store.renameDataset(id, clean);
    this.changed(id);
    return this.store.dataset(id) as DatasetSummary;
  }

  /** Hides the dataset and its tasks now; restoreDataset undoes it within DATASET_UNDO_MS. */
  deleteDataset(id: string, now = Date.now()): { undoUntil: string } {
    const ds = this.store.dataset(id);
    if (ds === null) throw notFound(`no dataset with id ${id}`);
    this.store.markDatasetDeleted(id, new Date(now).toISOString());
    this.purgeDeleted(now);
    this.changed(id);
    return { undoUntil: new Date(now + DATASET_UNDO_MS).toISOString() };
  }

  restoreDataset(id: string): DatasetSummary {
    if (!this.store.restoreDataset(id)) throw notFound(`dataset ${id} cannot be restored: it was not deleted, or its undo window is over`);
    this.changed(id);
    return this.store.dataset(id) as DatasetSummary;
  }

  purgeDeleted(now = Date.now()): void {
    this.store.purgeDeleted(new Date(now - DATASET_UNDO_MS).toISOString());
  }

  listDatasets(): DatasetSummary[] {
    return this.store.datasets();
  }

  listTasks(q: TaskQuery): { total: number; items: TaskSummary[] } {
    return this.store.listTasks(q);
  }

  getTask(id: string): LibraryTask {
    const t = this.store.task(id);
    if (t === null) throw notFound(`no library task with id ${id}`);
    return t;
  }

  /** The dataset of the user's own puzzles (created on first use). */
  userDataset(): string {
    return this.store.findDataset('user', USER_DATASET_NAME) ?? this.store.createDataset(USER_DATASET_NAME, 'user', { authored: true });
  }

  /**
   * New task → into `datasetId` (or the user dataset). Existing task in a user dataset, an edited
   * copy, or overwriteOriginal → updated in place. Otherwise (an imported or generated original) → a
   * new edited copy in a user dataset, the original untouched.
   */
  saveTask(q: ParamsOf<'saveTask'>): LibraryTask {
    const task = checkedTask(q.task);
    const id = this.store.transaction(() => {
      if (q.datasetId !== undefined && this.store.dataset(q.datasetId) === null) {
        throw notFound(`no dataset with id ${q.datasetId}`);
      }
      if (q.id === undefined) {
        const ds = q.datasetId ?? this.userDataset();
        return this.store.insertTask(ds, { task, tags: q.tags ?? [], originalId: null, edited: false });
      }
      const existing = this.store.task(q.id);
      if (existing === null) throw notFound(`no library task with id ${q.id}`);
      const kind = this.store.datasetKindOfTask(q.id);
      const tags = q.tags ?? existing.tags;
      const isOriginal = kind !== 'user' && !existing.edited;
      if (!isOriginal || q.overwriteOriginal === true) {
        this.store.updateTask(q.id, task, tags, existing.edited || isOriginal);
        return q.id;
      }
      let target = q.datasetId ?? this.userDataset();
      if (this.store.dataset(target)?.kind !== 'user') target = this.userDataset();
      return this.store.insertTask(target, { task, tags, originalId: q.id, edited: true });
    });
    const saved = this.getTask(id);
    this.changed(saved.datasetId);
    return saved;
  }

  deleteTask(id: string): void {
    const t = this.store.task(id);
    if (t === null) throw notFound(`no library task with id ${id}`);
    this.store.deleteTask(id);
    this.changed(t.datasetId);
  }

  /** Parses every file with the puzzle core; all good tasks go in as one dataset, in one transaction. */
  importFiles(q: ParamsOf<'importFiles'>): ImportReport {
    const parsed = parseFiles(q.files);
    const rejected = parsed.errors.map((e) => {
      const where = formatLocation({ ...(e.location.pair !== undefined && { pair: e.location.pair }), ...(e.location.cell !== undefined && { cell: e.location.cell }) });
      return {
        file: e.location.file ?? '',
        ...(e.location.taskId !== undefined && { taskId: e.location.taskId }),
        message: where === '' ? e.detail : `${where}: ${e.detail}`,
      };
    });
    if (parsed.tasks.length === 0) return { datasetId: null, loaded: 0, rejected };
    const wholeFile = parsed.errors.filter((e) => e.location.taskId === undefined && e.location.file !== undefined).map((e) => e.location.file as string);
    const name = q.name ?? importedDatasetName(q.files.map((f) => f.name), parsed.tasks.map((t) => t.id), wholeFile, q.folder);
    const datasetId = this.store.transaction(() => {
      const ds = this.store.createDataset(this.freeDatasetName(name), 'import', { files: q.files.map((f) => f.name), ...(q.folder !== undefined && { folder: q.folder }) });
      for (const task of parsed.tasks) this.store.insertTask(ds, { task, tags: [], originalId: null, edited: false });
      return ds;
    });
    this.changed(datasetId);
    return { datasetId, loaded: parsed.tasks.length, rejected };
  }

  exportTasks(q: ParamsOf<'exportTasks'>): { files: Array<{ name: string; content: string }> } {
    let tasks: Task[];
    let stem = 'puzzle-lab';
    if (q.ids !== undefined) {
      const found = this.store.tasksByIds(q.ids);
      if (found.missing.length > 0) throw notFound(`no library task with id ${found.missing.join(', ')}`);
      tasks = found.tasks.map((t) => t.task);
    } else if (q.datasetId !== undefined) {
      const ds = this.store.dataset(q.datasetId);
      if (ds === null) throw notFound(`no dataset with id ${q.datasetId}`);
      tasks = this.store.tasksOfDataset(q.datasetId);
      stem = safeFileStem(ds.name);
    } else {
      throw badRequest('exportTasks: give ids or datasetId');
    }
    if (tasks.length === 0) throw badRequest('exportTasks: nothing to export (no tasks)');
    if (q.format === 'per-task') {
      const used = new Set<string>();
      return {
        files: tasks.map((t) => {
          const base = safeFileStem(t.id);
          let name = `${base}.json`;
          for (let k = 2; used.has(name); k++) name = `${base}-${k}.json`;
          used.add(name);
          return { name, content: writeTaskJson(t) };
        }),
      };
    }
    const ids = new Set<string>();
    for (const t of tasks) {
      if (ids.has(t.id)) throw conflict(`exportTasks: task id ${t.id} appears twice; a combined file needs unique ids`);
      ids.add(t.id);
    }
    // Unsolved test inputs cannot go into a solutions file: then the challenges file comes alone.
    const solved = tasks.every((t) => t.test.every((p) => p.output !== undefined));
    if (!solved) return { files: [{ name: `${stem}_challenges.json`, content: writeChallenges(tasks) }] };
    const pair = writeCombined(tasks);
    return {
      files: [
        { name: `${stem}_challenges.json`, content: pair.challenges },
        { name: `${stem}_solutions.json`, content: pair.solutions },
      ],
    };
  }

  listFamilies(): FamilyInfo[] {
    return FAMILIES.map((f) => ({ ...f.info }));
  }

  generateTasks(q: ParamsOf<'generateTasks'>): { tasks: Task[]; datasetId: string | null } {
    if (!FAMILIES.some((f) => f.info.id === q.family)) {
      throw badRequest(`family: unknown puzzle family "${q.family}"; known: ${FAMILIES.map((f) => f.info.id).join(', ')}`);
    }
    const params = { count: q.count, minSide: q.minSide, maxSide: q.maxSide, difficulty: q.difficulty, seed: q.seed };
    let tasks: Task[];
    try {
      tasks = generateFamilyTasks(q.family, params);
    } catch (e) {
      throw badRequest(e instanceof Error ? e.message : String(e));
    }
    if (!q.save) return { tasks, datasetId: null };
    const datasetId = this.store.transaction(() => {
      const name = this.freeDatasetName(generatedDatasetName(q.family, { ...params, count: tasks.length }));
      const ds = this.store.createDataset(name, 'generated', { family: q.family, params, seed: q.seed });
      for (const task of tasks) this.store.insertTask(ds, { task, tags: [q.family], originalId: null, edited: false });
      return ds;
    });
    this.changed(datasetId);
    return { tasks, datasetId };
  }
}
