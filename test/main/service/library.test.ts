import { describe, expect, it } from 'vitest';
import { Library, USER_DATASET_NAME } from '../../../src-main/service/library';
import { LabError } from '../../../src-main/service/errors';
import { openDb } from '../../../src-main/service/store/db';
import type { Task } from '../../../src-shared/puzzle/types';

const task = (id: string, colour = 1): Task => ({
  id,
  train: [{ input: [[colour, 0], [0, colour]], output: [[0, colour], [colour, 0]] }],
  test: [{ input: [[colour]], output: [[0]] }],
});

function setup() {
  const changes: Array<string | null> = [];
  const lib = new Library(openDb(':memory:'), (d) => changes.push(d));
  return { lib, changes };
}

const file = (name: string, value: unknown) => ({ name, content: JSON.stringify(value) });
const body = (t: Task) => ({ train: t.train, test: t.test });

describe('the library', () => {
  it('imports good tasks as one dataset and reports each rejected file with its task id and reason', () => {
    const { lib, changes } = setup();
    const report = lib.importFiles({
      name: 'my files',
      files: [
        file('a.json', body(task('a'))),
        file('b.json', { train: [], test: [] }),
        { name: 'c.json', content: '{not json' },
        file('d.json', body(task('d'))),
      ],
    });
    expect(report.loaded).toBe(2);
    expect(report.datasetId).not.toBeNull();
    expect(report.rejected.map((r) => r.file).sort()).toEqual(['b.json', 'c.json']);
    expect(report.rejected.find((r) => r.file === 'b.json')).toMatchObject({ taskId: 'b', message: expect.stringMatching(/empty/) });
    expect(lib.listDatasets()).toEqual([expect.objectContaining({ name: 'my files', kind: 'import', taskCount: 2 })]);
    expect(changes).toEqual([report.datasetId]);
  });

  it('imports nothing and creates no dataset when every file is bad', () => {
    const { lib } = setup();
    const report = lib.importFiles({ name: 'bad', files: [{ name: 'x.txt', content: 'hello' }] });
    expect(report).toMatchObject({ datasetId: null, loaded: 0 });
    expect(lib.listDatasets()).toEqual([]);
  });

  it('saves an edit of an imported task as an edited copy and leaves the original untouched', () => {
    const { lib } = setup();
    const { datasetId } = lib.importFiles({ name: 'src', files: [file('a.json', body(task('a')))] });
    const original = lib.listTasks({ datasetId: datasetId! }).items[0]!;
    const copy = lib.saveTask({ id: original.id, task: task('a', 5) });
    expect(copy.id).not.toBe(original.id);
    expect(copy).toMatchObject({ originalId: original.id, edited: true });
    expect(lib.listDatasets().find((d) => d.id === copy.datasetId)).toMatchObject({ name: USER_DATASET_NAME, kind: 'user' });
    expect(lib.getTask(original.id).task.train[0]!.input[0]![0]).toBe(1);
    // Saving the copy again updates it in place.
    const again = lib.saveTask({ id: copy.id, task: task('a', 7) });
    expect(again.id).toBe(copy.id);
    expect(lib.getTask(copy.id).task.train[0]!.input[0]![0]).toBe(7);
  });

  it('overwrites an imported original only when asked to', () => {
    const { lib } = setup();
    const { datasetId } = lib.importFiles({ name: 'src', files: [file('a.json', body(task('a')))] });
    const original = lib.listTasks({ datasetId: datasetId! }).items[0]!;
    const saved = lib.saveTask({ id: original.id, task: task('a', 4), overwriteOriginal: true });
    expect(saved.id).toBe(original.id);
    expect(saved.edited).toBe(true);
    expect(lib.listTasks({}).total).toBe(1);
  });

  it('refuses to save an invalid task with a message that says where', () => {
    const { lib } = setup();
    const bad = { id: 't', train: [{ input: [[1, 2], [3]], output: [[1]] }], test: [{ input: [[1]] }] } as Task;
    expect(() => lib.saveTask({ task: bad })).toThrow(LabError);
    expect(() => lib.saveTask({ task: bad })).toThrow(/train\[0\]\.input/);
    expect(() => lib.saveTask({ task: { ...task('x'), id: ' ' } })).toThrow(/task\.id: the id " " is empty/);
    expect(() => lib.saveTask({ task: { ...task('x'), id: '../../etc/x <b>y</b>' } })).toThrow(/contains \/ \\ < or >/);
    expect(() => lib.saveTask({ task: { ...task('x'), id: 'a'.repeat(121) } })).toThrow(/121 characters long \(at most 120\)/);
  });

  it('finds tasks by id fragment and by tag, with paging', () => {
    const { lib } = setup();
    for (let i = 0; i < 5; i++) lib.saveTask({ task: task(`alpha-${i}`), tags: i % 2 === 0 ? ['even'] : ['odd'] });
    lib.saveTask({ task: task('beta_1'), tags: ['special'] });
    expect(lib.listTasks({ search: 'alpha' }).total).toBe(5);
    expect(lib.listTasks({ search: 'a_0' }).total).toBe(0); // "_" is literal, not a wildcard
    expect(lib.listTasks({ search: 'spec' }).items.map((t) => t.taskId)).toEqual(['beta_1']);
    expect(lib.listTasks({ tag: 'even' }).total).toBe(3);
    const page = lib.listTasks({ offset: 2, limit: 2 });
    expect(page.total).toBe(6);
    expect(page.items.map((t) => t.taskId)).toEqual(['alpha-2', 'alpha-3']);
    expect(page.items[0]!.thumbnail).toEqual([[1, 0], [0, 1]]);
  });

  it('exports per-task files and a combined pair that import back to the same tasks', () => {
    const { lib } = setup();
    const { datasetId } = lib.importFiles({ name: 'set', files: [file('a.json', body(task('a'))), file('b.json', body(task('b', 3)))] });
    const perTask = lib.exportTasks({ datasetId: datasetId!, format: 'per-task' });
    expect(perTask.files.map((f) => f.name)).toEqual(['a.json', 'b.json']);
    const combined = lib.exportTasks({ datasetId: datasetId!, format: 'combined' });
    expect(combined.files.map((f) => f.name)).toEqual(['set_challenges.json', 'set_solutions.json']);
    const back = lib.importFiles({ name: 'back', files: combined.files });
    expect(back).toMatchObject({ loaded: 2, rejected: [] });
    expect(lib.getTask(lib.listTasks({ datasetId: back.datasetId! }).items[1]!.id).task).toEqual(task('b', 3));
  });

  it('saves a generated family as a dataset with its provenance', () => {
    const { lib } = setup();
    const family = lib.listFamilies()[0]!;
    const r = lib.generateTasks({ family: family.id, count: 3, minSide: 3, maxSide: 5, difficulty: 1, seed: 7, save: true });
    expect(r.tasks).toHaveLength(3);
    const ds = lib.listDatasets().find((d) => d.id === r.datasetId)!;
    expect(ds.kind).toBe('generated');
    expect(JSON.parse(ds.provenance)).toMatchObject({ family: family.id, seed: 7, params: { count: 3 } });
    expect(lib.generateTasks({ family: family.id, count: 2, minSide: 3, maxSide: 5, difficulty: 1, seed: 7, save: false }).datasetId).toBeNull();
    expect(() => lib.generateTasks({ family: 'nope', count: 1, minSide: 3, maxSide: 5, difficulty: 1, seed: 7, save: false })).toThrow(/unknown puzzle family/);
  });

  it('names a generated dataset by its parameters, and a second generation with the same ones gets a unique name', () => {
    const { lib } = setup();
    const q = { family: 'recolour', count: 2, minSide: 3, maxSide: 4, difficulty: 1, seed: 0, save: true };
    lib.generateTasks(q);
    lib.generateTasks({ ...q, maxSide: 6 });
    lib.generateTasks(q);
    expect(lib.listDatasets().map((d) => d.name).sort()).toEqual([
      'recolour ×2, sides 3–4, difficulty 1, seed 0',
      'recolour ×2, sides 3–4, difficulty 1, seed 0 (2)',
      'recolour ×2, sides 3–6, difficulty 1, seed 0',
    ]);
  });
});

