import { describe, expect, it } from 'vitest';
import { getTargetGenerator } from '../../../../src-shared/method/targets';
import { Rng } from '../../../../src-shared/prng';
import { EOS, encodeArcGrid, encodeArcLabel, IGNORE } from '../../../../src-shared/puzzle/tokens';

const ARC = { encoding: 'arc' as const, side: 30, vocab: 12 };
const code = { eligibility: 'code' as const };
const x = encodeArcGrid([
  [1, 2],
  [3, 4],
]);
const y = encodeArcLabel([
  [5, 6, 7],
  [8, 9, 0],
  [1, 1, 1],
]);
const supervisedCount = Array.from(y).filter((t) => t !== IGNORE).length;

describe('mask target generator', () => {
  it('supervises a nested random floor(s·m/N_sup) of the label positions with the label, the rest ignored', () => {
    const frames = getTargetGenerator('mask').frames(x, y, 6, new Rng(2), ARC, code);
    expect(frames).toHaveLength(7);
    let prev = new Set<number>();
    for (let s = 0; s <= 6; s++) {
      const f = frames[s] as Int32Array;
      const on = new Set<number>();
      for (let i = 0; i < f.length; i++) {
        if (f[i] === IGNORE) continue;
        expect(f[i]).toBe(y[i]);
        on.add(i);
      }
      expect(on.size).toBe(Math.floor((s * supervisedCount) / 6));
      for (const i of prev) expect(on.has(i)).toBe(true);
      prev = on;
    }
    expect(Array.from(frames[6] as Int32Array)).toEqual(Array.from(y));
  });
});

describe('random-replacement target generator', () => {
  it('corrupts a shrinking nested set of colour cells with random colours and keeps the EOS/PAD structure', () => {
    const frames = getTargetGenerator('random').frames(x, y, 4, new Rng(4), ARC, code);
    const colourCells = Array.from(y).filter((t) => t >= 2).length;
    let prevWrong = Infinity;
    for (let s = 0; s <= 4; s++) {
      const f = frames[s] as Int32Array;
      let revealed = 0;
      let wrong = 0;
      for (let i = 0; i < f.length; i++) {
        if (y[i] === IGNORE || y[i] === EOS) {
          expect(f[i]).toBe(y[i]);
          continue;
        }
        expect(f[i]).toBeGreaterThanOrEqual(2);
        expect(f[i]).toBeLessThanOrEqual(11);
        if (f[i] !== y[i]) wrong++;
        else revealed++;
      }
      // At least the scheduled number are revealed (a random colour may hit the right one by chance).
      expect(revealed).toBeGreaterThanOrEqual(Math.floor((s * colourCells) / 4));
      expect(wrong).toBeLessThanOrEqual(prevWrong);
      prevWrong = wrong;
    }
    expect(prevWrong).toBe(0);
    // With 9 cells replaced by a uniform colour out of 10, F_0 has at least one wrong cell for this seed.
    expect(Array.from(frames[0] as Int32Array)).not.toEqual(Array.from(y));
  });

  it('draws replacements from the digits for Sudoku, never the blank', () => {
    const y81 = Int32Array.from({ length: 81 }, (_, i) => 2 + (i % 9));
    const x81 = new Int32Array(81).fill(1);
    const frames = getTargetGenerator('random').frames(x81, y81, 3, new Rng(8), { encoding: 'sudoku', side: 9, vocab: 11 }, code);
    for (const t of frames[0] as Int32Array) {
      expect(t).toBeGreaterThanOrEqual(2);
      expect(t).toBeLessThanOrEqual(10);
    }
  });
});
