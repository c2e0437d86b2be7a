import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src-shared/prng';
import {
  augmentGrid,
  augmentTask,
  deaugmentGrid,
  parseVersionName,
  translationOffsets,
  versionName,
} from '../../../src-shared/puzzle/augment';
import { applyColourMap, randomColourMap } from '../../../src-shared/puzzle/colours';
import { applyDihedral } from '../../../src-shared/puzzle/dihedral';
import { gridKey } from '../../../src-shared/puzzle/grid';
import type { Task } from '../../../src-shared/puzzle/types';
import { arcGrid, arcTask } from './arbitraries';

const TASK: Task = {
  id: '007bbfb7',
  train: [
    { input: [[1, 2], [3, 0]], output: [[4, 5, 6]] },
    { input: [[7, 8, 9]], output: [[0], [1]] },
  ],
  test: [{ input: [[2, 3], [4, 5]], output: [[6]] }, { input: [[9]] }],
};

/** A version's content identity, computed independently of the implementation. */
function content(t: Task): string {
  const keys = [
    ...t.train.map((p) => `${gridKey(p.input)}|${gridKey(p.output)}`),
    ...t.test.map((p) => `${gridKey(p.input)}|${p.output ? gridKey(p.output) : ''}`),
  ];
  return keys.sort().join('\n');
}

describe('task augmentation', () => {
  it('keeps the original as version 0 under its bare id', () => {
    const versions = augmentTask(TASK, 5, new Rng(1));
    expect(versions[0]).toEqual({ name: '007bbfb7', dihedral: 0, colours: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], task: TASK });
    expect(versions).toHaveLength(6);
  });

  it('applies one colour map then one dihedral transform to every grid and names the version after them', () => {
    for (const v of augmentTask(TASK, 20, new Rng(2)).slice(1)) {
      const f = (g: number[][]) => applyDihedral(applyColourMap(g, v.colours), v.dihedral);
      expect(v.name).toBe(`007bbfb7|||t${v.dihedral}|||${v.colours.join('')}`);
      expect(v.task.train).toEqual(TASK.train.map((p) => ({ input: f(p.input), output: f(p.output) })));
      expect(v.task.test[0]).toEqual({ input: f(TASK.test[0]!.input), output: f(TASK.test[0]!.output!) });
      expect(v.task.test[1]).toEqual({ input: f(TASK.test[1]!.input) });
      expect(v.task.id).toBe('007bbfb7');
    }
  });

  it('is deterministic for a seed and differs across seeds', () => {
    const names = (seed: number) => augmentTask(TASK, 30, new Rng(seed)).map((v) => v.name);
    expect(names(7)).toEqual(names(7));
    expect(names(7)).not.toEqual(names(8));
  });

  it('never yields two versions with the same content, the original included', () => {
    fc.assert(
      fc.property(arcTask(4), fc.integer(), (task, seed) => {
        const versions = augmentTask(task, 40, new Rng(seed));
        const keys = versions.map((v) => content(v.task));
        expect(new Set(keys).size).toBe(keys.length);
      }),
      { numRuns: 20 },
    );
  });

  it('caps a task with one non-zero colour at 8·9 = 72 versions and a blank symmetric task at 1', () => {
    // Asymmetric shapes, so all 8 transforms differ; one colour gives 9 colour choices.
    const one: Task = { id: 'one', train: [{ input: [[1, 0, 0], [1, 1, 0]], output: [[0, 1]] }], test: [{ input: [[1]] }] };
    const versions = augmentTask(one, 200, new Rng(3));
    // The original is one of the 72 distinct contents, so 72 versions in all.
    expect(versions).toHaveLength(72);
    const blank: Task = { id: 'blank', train: [{ input: [[0]], output: [[0]] }], test: [{ input: [[0]] }] };
    expect(augmentTask(blank, 10, new Rng(3))).toHaveLength(1);
  });

  it('stops after 5 × numAug draws, each a transform id then a colour map', () => {
    // A blank 1×1 task has no distinct augmentations, so every allowed draw is spent.
    const blank: Task = { id: 'blank', train: [{ input: [[0]], output: [[0]] }], test: [{ input: [[0]] }] };
    const reference = new Rng(4);
    for (let k = 0; k < 15; k++) {
      reference.int(0, 7);
      randomColourMap(reference);
    }
    const rng = new Rng(4);
    expect(augmentTask(blank, 3, rng)).toHaveLength(1);
    expect(rng.state()).toEqual(reference.state());
  });

  it('undoes an augmentation with deaugmentGrid', () => {
    fc.assert(
      fc.property(arcGrid(30), fc.integer({ min: 0, max: 7 }), fc.integer(), (g, dihedral, seed) => {
        const version = { dihedral, colours: randomColourMap(new Rng(seed)) };
        expect(deaugmentGrid(augmentGrid(g, version), version)).toEqual(g);
      }),
      { numRuns: 150 },
    );
  });

  it('reads version names back, and the original name as the identity', () => {
    expect(parseVersionName('007bbfb7|||t3|||0172395846')).toEqual({
      taskId: '007bbfb7',
      dihedral: 3,
      colours: [0, 1, 7, 2, 3, 9, 5, 8, 4, 6],
    });
    expect(parseVersionName('007bbfb7')).toEqual({ taskId: '007bbfb7', dihedral: 0, colours: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9] });
    for (const v of augmentTask(TASK, 10, new Rng(5))) {
      const p = parseVersionName(v.name);
      expect(versionName(p.taskId, p.dihedral, p.colours) === v.name || v.name === TASK.id).toBe(true);
      expect(p).toEqual({ taskId: TASK.id, dihedral: v.dihedral, colours: v.colours });
    }
    expect(() => parseVersionName('x|||t8|||0123456789')).toThrow(/transform "t8" must be t0\.\.t7/);
    expect(() => parseVersionName('x|||t1|||1023456789')).toThrow(/colour map "1023456789"/);
    expect(() => parseVersionName('x|||t1')).toThrow(/must be "<taskid>\|\|\|t<0\.\.7>/);
  });
});