describe('the one id rule in the library', () => {
  it.each(['a\u0000b', 'a\nb', 'x\u202Ey', 'zero\u200Bwidth', '<img src=x>', '../../x', '..', 'x'.repeat(10_000)])(
    'import and save refuse the id %j alike',
    (id) => {
      const { lib } = setup();
      const r = lib.importFiles({ name: 'ids', files: [file('set_challenges.json', { [id]: body(task(id)) })] });
      expect(r.loaded).toBe(0);
      expect(r.rejected[0]!.message).toMatch(/task id/);
      expect(() => lib.saveTask({ task: task(id) })).toThrow(/task\.id: the id/);
    },
  );

  it('refuses at import a task the editor could not save, with the limit in the message', () => {
    const { lib } = setup();
    const big = { ...body(task('big')), train: Array.from({ length: 10_000 }, () => task('x').train[0]) };
    const r = lib.importFiles({ name: 'big', files: [file('big.json', big)] });
    expect(r.loaded).toBe(0);
    expect(r.rejected[0]!.message).toMatch(/at most 1000/);
  });
});

describe('dataset names, rename and delete with undo (issue 13)', () => {
  it('names an import without a name after the one file that loaded, never a rejected first file', () => {
    const { lib } = setup();
    lib.importFiles({ files: [{ name: 'broken.json', content: '{nope' }, file('good.json', body(task('good')))] });
    expect(lib.listDatasets().map((d) => d.name)).toEqual(['good']);
  });

  it('names an import of many files after their folder, or by count, and never twice the same', () => {
    const { lib } = setup();
    const files = ['a', 'b', 'c'].map((id) => file(`${id}.json`, body(task(id))));
    lib.importFiles({ files, folder: 'evaluation' });
    lib.importFiles({ files: [...files, { name: 'x.json', content: '[' }] });
    lib.importFiles({ files: files.slice(0, 2) });
    lib.importFiles({ files: files.slice(0, 2) });
    expect(lib.listDatasets().map((d) => d.name)).toEqual(['evaluation', '3 tasks from 4 files', '2 tasks from 2 files', '2 tasks from 2 files (2)']);
  });

  it('renames a dataset, refusing an empty or taken name', () => {
    const { lib } = setup();
    const a = lib.importFiles({ name: 'a', files: [file('t.json', body(task('t')))] }).datasetId as string;
    lib.importFiles({ name: 'b', files: [file('u.json', body(task('u')))] });
    expect(lib.renameDataset(a, '  ARC eval  ').name).toBe('ARC eval');
    expect(() => lib.renameDataset(a, 'b')).toThrow(/already called "b"/);
    expect(() => lib.renameDataset(a, ' ')).toThrow(/empty/);
    expect(() => lib.renameDataset('ds-nope', 'x')).toThrow(LabError);
  });

  it('hides a deleted dataset and its tasks at once, restores both on undo, and purges only after the window', () => {
    const { lib } = setup();
    const ds = lib.importFiles({ name: 'a', files: [file('t.json', body(task('t')))] }).datasetId as string;
    const t0 = Date.parse('2026-01-01T00:00:00Z');
    const { undoUntil } = lib.deleteDataset(ds, t0);
    expect(Date.parse(undoUntil)).toBeGreaterThan(t0);
    expect(lib.listDatasets()).toEqual([]);
    expect(lib.listTasks({}).total).toBe(0);
    expect(lib.restoreDataset(ds)).toMatchObject({ id: ds, taskCount: 1 });
    expect(lib.listTasks({}).total).toBe(1);
    lib.deleteDataset(ds, t0);
    lib.purgeDeleted(Date.parse(undoUntil) - 1000);
    expect(lib.restoreDataset(ds).taskCount).toBe(1);
    lib.deleteDataset(ds, t0);
    lib.purgeDeleted(Date.parse(undoUntil) + 1000);
    expect(() => lib.restoreDataset(ds)).toThrow(/undo window is over/);
  });

  it('keeps a deleted dataset restorable after a restart inside the undo window', () => {
    const db = openDb(':memory:');
    const lib = new Library(db, () => {});
    const ds = lib.importFiles({ name: 'a', files: [file('t.json', body(task('t')))] }).datasetId as string;
    lib.deleteDataset(ds);
    const again = new Library(db, () => {});
    expect(again.restoreDataset(ds).taskCount).toBe(1);
  });
});
