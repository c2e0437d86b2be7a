import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src-shared/prng';
import {
  applyColourMap,
  IDENTITY_COLOURS,
  invertColourMap,
  isColourMap,
  randomColourMap,
} from '../../../src-shared/puzzle/colours';
import { arcGrid } from './arbitraries';

describe('colour permutations', () => {
  it('draws permutations of 1..9 that keep colour 0 fixed', () => {
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        const m = randomColourMap(new Rng(seed));
        expect(m[0]).toBe(0);
        expect([...m].sort()).toEqual([...IDENTITY_COLOURS]);
      }),
    );
  });

  it('never moves colour 0 and inverts exactly', () => {
    fc.assert(
      fc.property(arcGrid(12), fc.integer(), (g, seed) => {
        const m = randomColourMap(new Rng(seed));
        const out = applyColourMap(g, m);
        g.forEach((row, r) => row.forEach((v, c) => expect(out[r]?.[c] === 0).toBe(v === 0)));
        expect(applyColourMap(out, invertColourMap(m))).toEqual(g);
      }),
      { numRuns: 100 },
    );
  });

  it('maps colour k to m[k]', () => {
    const m = [0, 2, 3, 4, 5, 6, 7, 8, 9, 1];
    expect(applyColourMap([[0, 1, 9]], m)).toEqual([[0, 2, 1]]);
    expect(invertColourMap(m)).toEqual([0, 9, 1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('rejects maps that move colour 0 or are not permutations', () => {
    expect(isColourMap([1, 0, 2, 3, 4, 5, 6, 7, 8, 9])).toBe(false);
    expect(isColourMap([0, 1, 1, 3, 4, 5, 6, 7, 8, 9])).toBe(false);
    expect(() => applyColourMap([[1]], [0, 1, 2])).toThrow(/permutation of 0\.\.9/);
  });
});
