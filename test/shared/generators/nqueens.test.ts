import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  isValidQueensBoard,
  nqueensDataset,
  queensPuzzle,
  randomQueensSolution,
} from '../../../src-shared/generators/nqueens';
import { Rng } from '../../../src-shared/prng';
import type { Grid } from '../../../src-shared/puzzle/types';

/** A board with queens at the given (row, col) cells. */
function board(n: number, queens: Array<[number, number]>): Grid {
  const g = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (const [r, c] of queens) (g[r] as number[])[c] = 1;
  return g;
}

describe('isValidQueensBoard', () => {
  it('accepts a known 4-queens solution as valid and complete', () => {
    expect(isValidQueensBoard(board(4, [[0, 1], [1, 3], [2, 0], [3, 2]]))).toEqual({
      valid: true, queens: 4, complete: true, conflicts: 0,
    });
  });

  it('counts row, column and both diagonal conflicts', () => {
    expect(isValidQueensBoard(board(5, [[0, 0], [0, 4]]))).toMatchObject({ valid: false, conflicts: 1 });
    expect(isValidQueensBoard(board(5, [[0, 2], [4, 2]]))).toMatchObject({ valid: false, conflicts: 1 });
    expect(isValidQueensBoard(board(5, [[0, 0], [3, 3]]))).toMatchObject({ valid: false, conflicts: 1 });
    expect(isValidQueensBoard(board(5, [[0, 4], [4, 0]]))).toMatchObject({ valid: false, conflicts: 1 });
    expect(isValidQueensBoard(board(5, [[0, 0], [1, 1], [2, 2]]))).toMatchObject({ valid: false, conflicts: 3 });
  });

  it('calls a conflict-free partial board valid but not complete', () => {
    expect(isValidQueensBoard(board(8, [[0, 0], [1, 2]]))).toEqual({ valid: true, queens: 2, complete: false, conflicts: 0 });
    expect(isValidQueensBoard(board(3, []))).toEqual({ valid: true, queens: 0, complete: false, conflicts: 0 });
  });

  it('rejects boards that are not square or hold other values', () => {
    expect(() => isValidQueensBoard([[0, 1, 0], [0, 0, 0]])).toThrow('row 0 has 3 cells; the board must be 2×2');
    expect(() => isValidQueensBoard([[0, 2], [0, 0]])).toThrow('cell (0, 1) is 2');
  });
});

describe('randomQueensSolution', () => {
  it('returns one column per row forming a valid complete board for many n and seeds', () => {
    fc.assert(
      fc.property(fc.integer({ min: 4, max: 30 }), fc.integer(), (n, seed) => {
        const cols = randomQueensSolution(n, new Rng(seed));
        expect(cols.length).toBe(n);
        const check = isValidQueensBoard(board(n, cols.map((c, r) => [r, c] as [number, number])));
        expect(check.valid && check.complete).toBe(true);
      }),
      { numRuns: 40 },
    );
  });

  it('reaches many of the 92 eight-queens solutions', () => {
    const rng = new Rng(42);
    const seen = new Set(Array.from({ length: 300 }, () => randomQueensSolution(8, rng).join('')));
    expect(seen.size).toBeGreaterThan(60);
  });

  it('refuses sizes without a solution', () => {
    expect(() => randomQueensSolution(3, new Rng(1))).toThrow('no 3-queens solution exists');
    expect(() => randomQueensSolution(0, new Rng(1))).toThrow('n must be an integer in 1..30');
  });
});

describe('queensPuzzle and nqueensDataset', () => {
  it('label every puzzle with a valid complete board whose input is a subset with fewer than n queens', () => {
    const task = nqueensDataset({ n: 8, train: 200, test: 50, seed: 42 });
    const pairs = [...task.train, ...task.test];
    const givens = new Set<number>();
    for (const pair of pairs) {
      const output = pair.output as Grid;
      const label = isValidQueensBoard(output);
      expect(label.valid && label.complete).toBe(true);
      const input = isValidQueensBoard(pair.input);
      expect(input.queens).toBeLessThan(8);
      givens.add(input.queens);
      pair.input.forEach((row, r) => row.forEach((v, c) => {
        if (v === 1) expect(output[r]?.[c]).toBe(1);
      }));
    }
    // k ~ U{0..7}: every count shows up in 250 draws.
    expect([...givens].sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it('make one task named by n, with separate train and test streams', () => {
    const task = nqueensDataset({ n: 6, train: 5, test: 2, seed: 7 });
    expect(task.id).toBe('nqueens-6');
    expect(task.train.length).toBe(5);
    expect(task.test.length).toBe(2);
    // Changing the test count leaves the train puzzles alone.
    expect(nqueensDataset({ n: 6, train: 5, test: 9, seed: 7 }).train).toEqual(task.train);
    expect(nqueensDataset({ n: 6, train: 5, test: 2, seed: 7 })).toEqual(task);
    expect(nqueensDataset({ n: 8, train: 20, test: 1, seed: 8 }).train).not.toEqual(nqueensDataset({ n: 8, train: 20, test: 1, seed: 9 }).train);
  });

  it('draws the puzzle from the given rng', () => {
    expect(queensPuzzle(8, new Rng(3))).toEqual(queensPuzzle(8, new Rng(3)));
  });

  it('rejects empty splits', () => {
    expect(() => nqueensDataset({ n: 8, train: 0, test: 1, seed: 1 })).toThrow('train must be a positive integer, got 0');
  });
});
