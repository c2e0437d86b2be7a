import { describe, expect, it } from 'vitest';
import { getTargetGenerator } from '../../../../src-shared/method/targets';
import { Rng } from '../../../../src-shared/prng';
import { encodeArcGrid, encodeArcLabel, IGNORE } from '../../../../src-shared/puzzle/tokens';

const reveal = getTargetGenerator('reveal');
const ARC = { encoding: 'arc' as const, side: 30, vocab: 12 };
const code = { eligibility: 'code' as const };
const labelOnly = { eligibility: 'label-only' as const };

// A 3×3 input whose output is a 2×4 grid: cells change, EOS moves, and the label has a PAD area.
const x = encodeArcGrid([
  [1, 1, 0],
  [0, 2, 0],
  [0, 0, 3],
]);
const y = encodeArcLabel([
  [1, 5, 0, 4],
  [0, 2, 7, 0],
]);

function diffCount(a: Int32Array, b: ArrayLike<number>): number {
  let n = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) n++;
  return n;
}

describe('reveal target path', () => {
  it('starts at the input, ends at the label and switches floor(s·n_diff/N_sup) positions per step', () => {
    const nDiff = diffCount(x, y);
    expect(nDiff).toBeGreaterThan(800); // the whole label-PAD area is eligible under the code's rule
    for (const Nsup of [1, 6, 16]) {
      const frames = reveal.frames(x, y, Nsup, new Rng(1), ARC, code);
      expect(frames).toHaveLength(Nsup + 1);
      expect(Array.from(frames[0] as Int32Array)).toEqual(Array.from(x));
      expect(Array.from(frames[Nsup] as Int32Array)).toEqual(Array.from(y));
      for (let s = 0; s <= Nsup; s++) {
        expect(diffCount(frames[s] as Int32Array, x)).toBe(Math.floor((s * nDiff) / Nsup));
      }
    }
  });

  it('is nested: a position switched at step s stays switched', () => {
    const frames = reveal.frames(x, y, 6, new Rng(3), ARC, code);
    for (let s = 1; s < frames.length; s++) {
      const prev = frames[s - 1] as Int32Array;
      const cur = frames[s] as Int32Array;
      for (let i = 0; i < cur.length; i++) if (prev[i] === y[i]) expect(cur[i]).toBe(y[i]);
    }
  });

  it('supervises unswitched label-PAD positions as the input token and ignores switched ones', () => {
    const frames = reveal.frames(x, y, 6, new Rng(5), ARC, code);
    const mid = frames[3] as Int32Array;
    let asInput = 0;
    let ignored = 0;
    for (let i = 0; i < y.length; i++) {
      if (y[i] !== IGNORE) continue;
      if (mid[i] === IGNORE) ignored++;
      else {
        expect(mid[i]).toBe(x[i]);
        asInput++;
      }
    }
    expect(asInput).toBeGreaterThan(0);
    expect(ignored).toBeGreaterThan(0);
    // The input's EOS row lies in the label's PAD area at (3,0): unswitched it is supervised as EOS.
    const eosRow = 3 * 30;
    expect(y[eosRow]).toBe(IGNORE);
    expect((frames[0] as Int32Array)[eosRow]).toBe(1);
  });

  it('with label-only eligibility never supervises label-PAD and walks only the supervised differences', () => {
    let m = 0;
    for (let i = 0; i < y.length; i++) if (y[i] !== IGNORE && x[i] !== y[i]) m++;
    const frames = reveal.frames(x, y, 6, new Rng(9), ARC, labelOnly);
    for (let s = 0; s <= 6; s++) {
      const f = frames[s] as Int32Array;
      let switched = 0;
      for (let i = 0; i < y.length; i++) {
        if (y[i] === IGNORE) expect(f[i]).toBe(IGNORE);
        else if (f[i] !== x[i]) switched++;
      }
      // Positions where input equals label show the label from the start.
      expect(switched).toBe(Math.floor((s * m) / 6));
    }
    expect(Array.from(frames[6] as Int32Array)).toEqual(Array.from(y));
  });

  it('is deterministic per seed and differs between seeds', () => {
    const a = reveal.frames(x, y, 6, new Rng(11), ARC, code);
    const b = reveal.frames(x, y, 6, new Rng(11), ARC, code);
    const c = reveal.frames(x, y, 6, new Rng(12), ARC, code);
    expect(a.map((f) => Array.from(f))).toEqual(b.map((f) => Array.from(f)));
    expect(a.map((f) => Array.from(f))).not.toEqual(c.map((f) => Array.from(f)));
  });

  it('names the problem when the canvas or lengths do not match', () => {
    expect(() => reveal.frames(x, y.subarray(1), 6, new Rng(0), ARC, code)).toThrow(/input has 900 tokens but label has 899/);
    expect(() => reveal.frames(x, y, 6, new Rng(0), { ...ARC, side: 10 }, code)).toThrow(/do not fill the 10×10 arc canvas/);
    expect(() => reveal.frames(x, y, 0, new Rng(0), ARC, code)).toThrow(/Nsup must be a positive integer/);
  });
});
