import { describe, expect, it } from 'vitest';
import { BatchSampler } from '../../../../src-main/engine/data/sampler';
import type { TrainingSet } from '../../../../src-main/engine/data/training-set';
import { Rng } from '../../../../src-shared/prng';
import { getEncoding } from '../../../../src-shared/puzzle/tokens';

/** A set on a 2×2 canvas where every example's first token names (group, version, example). */
function makeSet(shape: number[][]): TrainingSet {
  let id = 0;
  const groups = shape.map((versions, g) => ({
    taskId: `t${g}`,
    versions: versions.map((count, v) => {
      const puzzleId = ++id;
      return {
        puzzleId,
        examples: Array.from({ length: count }, (_, e) => ({
          inputs: Int32Array.from([g * 100 + v * 10 + e, 0, 0, 0]),
          labels: Int32Array.from([1, 1, 1, 1]),
          puzzleId,
        })),
      };
    }),
  }));
  return {
    encoding: getEncoding('arc', 2),
    numPuzzleIds: id + 1,
    versionNames: ['<blank>', ...Array.from({ length: id }, (_, i) => `v${i + 1}`)],
    groups,
    totalExamples: shape.flat().reduce((a, b) => a + b, 0),
  };
}

function tags(b: { inputs: Int32Array; size: number }): number[] {
  return Array.from({ length: b.size }, (_, i) => b.inputs[i * 4] as number);
}

describe('BatchSampler', () => {
  it('yields full batches of whole-version runs, cut at the batch size, each group once per epoch', () => {
    // 4 groups, 2 versions of 3 examples each; batch 4 = one whole version (3) + the first example of
    // the next group's version (the rest of it is dropped), so two batches cover one epoch of 4 groups.
    const set = makeSet([[3, 3], [3, 3], [3, 3], [3, 3]]);
    const s = new BatchSampler(set, 4, new Rng(1));
    for (let epoch = 0; epoch < 5; epoch++) {
      const groups: number[] = [];
      for (let half = 0; half < 2; half++) {
        const b = s.next();
        expect(b.size).toBe(4);
        expect(b.inputs).toHaveLength(16);
        const t = tags(b);
        const version = (x: number): number => Math.floor(x / 10);
        expect(version(t[0] as number)).toBe(version(t[1] as number));
        expect(version(t[1] as number)).toBe(version(t[2] as number));
        expect(new Set(t.slice(0, 3)).size).toBe(3);
        expect(Math.floor((t[3] as number) / 100)).not.toBe(Math.floor((t[0] as number) / 100));
        groups.push(Math.floor((t[0] as number) / 100), Math.floor((t[3] as number) / 100));
        // Puzzle ids are those of the versions the examples came from.
        t.forEach((tag, i) => expect(b.puzzleIds[i]).toBe(Math.floor(tag / 100) * 2 + Math.floor((tag % 100) / 10) + 1));
      }
      expect(groups.sort()).toEqual([0, 1, 2, 3]);
    }
  });

  it('visits every group exactly once per epoch when versions have one example', () => {
    const set = makeSet([[1, 1], [1], [1, 1, 1], [1], [1]]);
    const s = new BatchSampler(set, 5, new Rng(4));
    for (let epoch = 0; epoch < 4; epoch++) {
      const groups = tags(s.next()).map((t) => Math.floor(t / 100));
      expect(groups.slice().sort()).toEqual([0, 1, 2, 3, 4]);
    }
  });

  it('picks versions uniformly, the original included', () => {
    const set = makeSet([[1, 1, 1, 1]]);
    const s = new BatchSampler(set, 400, new Rng(9));
    const counts = [0, 0, 0, 0];
    for (const t of tags(s.next())) counts[Math.floor(t / 10)]! += 1;
    for (const c of counts) expect(c).toBeGreaterThan(60);
  });

  it('fills a batch larger than the whole set by cycling through epochs', () => {
    const set = makeSet([[2], [1]]);
    const b = new BatchSampler(set, 10, new Rng(0)).next();
    expect(tags(b).filter((t) => t === 100)).toHaveLength(tags(b).filter((t) => t >= 100).length);
    expect(new Set(tags(b))).toEqual(new Set([0, 1, 100]));
  });

  it('is deterministic from its Rng and restores to the identical continuation', () => {
    const set = makeSet([[2, 3], [1, 4], [3], [2, 2]]);
    const a = new BatchSampler(set, 3, new Rng(7));
    const b = new BatchSampler(set, 3, new Rng(7));
    for (let i = 0; i < 5; i++) expect(tags(a.next())).toEqual(tags(b.next()));
    const saved = JSON.parse(JSON.stringify(a.state())) as ReturnType<BatchSampler['state']>;
    const restored = BatchSampler.restore(set, 3, saved);
    for (let i = 0; i < 10; i++) expect(tags(restored.next())).toEqual(tags(a.next()));
  });

  it('rejects a saved state that does not fit the set', () => {
    const set = makeSet([[1], [1]]);
    const s = new BatchSampler(set, 1, new Rng(0));
    s.next();
    const st = s.state();
    expect(() => BatchSampler.restore(makeSet([[1], [1], [1]]), 1, st)).toThrow(/epoch order has 2 groups but the training set has 3/);
    expect(() => BatchSampler.restore(set, 1, { ...st, pos: 7 })).toThrow(/position 7 is outside/);
  });

  it('rejects an empty set or a bad batch size', () => {
    expect(() => new BatchSampler(makeSet([]), 1, new Rng(0))).toThrow(/no examples/);
    expect(() => new BatchSampler(makeSet([[1]]), 0, new Rng(0))).toThrow(/batch size must be a positive integer/);
  });
});
