import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  applyDihedral,
  applyDihedralFlat,
  DIHEDRAL_INVERSE,
  DIHEDRAL_NAMES,
  invertDihedral,
} from '../../../src-shared/puzzle/dihedral';
import { arcGrid, gridOf } from './arbitraries';

// [[1,2,3],[4,5,6]] under each transform, worked out by hand from numpy's rot90/fliplr/flipud/transpose.
const G = [[1, 2, 3], [4, 5, 6]];
const EXPECTED = [
  [[1, 2, 3], [4, 5, 6]], // identity
  [[3, 6], [2, 5], [1, 4]], // np.rot90(g, 1): counter-clockwise
  [[6, 5, 4], [3, 2, 1]], // rot 180
  [[4, 1], [5, 2], [6, 3]], // np.rot90(g, 3)
  [[3, 2, 1], [6, 5, 4]], // fliplr
  [[4, 5, 6], [1, 2, 3]], // flipud
  [[1, 4], [2, 5], [3, 6]], // transpose
  [[6, 3], [5, 2], [4, 1]], // fliplr(rot90(g))
];

describe('dihedral transforms', () => {
  it('has eight named transforms with the spec inverse table', () => {
    expect(DIHEDRAL_NAMES).toHaveLength(8);
    expect(DIHEDRAL_INVERSE).toEqual([0, 3, 2, 1, 4, 5, 6, 7]);
  });

  it('matches the numpy definitions of the method-spec table on a non-square grid', () => {
    for (let id = 0; id < 8; id++) expect(applyDihedral(G, id), `id ${id}`).toEqual(EXPECTED[id]);
  });

  it('composes each transform with its inverse to the identity on random grids up to 30x30', () => {
    fc.assert(
      fc.property(arcGrid(30), fc.integer({ min: 0, max: 7 }), (g, id) => {
        expect(invertDihedral(applyDihedral(g, id), id)).toEqual(g);
        expect(applyDihedral(applyDihedral(g, id), DIHEDRAL_INVERSE[id] as number)).toEqual(g);
      }),
      { numRuns: 200 },
    );
  });

  it('does not modify its input', () => {
    const g = [[1, 2], [3, 4]];
    for (let id = 0; id < 8; id++) applyDihedral(g, id);
    expect(g).toEqual([[1, 2], [3, 4]]);
  });

  it('transforms a flat square canvas exactly as it transforms the grid', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9 }).chain((n) => gridOf(n, n)), fc.integer({ min: 0, max: 7 }), (g, id) => {
        const side = g.length;
        const flat = applyDihedralFlat(g.flat(), side, id);
        expect(Array.from(flat)).toEqual(applyDihedral(g, id).flat());
      }),
      { numRuns: 100 },
    );
  });

  it('rejects ids outside 0..7 and canvases of the wrong length', () => {
    expect(() => applyDihedral(G, 8)).toThrow(/0\.\.7, got 8/);
    expect(() => applyDihedralFlat([1, 2, 3], 2, 0)).toThrow(/expected 2×2 = 4 tokens, got 3/);
  });
});
