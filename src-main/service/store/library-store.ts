// SQL for the library: datasets and tasks. Rows map to the API's plain shapes here, so the service
// above never sees column names.
import type { DatasetSummary, LibraryTask, TaskSummary } from '../../../src-shared/api/contract';
import type { Task } from '../../../src-shared/puzzle/types';
import { newId, nowIso } from '../ids';
import { immediateTransaction, type Db } from './db';

export type DatasetKind = DatasetSummary['kind'];

interface TaskRow {
  id: string;
  dataset_id: string;
  task_id: string;
  task: string;
  tags: string;
  original_id: string | null;
  edited: number;
  train_count: number;
  test_count: number;
  thumbnail: string;
  updated_at: string;
}

interface DatasetRow {
  id: string;
  name: string;
  kind: DatasetKind;
  provenance: string;
  created_at: string;
  task_count: number;
}

const SUMMARY_COLUMNS =
  'id, dataset_id, task_id, tags, original_id, edited, train_count, test_count, thumbnail, updated_at';

function toSummary(r: Omit<TaskRow, 'task'>): TaskSummary {
  return {
    id: r.id,
    taskId: r.task_id,
    datasetId: r.dataset_id,
    tags: JSON.parse(r.tags) as string[],
    trainCount: r.train_count,
    testCount: r.test_count,
    thumbnail: JSON.parse(r.thumbnail) as number[][],
    edited: r.edited !== 0,
    updatedAt: r.updated_at,
  };
}

function toDataset(r: DatasetRow): DatasetSummary {
  return {
    id: r.id,
    name: r.name,
    kind: r.kind,
    provenance: r.provenance,
    taskCount: r.task_count,
    createdAt: r.created_at,
  };
}

export interface TaskQuery {
  datasetId?: string | undefined;
  search?: string | undefined;
  tag?: string | undefined;
  offset?: number | undefined;
  limit?: number | undefined;
}

export interface NewTask {
  task: Task;
  tags: string[];
  originalId: string | null;
  edited: boolean;
}

export class LibraryStore {
  constructor(private readonly db: Db) {}

  createDataset(name: string, kind: DatasetKind, provenance: unknown): string {
    const id = newId('ds');
    this.db
      .prepare('INSERT INTO datasets (id, name, kind, provenance, created_at) VALUES (?, ?, ?, ?, ?)')
      .run(id, name, kind, JSON.stringify(provenance), nowIso());
    return id;
  }

  datasets(): DatasetSummary[] {
    const rows = this.db
      .prepare(
        `SELECT d.id, d.name, d.kind, d.provenance, d.created_at,
                (SELECT COUNT(*) FROM tasks t WHERE t.dataset_id = d.id) AS task_count
           FROM datasets d WHERE d.deleted_at IS NULL ORDER BY d.created_at, d.rowid`,
      )
      .all() as DatasetRow[];
    return rows.map(toDataset);
  }

  dataset(id: string): DatasetSummary | null {
    const r = this.db
      .prepare(
        `SELECT d.id, d.name, d.kind, d.provenance, d.created_at,
                (SELECT COUNT(*) FROM tasks t WHERE t.dataset_id = d.id) AS task_count
           FROM datasets d WHERE d.id = ? AND d.deleted_at IS NULL`,
      )
      .get(id) as DatasetRow | undefined;
    return r === undefined ? null : toDataset(r);
  }

  /** The first dataset of a kind with this name (the editor's default "My puzzles" dataset). */
  findDataset(kind: DatasetKind, name: string): string | null {
    const r = this.db.prepare('SELECT id FROM datasets WHERE kind = ? AND name = ? AND deleted_at IS NULL ORDER BY rowid LIMIT 1').get(kind, name) as
      | { id: string }
      | undefined;
    return r?.id ?? null;
  }

