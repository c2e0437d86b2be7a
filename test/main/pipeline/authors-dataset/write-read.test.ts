// Lab tasks → the authors' dataset folder → back: the folder holds what build_arc_dataset.py would
// (versions, ids, translation of the train split only), numpy loads it as their loader expects, and the
// reader recovers the tasks, every version with its inverse transform, and the test examples' pairs.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { authorsEvalExamples, authorsEvalSet, authorsTasks, readAuthorsDataset } from '../../../../src-main/pipeline/authors-dataset/read';
import { decodeArcCanvas } from '../../../../src-main/pipeline/authors-dataset/decode';
import { writeAuthorsDataset } from '../../../../src-main/pipeline/authors-dataset/write';
import { buildDatasets } from '../../../../src-main/engine/data/training-set';
import { applyDihedral } from '../../../../src-shared/puzzle/dihedral';
import { applyColourMap } from '../../../../src-shared/puzzle/colours';
import { getEncoding, encodeArcGrid } from '../../../../src-shared/puzzle/tokens';
import type { Task } from '../../../../src-shared/puzzle/types';
import { arcTasks, checkWithNumpy, numpyUnavailable, tempDir } from './helpers';

let tasks: Task[] = [];
let folder = '';
const AUG = 12;

beforeAll(async () => {
  tasks = await arcTasks(4);
  folder = path.join(await tempDir('authors'), 'arc-aug-12');
  await writeAuthorsDataset(tasks, folder, { augmentations: AUG, seed: 3 });
});