describe('translation offsets', () => {
  it('leaves exactly one pair at the origin and keeps every other pair on the canvas', () => {
    fc.assert(
      fc.property(arcTask(30), fc.integer(), (task, seed) => {
        const pairs = [...task.train, ...task.test];
        const offsets = translationOffsets(pairs, new Rng(seed));
        expect(offsets).toHaveLength(pairs.length);
        pairs.forEach((p, i) => {
          const o = offsets[i]!;
          const h = Math.max(p.input.length, p.output?.length ?? 0);
          const w = Math.max(p.input[0]!.length, p.output?.[0]?.length ?? 0);
          expect(o.r).toBeGreaterThanOrEqual(0);
          expect(o.c).toBeGreaterThanOrEqual(0);
          expect(o.r + h).toBeLessThanOrEqual(30);
          expect(o.c + w).toBeLessThanOrEqual(30);
        });
        // With several pairs, some pair must be the untranslated one; others are random.
        expect(offsets.some((o) => o.r === 0 && o.c === 0)).toBe(true);
      }),
      { numRuns: 50 },
    );
  });

  it('spreads offsets over the whole allowed range', () => {
    const pairs = [{ input: [[1]] }, { input: [[1, 2]], output: [[1], [2], [3]] }];
    const rs = new Set<number>();
    const cs = new Set<number>();
    const rng = new Rng(6);
    let fixedSecond = 0;
    for (let k = 0; k < 2000; k++) {
      const o = translationOffsets(pairs, rng);
      if (o[0]!.r === 0 && o[0]!.c === 0 && (o[1]!.r !== 0 || o[1]!.c !== 0)) {
        rs.add(o[1]!.r);
        cs.add(o[1]!.c);
      } else fixedSecond++;
    }
    // The second pair is 3 rows × 2 columns: r ∈ 0..27, c ∈ 0..28.
    expect(Math.min(...rs)).toBe(0);
    expect(Math.max(...rs)).toBe(27);
    expect(Math.max(...cs)).toBe(28);
    expect(fixedSecond).toBeGreaterThan(800);
    expect(fixedSecond).toBeLessThan(1200);
  });
});