  insertTask(datasetId: string, t: NewTask): string {
    const id = newId('task');
    const seq = (this.db.prepare('SELECT COALESCE(MAX(seq), 0) + 1 AS s FROM tasks').get() as { s: number }).s;
    this.db
      .prepare(
        `INSERT INTO tasks (id, dataset_id, task_id, task, tags, original_id, edited, train_count, test_count, thumbnail, seq, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        id,
        datasetId,
        t.task.id,
        JSON.stringify(t.task),
        JSON.stringify(t.tags),
        t.originalId,
        t.edited ? 1 : 0,
        t.task.train.length,
        t.task.test.length,
        JSON.stringify(t.task.train[0]?.input ?? []),
        seq,
        nowIso(),
      );
    return id;
  }

  updateTask(id: string, task: Task, tags: string[], edited: boolean): void {
    this.db
      .prepare(
        `UPDATE tasks SET task_id = ?, task = ?, tags = ?, edited = ?, train_count = ?, test_count = ?, thumbnail = ?, updated_at = ?
          WHERE id = ?`,
      )
      .run(
        task.id,
        JSON.stringify(task),
        JSON.stringify(tags),
        edited ? 1 : 0,
        task.train.length,
        task.test.length,
        JSON.stringify(task.train[0]?.input ?? []),
        nowIso(),
        id,
      );
  }

  deleteTask(id: string): boolean {
    return this.db.prepare('DELETE FROM tasks WHERE id = ?').run(id).changes > 0;
  }

  task(id: string): LibraryTask | null {
    const r = this.db.prepare(`SELECT ${SUMMARY_COLUMNS}, task FROM tasks WHERE id = ?`).get(id) as TaskRow | undefined;
    if (r === undefined) return null;
    return { ...toSummary(r), task: JSON.parse(r.task) as Task, originalId: r.original_id };
  }

  datasetKindOfTask(id: string): DatasetKind | null {
    const r = this.db
      .prepare('SELECT d.kind FROM tasks t JOIN datasets d ON d.id = t.dataset_id WHERE t.id = ?')
      .get(id) as { kind: DatasetKind } | undefined;
    return r?.kind ?? null;
  }

  /** Full tasks by library id, in the given order; missing ids are returned separately. */
  tasksByIds(ids: readonly string[]): { tasks: Array<{ id: string; task: Task }>; missing: string[] } {
    const stmt = this.db.prepare('SELECT task FROM tasks WHERE id = ?');
    const tasks: Array<{ id: string; task: Task }> = [];
    const missing: string[] = [];
    for (const id of ids) {
      const r = stmt.get(id) as { task: string } | undefined;
      if (r === undefined) missing.push(id);
      else tasks.push({ id, task: JSON.parse(r.task) as Task });
    }
    return { tasks, missing };
  }

  tasksOfDataset(datasetId: string): Task[] {
    const rows = this.db.prepare('SELECT task FROM tasks WHERE dataset_id = ? ORDER BY seq').all(datasetId) as Array<{ task: string }>;
    return rows.map((r) => JSON.parse(r.task) as Task);
  }

  listTasks(q: TaskQuery): { total: number; items: TaskSummary[] } {
    // tasks of a deleted dataset (inside its undo window) are not listed
    const where: string[] = ['dataset_id NOT IN (SELECT id FROM datasets WHERE deleted_at IS NOT NULL)'];
    const args: unknown[] = [];
    if (q.datasetId !== undefined) {
      where.push('dataset_id = ?');
      args.push(q.datasetId);
    }
    if (q.search !== undefined && q.search.trim() !== '') {
      // LIKE with escaped wildcards: a search for "a_b" means the literal text.
      const pattern = `%${q.search.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      where.push(`(task_id LIKE ? ESCAPE '\\' OR EXISTS (SELECT 1 FROM json_each(tasks.tags) WHERE value LIKE ? ESCAPE '\\'))`);
      args.push(pattern, pattern);
    }
    if (q.tag !== undefined) {
      where.push('EXISTS (SELECT 1 FROM json_each(tasks.tags) WHERE value = ?)');
      args.push(q.tag);
    }
    const clause = `WHERE ${where.join(' AND ')}`;
    const total = (this.db.prepare(`SELECT COUNT(*) AS n FROM tasks ${clause}`).get(...args) as { n: number }).n;
    const rows = this.db
      .prepare(`SELECT ${SUMMARY_COLUMNS} FROM tasks ${clause} ORDER BY seq LIMIT ? OFFSET ?`)
      .all(...args, q.limit ?? 100, q.offset ?? 0) as TaskRow[];
    return { total, items: rows.map(toSummary) };
  }

  renameDataset(id: string, name: string): void {
    this.db.prepare('UPDATE datasets SET name = ? WHERE id = ? AND deleted_at IS NULL').run(name, id);
  }

  /** Hides a dataset and its tasks; purgeDeleted removes them for good once the undo window is over. */
  markDatasetDeleted(id: string, at: string): void {
    this.db.prepare('UPDATE datasets SET deleted_at = ? WHERE id = ?').run(at, id);
  }

  /** Undoes markDatasetDeleted; false when the dataset is gone (purged) or was never deleted. */
  restoreDataset(id: string): boolean {
    return this.db.prepare('UPDATE datasets SET deleted_at = NULL WHERE id = ? AND deleted_at IS NOT NULL').run(id).changes > 0;
  }

  /** Deletes datasets (with their tasks, by cascade) marked deleted before `before`; returns their ids. */
  purgeDeleted(before: string): string[] {
    const rows = this.db.prepare('SELECT id FROM datasets WHERE deleted_at IS NOT NULL AND deleted_at < ?').all(before) as Array<{ id: string }>;
    const del = this.db.prepare('DELETE FROM datasets WHERE id = ?');
    for (const r of rows) del.run(r.id);
    return rows.map((r) => r.id);
  }

  /** Runs fn in one IMMEDIATE transaction (all or nothing). */
  transaction<T>(fn: () => T): T {
    return immediateTransaction(this.db, fn);
  }
}
