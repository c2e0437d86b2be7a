import { describe, expect, it } from 'vitest';
import { buildDatasets, canvasOffsets, encodingForSource, type DataBuildOptions } from '../../../../src-main/engine/data/training-set';
import { generateTasks } from '../../../../src-shared/generators';
import { nqueensDataset } from '../../../../src-shared/generators/nqueens';
import { sudokuDataset } from '../../../../src-shared/generators/sudoku';
import { Rng } from '../../../../src-shared/prng';
import { parseVersionName } from '../../../../src-shared/puzzle/augment';
import { applyDihedral } from '../../../../src-shared/puzzle/dihedral';
import { getEncoding, IGNORE } from '../../../../src-shared/puzzle/tokens';
import type { Task } from '../../../../src-shared/puzzle/types';

const task: Task = {
  id: 'aa',
  train: [
    { input: [[1, 2], [3, 0]], output: [[2, 1]] },
    { input: [[4]], output: [[4, 4], [5, 5]] },
  ],
  test: [{ input: [[6, 7]], output: [[7, 6]] }, { input: [[8]] }],
};
const other: Task = {
  id: 'bb',
  train: [{ input: [[1, 1, 1]], output: [[2]] }],
  test: [{ input: [[3, 3]], output: [[3]] }],
};

function opts(over: Partial<DataBuildOptions> = {}): DataBuildOptions {
  return {
    encoding: getEncoding('arc', 10),
    augmentations: 3,
    evalAugmentations: 2,
    translate: false,
    trainOnTestPairs: false,
    seed: 1,
    blankPuzzleIds: false,
    ...over,
  };
}