describe("the authors' dataset folder", () => {
  it('holds every version of every task, ids by first appearance with <blank> at 0, as the lab builder assigns them', async () => {
    const ids = JSON.parse(await readFile(path.join(folder, 'identifiers.json'), 'utf8')) as string[];
    const lab = buildDatasets(tasks, { encoding: getEncoding('arc'), augmentations: AUG, evalAugmentations: AUG, translate: true, trainOnTestPairs: false, seed: 3, blankPuzzleIds: false });
    expect(ids).toEqual(lab.train.versionNames);
    expect(ids[0]).toBe('<blank>');
    for (const t of tasks) expect(ids).toContain(t.id);
    expect(ids.filter((n) => n.startsWith(`${tasks[0]!.id}|||`)).length).toBe(AUG);
    for (const n of ids.slice(1)) expect(n).toMatch(/^[0-9a-f]{8}(\|\|\|t[0-7]\|\|\|0[1-9]{9})?$/);
  });

  it('writes dataset.json as PuzzleDatasetMetadata with the counts of its split', async () => {
    const ds = await readAuthorsDataset(folder);
    try {
      const train = ds.splits.train!;
      const test = ds.splits.test!;
      expect(train.metadata).toEqual({
        seq_len: 900,
        vocab_size: 12,
        pad_id: 0,
        ignore_label_id: 0,
        blank_identifier_id: 0,
        num_puzzle_identifiers: ds.identifiers.length,
        total_groups: tasks.length,
        mean_puzzle_examples: train.examples / train.puzzleIdentifiers.length,
        total_puzzles: train.puzzleIdentifiers.length,
        sets: ['all'],
      });
      expect(train.examples).toBe(tasks.reduce((s, t) => s + t.train.length, 0) * (AUG + 1));
      expect(test.examples).toBe(tasks.reduce((s, t) => s + t.test.length, 0) * (AUG + 1));
      expect(test.metadata.total_groups).toBe(tasks.length);
    } finally {
      await ds.close();
    }
  });

  it('translates the train split (one example per version at the origin) and never the test split', async () => {
    const ds = await readAuthorsDataset(folder);
    try {
      const train = ds.splits.train!;
      let moved = 0;
      for (let p = 0; p < train.puzzleIdentifiers.length; p++) {
        const e0 = train.puzzleIndices[p]!;
        const rows = await train.readExamples(e0, train.puzzleIndices[p + 1]! - e0);
        const atOrigin = rows.filter((r) => r.inputs[0]! >= 2).length;
        expect(atOrigin).toBeGreaterThanOrEqual(1);
        moved += rows.length - atOrigin;
      }
      expect(moved).toBeGreaterThan(0);
      const test = ds.splits.test!;
      for (const r of await test.readExamples(0, test.examples)) expect(r.inputs[0]).toBeGreaterThanOrEqual(2);
    } finally {
      await ds.close();
    }
  });

  it('stores each version with its transform applied: colour map first, then dihedral, colour 0 kept', async () => {
    const ds = await readAuthorsDataset(folder);
    try {
      const test = ds.splits.test!;
      const t0 = tasks[0]!;
      for (let p = 0; p < test.puzzleIdentifiers.length; p++) {
        const v = ds.versions[test.puzzleIdentifiers[p]!]!;
        if (v.taskId !== t0.id) continue;
        expect(v.colours[0]).toBe(0);
        const rows = await test.readExamples(test.puzzleIndices[p]!, 1);
        const want = encodeArcGrid(applyDihedral(applyColourMap(t0.test[0]!.input, v.colours), v.dihedral));
        expect(Array.from(rows[0]!.inputs)).toEqual(Array.from(want));
      }
    } finally {
      await ds.close();
    }
  });

  it('gives every test example its task, test input, version, inverse transform and puzzle id', async () => {
    const ds = await readAuthorsDataset(folder);
    try {
      const ex = await authorsEvalExamples(ds);
      expect(ex.length).toBe(ds.splits.test!.examples);
      const multi = tasks[0]!;
      expect(new Set(ex.filter((e) => e.taskId === multi.id).map((e) => e.testIndex))).toEqual(new Set(multi.test.map((_, i) => i)));
      for (const e of ex) {
        const v = ds.versions[e.puzzleId]!;
        expect(v.name).toBe(e.versionName);
        expect(applyDihedral(applyDihedral([[1, 2, 3]], v.dihedral), v.inverse.dihedral)).toEqual([[1, 2, 3]]);
        expect(v.inverse.colours.map((_, k) => v.colours[v.inverse.colours[k]!])).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
        expect(e.labels.includes(-100)).toBe(true);
      }
      const only = await authorsEvalExamples(ds, new Set([tasks[1]!.id]));
      expect(only.every((e) => e.taskId === tasks[1]!.id)).toBe(true);
      expect(only.length).toBe(tasks[1]!.test.length * (AUG + 1));
    } finally {
      await ds.close();
    }
  });

  it("gives the lab's evaluation set: the same examples and puzzle ids the lab builder makes for these tasks", async () => {
    const ds = await readAuthorsDataset(folder);
    try {
      const got = await authorsEvalSet(ds);
      const lab = buildDatasets(tasks, { encoding: getEncoding('arc'), augmentations: AUG, evalAugmentations: AUG, translate: true, trainOnTestPairs: false, seed: 3, blankPuzzleIds: false }).eval;
      const key = (e: { taskId: string; testIndex: number; versionName: string }) => `${e.taskId}/${e.testIndex}/${e.versionName}`;
      const sortBy = <T extends { taskId: string; testIndex: number; versionName: string }>(xs: T[]) => [...xs].sort((a, b) => key(a).localeCompare(key(b)));
      expect(sortBy(got.examples).map((e) => [key(e), e.puzzleId, Array.from(e.inputs), Array.from(e.labels ?? [])])).toEqual(
        sortBy(lab.examples).map((e) => [key(e), e.puzzleId, Array.from(e.inputs), Array.from(e.labels ?? [])]),
      );
      expect(got.tests.length).toBe(lab.tests.length);
    } finally {
      await ds.close();
    }
  });

  it('recovers the tasks: evaluation tasks from test_puzzles.json, train-only tasks de-translated and de-augmented from the train split', async () => {
    const ds = await readAuthorsDataset(folder);
    try {
      const got = await authorsTasks(ds);
      // (JSON objects list integer-like keys such as "13713586" first, so compare by id.)
      const byId = (a: Task, b: Task) => a.id.localeCompare(b.id);
      expect(got.tasks.map((t) => t.task).sort(byId)).toEqual([...tasks].sort(byId));
      expect(got.tasks.every((t) => t.origin === 'test_puzzles')).toBe(true);
    } finally {
      await ds.close();
    }
    // Train-on-test-pairs folds test pairs into train; with an empty test_puzzles.json the tasks come
    // from the train split alone (the builder's non-evaluation subsets), last pair as the test pair.
    const f2 = path.join(await tempDir('authors-trainonly'), 'd');
    await writeAuthorsDataset(tasks.slice(1), f2, { augmentations: 3, seed: 1, trainOnTestPairs: true });
    const { writeFile } = await import('node:fs/promises');
    await writeFile(path.join(f2, 'test_puzzles.json'), '{}');
    const ds2 = await readAuthorsDataset(f2);
    try {
      const got = await authorsTasks(ds2);
      for (const [i, t] of tasks.slice(1).entries()) {
        const r = got.tasks[i]!;
        expect(r.origin).toBe('train-split');
        expect(r.task.id).toBe(t.id);
        expect([...r.task.train, ...r.task.test]).toEqual([...t.train, ...t.test]);
      }
      expect(got.notes.join(' ')).toMatch(/last pair is shown as its test pair/);
    } finally {
      await ds2.close();
    }
  });

  it('decodes a translated canvas wherever the grid sits', () => {
    const g = [
      [1, 2],
      [3, 0],
      [5, 6],
    ];
    expect(decodeArcCanvas(encodeArcGrid(g, 7, 12))).toEqual(g);
    expect(decodeArcCanvas(encodeArcGrid(g, 27, 28))).toEqual(g);
    expect(decodeArcCanvas(new Int32Array(900))).toBeNull();
  });

  const noNumpy = numpyUnavailable();
  it.skipIf(noNumpy !== null)(`numpy loads every array with the dtype and shape their loader expects, and undoes every test version to its test input${noNumpy === null ? '' : ` (skipped: ${noNumpy})`}`, async () => {
    const facts = checkWithNumpy(folder);
    const ds = await readAuthorsDataset(folder);
    try {
      expect(facts.identifiers).toBe(ds.identifiers.length);
      expect(facts.train.examples).toBe(ds.splits.train!.examples);
      expect(facts.test.puzzles).toBe(ds.splits.test!.puzzleIdentifiers.length);
      expect(facts.matched_test_examples).toBe(ds.splits.test!.examples);
    } finally {
      await ds.close();
    }
  });

  it('exports N-Queens and Sudoku boards with the blank puzzle id, as the authors\' board builders do', async () => {
    const { generateTasks } = await import('../../../../src-shared/generators');
    const boards = generateTasks('sudoku', { count: 2, minSide: 9, maxSide: 9, difficulty: 1, seed: 0 });
    const f = path.join(await tempDir('authors-sudoku'), 'sudoku');
    const s = await writeAuthorsDataset(boards, f, { augmentations: 2, encoding: getEncoding('sudoku') });
    expect(s.numPuzzleIdentifiers).toBe(1);
    const ds = await readAuthorsDataset(f);
    try {
      expect(ds.kind).toBe('other');
      expect(ds.splits.train!.metadata.seq_len).toBe(81);
      expect(ds.splits.train!.metadata.vocab_size).toBe(11);
      expect(ds.splits.train!.puzzleIdentifiers.every((id) => id === 0)).toBe(true);
    } finally {
      await ds.close();
    }
    // a board folder may come without identifiers.json (all ids blank): then it is ["<blank>"]
    const { rm } = await import('node:fs/promises');
    await rm(path.join(f, 'identifiers.json'));
    const again = await readAuthorsDataset(f);
    expect(again.identifiers).toEqual(['<blank>']);
    await again.close();
  });

  it('refuses an existing folder and leaves nothing behind when an export fails', async () => {
    await expect(writeAuthorsDataset(tasks, folder)).rejects.toThrow(/already exists; choose a new folder \(nothing was written\)/);
    const dir = await tempDir('authors-fail');
    const tooBig = { id: 'big', train: [{ input: [[1]], output: [[1]] }], test: [{ input: [[1]], output: [[1]] }] } as Task;
    await expect(writeAuthorsDataset([tooBig, tooBig], path.join(dir, 'x'))).rejects.toThrow(/task id big appears twice/);
    const { readdir } = await import('node:fs/promises');
    expect(await readdir(dir)).toEqual([]);
  });
});
