import { describe, expect, it } from 'vitest';
import { getTargetGenerator } from '../../../../src-shared/method/targets';
import { isConsistentSudoku, sudokuSolveOrder } from '../../../../src-shared/method/targets/sudoku-order';
import { Rng } from '../../../../src-shared/prng';
import { encodeArcGrid, encodeArcLabel } from '../../../../src-shared/puzzle/tokens';
import { attacking, patternSudoku, queens } from './helpers';

const programmable = getTargetGenerator('programmable');
const code = { eligibility: 'code' as const };
const SUDOKU = { encoding: 'sudoku' as const, side: 9, vocab: 11 };

/** A puzzle from the pattern solution with `blanks` cells removed at random. */
function puzzle(blanks: number, seed: number): { start: number[]; solution: number[] } {
  const solution = patternSudoku();
  const start = solution.slice();
  for (const i of new Rng(seed).permutation(81).slice(0, blanks)) start[i] = 0;
  return { start, solution };
}

/** Whether cell i is a naked or hidden single on `board` (0 = blank). */
function isSingle(board: number[], i: number, digit: number): boolean {
  const r = Math.floor(i / 9);
  const c = i % 9;
  const peersOf = (j: number): number[] => {
    const rr = Math.floor(j / 9);
    const cc = j % 9;
    const out: number[] = [];
    for (let k = 0; k < 81; k++) {
      const kr = Math.floor(k / 9);
      const kc = k % 9;
      const sameBox = Math.floor(kr / 3) === Math.floor(rr / 3) && Math.floor(kc / 3) === Math.floor(cc / 3);
      if (k !== j && (kr === rr || kc === cc || sameBox)) out.push(k);
    }
    return out;
  };
  const cands = (j: number): Set<number> => {
    const s = new Set([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    for (const k of peersOf(j)) s.delete(board[k] as number);
    return s;
  };
  const mine = cands(i);
  if (!mine.has(digit)) return false;
  if (mine.size === 1) return true;
  const units = [
    Array.from({ length: 9 }, (_, k) => r * 9 + k),
    Array.from({ length: 9 }, (_, k) => k * 9 + c),
    Array.from({ length: 9 }, (_, k) => (3 * Math.floor(r / 3) + Math.floor(k / 3)) * 9 + 3 * Math.floor(c / 3) + (k % 3)),
  ];
  return units.some((u) => u.filter((j) => board[j] === 0 && cands(j).has(digit)).length === 1);
}

describe('programmable targets for Sudoku', () => {
  it('fills the blanks in an order where every cell is a naked or hidden single when placed', () => {
    const { start, solution } = puzzle(40, 1);
    const order = sudokuSolveOrder(start, solution);
    expect(order.slice().sort((a, b) => a - b)).toEqual(start.flatMap((d, i) => (d === 0 ? [i] : [])));
    const board = start.slice();
    for (const i of order) {
      expect(isSingle(board, i, solution[i] as number)).toBe(true);
      board[i] = solution[i] as number;
    }
  });

  it('makes every frame a consistent partial board, from the input to the label', () => {
    const { start, solution } = puzzle(55, 2);
    const x = start.map((d) => d + 1);
    const y = solution.map((d) => d + 1);
    const frames = programmable.frames(x, y, 8, new Rng(0), SUDOKU, code);
    expect(Array.from(frames[0] as Int32Array)).toEqual(x);
    expect(Array.from(frames[8] as Int32Array)).toEqual(y);
    for (let s = 0; s <= 8; s++) {
      const f = frames[s] as Int32Array;
      expect(isConsistentSudoku(Array.from(f, (t) => t - 1))).toBe(true);
      const filled = Array.from(f).filter((t, i) => t !== x[i]).length;
      expect(filled).toBe(Math.floor((s * 55) / 8));
      for (let i = 0; i < 81; i++) if (f[i] !== 1) expect(f[i]).toBe(y[i]);
    }
  });

  it('detects an inconsistent board', () => {
    const b = new Array<number>(81).fill(0);
    b[0] = 5;
    b[80] = 5;
    expect(isConsistentSudoku(b)).toBe(true);
    b[8] = 5;
    expect(isConsistentSudoku(b)).toBe(false);
  });
});

describe('programmable targets for N-Queens', () => {
  const cols = [0, 4, 7, 5, 2, 6, 1, 3];
  const y = new Int32Array(64).fill(1);
  cols.forEach((c, r) => (y[r * 8 + c] = 2));
  const x = new Int32Array(64).fill(1);
  for (const r of [2, 5]) x[r * 8 + (cols[r] as number)] = 2;
  const NQ = { encoding: 'nqueens' as const, side: 8, vocab: 3 };

  it('places the missing queens in row order and never shows attacking queens', () => {
    for (const Nsup of [3, 6, 8]) {
      const frames = programmable.frames(x, y, Nsup, new Rng(0), NQ, code);
      expect(Array.from(frames[0] as Int32Array)).toEqual(Array.from(x));
      expect(Array.from(frames[Nsup] as Int32Array)).toEqual(Array.from(y));
      for (let s = 0; s <= Nsup; s++) {
        const q = queens(frames[s] as Int32Array, 8);
        expect(attacking(q)).toBe(false);
        const added = q.map(([r]) => r).filter((r) => r !== 2 && r !== 5);
        expect(added).toEqual([0, 1, 3, 4, 6, 7].slice(0, Math.floor((s * 6) / Nsup)));
      }
    }
  });
});

describe('programmable targets for ARC', () => {
  it('fall back to the reveal path with the same random order', () => {
    const ax = encodeArcGrid([[1, 2]]);
    const ay = encodeArcLabel([[3], [4]]);
    const ctx = { encoding: 'arc' as const, side: 30, vocab: 12 };
    const a = programmable.frames(ax, ay, 6, new Rng(5), ctx, code);
    const b = getTargetGenerator('reveal').frames(ax, ay, 6, new Rng(5), ctx, code);
    expect(a.map((f) => Array.from(f))).toEqual(b.map((f) => Array.from(f)));
  });
});

describe('programmable targets on generated Sudoku', () => {
  it('keeps every frame of generated puzzles consistent', async () => {
    const { sudokuDataset } = await import('../../../../src-shared/generators/sudoku');
    const task = sudokuDataset({ train: 3, test: 1, difficulty: 5, seed: 11 });
    for (const p of task.train) {
      const x = p.input.flat().map((d) => d + 1);
      const y = p.output.flat().map((d) => d + 1);
      const frames = programmable.frames(x, y, 6, new Rng(0), SUDOKU, code);
      for (const f of frames) expect(isConsistentSudoku(Array.from(f, (t) => t - 1))).toBe(true);
      expect(Array.from(frames[6] as Int32Array)).toEqual(y);
    }
  });
});
