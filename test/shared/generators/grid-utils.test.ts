import { describe, expect, it } from 'vitest';
import { DIHEDRAL, gridKey, gridsEqual, pickColours, transformGrid } from '../../../src-shared/generators/grid-utils';
import { Rng } from '../../../src-shared/prng';

const g = [
  [1, 2, 3],
  [4, 5, 6],
];

describe('transformGrid', () => {
  it('rotates clockwise, mirrors and transposes a 2×3 grid as drawn', () => {
    expect(transformGrid(g, 'rot90')).toEqual([[4, 1], [5, 2], [6, 3]]);
    expect(transformGrid(g, 'rot180')).toEqual([[6, 5, 4], [3, 2, 1]]);
    expect(transformGrid(g, 'rot270')).toEqual([[3, 6], [2, 5], [1, 4]]);
    expect(transformGrid(g, 'flipH')).toEqual([[3, 2, 1], [6, 5, 4]]);
    expect(transformGrid(g, 'flipV')).toEqual([[4, 5, 6], [1, 2, 3]]);
    expect(transformGrid(g, 'transpose')).toEqual([[1, 4], [2, 5], [3, 6]]);
    expect(transformGrid(g, 'antiTranspose')).toEqual([[6, 3], [5, 2], [4, 1]]);
  });

  it('gives eight different images of an asymmetric grid', () => {
    expect(new Set(DIHEDRAL.map((t) => gridKey(transformGrid(g, t)))).size).toBe(8);
  });
});

describe('grid helpers', () => {
  it('compares grids by shape and content', () => {
    expect(gridsEqual(g, [[1, 2, 3], [4, 5, 6]])).toBe(true);
    expect(gridsEqual(g, [[1, 2, 3]])).toBe(false);
    expect(gridsEqual([[1, 2]], [[1, 2, 0]])).toBe(false);
  });

  it('picks distinct colours outside the excluded ones and refuses impossible requests', () => {
    const picked = pickColours(new Rng(3), 6, [2, 4]);
    expect(new Set(picked).size).toBe(6);
    expect(picked.some((c) => c === 2 || c === 4 || c < 1 || c > 9)).toBe(false);
    expect(() => pickColours(new Rng(3), 9, [1])).toThrow('cannot pick 9 distinct colours');
  });
});