describe('buildDatasets for ARC tasks', () => {
  it('trains on demonstrations, evaluates test pairs, and shares one puzzle id per version', () => {
    const { train, eval: ev } = buildDatasets([task, other], opts());
    expect(train.groups.map((g) => g.taskId)).toEqual(['aa', 'bb']);
    expect(train.versionNames[0]).toBe('<blank>');
    // ids by first appearance: aa's versions, then bb's.
    const aaIds = train.groups[0]?.versions.map((v) => v.puzzleId);
    expect(aaIds).toEqual([1, 2, 3, 4]);
    expect(train.versionNames[1]).toBe('aa');
    expect(train.numPuzzleIds).toBe(train.versionNames.length);
    expect(train.totalExamples).toBe(4 * 2 + 4 * 1);
    for (const g of train.groups) for (const v of g.versions) for (const ex of v.examples) {
      expect(ex.inputs).toHaveLength(100);
      expect(ex.puzzleId).toBe(v.puzzleId);
    }
    // Each test pair: original + 2 augmented versions, with the id of the same version's demonstrations.
    const aa0 = ev.examples.filter((e) => e.taskId === 'aa' && e.testIndex === 0);
    expect(aa0).toHaveLength(3);
    for (const e of aa0) {
      expect(train.versionNames[e.puzzleId]).toBe(e.versionName);
      const parsed = parseVersionName(e.versionName);
      expect(parsed.dihedral).toBe(e.dihedral);
      expect(parsed.colours).toEqual(e.colours);
    }
    expect(aa0[0]?.versionName).toBe('aa');
    expect(Array.from(aa0[0]?.inputs ?? [])).toEqual(Array.from(getEncoding('arc', 10).encodeInput([[6, 7]])));
    // A test pair without a known output still evaluates, without labels.
    expect(ev.examples.filter((e) => e.taskId === 'aa' && e.testIndex === 1).every((e) => e.labels === null)).toBe(true);
    expect(ev.tests).toEqual([
      { taskId: 'aa', testIndex: 0, input: [[6, 7]], output: [[7, 6]] },
      { taskId: 'aa', testIndex: 1, input: [[8]] },
      { taskId: 'bb', testIndex: 0, input: [[3, 3]], output: [[3]] },
    ]);
  });

  it('caps evaluation versions at the trained versions', () => {
    const { eval: ev } = buildDatasets([task], opts({ augmentations: 1, evalAugmentations: 5 }));
    expect(ev.examples.filter((e) => e.testIndex === 0)).toHaveLength(2);
  });

  it('adds the test pairs with known outputs to training when asked', () => {
    const { train } = buildDatasets([task], opts({ augmentations: 0, trainOnTestPairs: true }));
    expect(train.totalExamples).toBe(3);
  });

  it('puts every example on id 0 with blank puzzle ids', () => {
    const { train, eval: ev } = buildDatasets([task, other], opts({ blankPuzzleIds: true }));
    expect(train.numPuzzleIds).toBe(1);
    expect(train.versionNames).toEqual(['<blank>']);
    expect(train.groups.flatMap((g) => g.versions.map((v) => v.puzzleId))).toSatisfy((ids: number[]) => ids.every((i) => i === 0));
    expect(ev.examples.every((e) => e.puzzleId === 0)).toBe(true);
  });

  it('translates all but one example per version, inside the canvas, with the same offset for input and output', () => {
    const enc = getEncoding('arc', 10);
    const { train } = buildDatasets([task], opts({ translate: true, augmentations: 6, seed: 5 }));
    let moved = 0;
    for (const v of train.groups[0]?.versions ?? []) {
      const atOrigin = v.examples.filter((ex) => ex.inputs[0] !== 0).length;
      expect(atOrigin).toBeGreaterThanOrEqual(1);
      moved += v.examples.length - atOrigin;
      for (const ex of v.examples) {
        // The grid's top-left corner is the first non-PAD input token; the label's first supervised token is the same cell.
        const first = ex.inputs.findIndex((t) => t !== 0);
        expect(ex.labels.findIndex((t) => t !== IGNORE)).toBe(first);
        expect(ex.inputs).toHaveLength(enc.seqLen);
      }
    }
    expect(moved).toBeGreaterThan(0);
    // Switching translation on does not change the versions (separate random streams).
    const plain = buildDatasets([task], opts({ augmentations: 6, seed: 5 })).train;
    expect(plain.versionNames).toEqual(train.versionNames);
  });

  it('is deterministic for a seed', () => {
    const a = buildDatasets([task, other], opts({ translate: true }));
    const b = buildDatasets([task, other], opts({ translate: true }));
    expect(a.train.versionNames).toEqual(b.train.versionNames);
    expect(a.train.groups.map((g) => g.versions.map((v) => v.examples.map((e) => Array.from(e.inputs))))).toEqual(
      b.train.groups.map((g) => g.versions.map((v) => v.examples.map((e) => Array.from(e.inputs)))),
    );
  });

  it('names the task, pair and size of a grid that does not fit the canvas', () => {
    const big: Task = { id: 'big', train: [{ input: [[1]], output: Array.from({ length: 12 }, () => new Array(12).fill(1)) }], test: [] };
    expect(() => buildDatasets([big], opts())).toThrow(/task big train\[0\]\.output is 12x12, larger than the 10×10 canvas \(data\.canvas = 10\)/);
  });

  it('rejects duplicate task ids and tasks without training pairs', () => {
    expect(() => buildDatasets([task, task], opts())).toThrow(/task id aa appears twice/);
    const noTrain: Task = { id: 'nt', train: [], test: [{ input: [[1]], output: [[1]] }] };
    expect(() => buildDatasets([noTrain], opts())).toThrow(/no training pairs .*trainOnTestPairs/);
  });
});

describe('buildDatasets for N-Queens and Sudoku', () => {
  it('makes each N-Queens puzzle a group of 9 one-example versions (dihedral (i−1) mod 8), all on id 0', () => {
    const nq = nqueensDataset({ n: 6, train: 3, test: 2, seed: 4 });
    const enc = getEncoding('nqueens', 6);
    const { train, eval: ev } = buildDatasets([nq], { ...opts(), encoding: enc, augmentations: 8, blankPuzzleIds: true });
    expect(train.groups).toHaveLength(3);
    expect(train.totalExamples).toBe(27);
    expect(train.numPuzzleIds).toBe(1);
    const g0 = train.groups[0];
    const pair = nq.train[0];
    if (g0 === undefined || pair === undefined) throw new Error('missing group');
    expect(g0.versions).toHaveLength(9);
    g0.versions.forEach((v, i) => {
      const d = i === 0 ? 0 : (i - 1) % 8;
      expect(Array.from(v.examples[0]?.inputs ?? [])).toEqual(Array.from(enc.encodeInput(applyDihedral(pair.input, d))));
      expect(Array.from(v.examples[0]?.labels ?? [])).toEqual(Array.from(enc.encodeLabel(applyDihedral(pair.output, d))));
      expect(v.puzzleId).toBe(0);
    });
    // Test puzzles are evaluated as they are.
    expect(ev.examples).toHaveLength(2);
    expect(ev.examples.every((e) => e.dihedral === 0 && e.puzzleId === 0)).toBe(true);
  });

  it('augments Sudoku with validity-preserving shuffles', () => {
    const sd = sudokuDataset({ train: 2, test: 1, difficulty: 1, seed: 3 });
    const enc = getEncoding('sudoku');
    const { train } = buildDatasets([sd], { ...opts(), encoding: enc, augmentations: 2, blankPuzzleIds: true });
    expect(train.groups).toHaveLength(2);
    for (const g of train.groups) {
      expect(g.versions).toHaveLength(3);
      for (const v of g.versions) {
        const label = v.examples[0]?.labels ?? new Int32Array();
        // Every row of a solution holds the digits 1..9 (tokens 2..10) once.
        for (let r = 0; r < 9; r++) expect(new Set(label.subarray(r * 9, r * 9 + 9)).size).toBe(9);
      }
    }
  });

  it('rejects a board of the wrong size with its task and pair', () => {
    const nq = nqueensDataset({ n: 6, train: 1, test: 1, seed: 4 });
    expect(() => buildDatasets([nq], { ...opts(), encoding: getEncoding('nqueens', 8), blankPuzzleIds: true })).toThrow(
      /task nqueens-6 train\[0\]\.input is 6x6, but nqueens boards here are 8x8/,
    );
  });
});

describe('encodingForSource', () => {
  it('picks the encoding of each kind of source', () => {
    expect(encodingForSource({ kind: 'nqueens', n: 6, train: 1, test: 1, seed: 0 }, 30).seqLen).toBe(36);
    expect(encodingForSource({ kind: 'sudoku', train: 1, test: 1, difficulty: 1, seed: 0 }, 30).kind).toBe('sudoku');
    expect(encodingForSource({ kind: 'file', path: 'x' }, 12).seqLen).toBe(144);
    const fam = { kind: 'family' as const, family: 'recolour', tasks: 1, minSide: 3, maxSide: 5, difficulty: 1, seed: 0 };
    expect(encodingForSource(fam, 8).side).toBe(8);
    expect(encodingForSource({ ...fam, family: 'nqueens', minSide: 5, maxSide: 5 }, 8)).toMatchObject({ kind: 'nqueens', side: 5 });
  });
});

describe('canvasOffsets', () => {
  it('keeps one pair at the origin and bounds the others by the canvas side', () => {
    const pairs = Array.from({ length: 5 }, () => ({ input: [[1, 1, 1]], output: [[1], [1]] }));
    const offs = canvasOffsets(pairs, 4, new Rng(2));
    expect(offs.filter((o) => o.r === 0 && o.c === 0).length).toBeGreaterThanOrEqual(1);
    for (const o of offs) {
      expect(o.r).toBeLessThanOrEqual(2);
      expect(o.c).toBeLessThanOrEqual(1);
    }
  });
});

describe('buildDatasets on generated families', () => {
  it('encodes a built-in family on a small canvas', () => {
    const tasks = generateTasks('recolour', { count: 3, minSide: 3, maxSide: 5, difficulty: 1, seed: 0 });
    const { train } = buildDatasets(tasks, opts({ encoding: getEncoding('arc', 6) }));
    expect(train.groups).toHaveLength(3);
    expect(train.totalExamples).toBeGreaterThan(0);
  });
});
