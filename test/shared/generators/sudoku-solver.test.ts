import { describe, expect, it } from 'vitest';
import {
  countSolutions,
  isConsistentSudoku,
  isValidSudokuSolution,
  solveSudoku,
} from '../../../src-shared/generators/sudoku-solver';
import type { Grid } from '../../../src-shared/puzzle/types';

const parse = (s: string): Grid => Array.from({ length: 9 }, (_, r) => [...s.slice(r * 9, r * 9 + 9)].map((ch) => (ch === '.' ? 0 : Number(ch))));

// A well-known puzzle with a unique solution (Wikipedia's example) and that solution.
const PUZZLE = parse('53..7....6..195....98....6.8...6...34..8.3..17...2...6.6....28....419..5....8..79');
const SOLUTION = parse('534678912672195348198342567859761423426853791713924856961537284287419635345286179');

describe('sudoku solver', () => {
  it('solves a known puzzle to its known solution and counts it as unique', () => {
    expect(solveSudoku(PUZZLE)).toEqual(SOLUTION);
    expect(countSolutions(PUZZLE, 2)).toBe(1);
  });

  it('counts several solutions when clues are missing, up to the limit', () => {
    const empty = Array.from({ length: 9 }, () => new Array<number>(9).fill(0));
    expect(countSolutions(empty, 5)).toBe(5);
    expect(countSolutions(empty, 1)).toBe(1);
    expect(isValidSudokuSolution(solveSudoku(empty) as Grid)).toBe(true);
    // Blanking an a/b rectangle (two rows of one band, two columns of different stacks) leaves
    // exactly two solutions: a and b can swap.
    const at = (r: number, c: number): number => SOLUTION[r]?.[c] as number;
    let rectangle: number[] | undefined;
    for (let r1 = 0; r1 < 9 && !rectangle; r1++) for (let r2 = r1 + 1; r2 < 9 && Math.floor(r2 / 3) === Math.floor(r1 / 3); r2++)
      for (let c1 = 0; c1 < 9; c1++) for (let c2 = c1 + 1; c2 < 9; c2++)
        if (Math.floor(c1 / 3) !== Math.floor(c2 / 3) && at(r1, c1) === at(r2, c2) && at(r1, c2) === at(r2, c1)) rectangle = [r1, r2, c1, c2];
    if (rectangle === undefined) throw new Error('the example solution has no swappable rectangle');
    const [r1, r2, c1, c2] = rectangle as [number, number, number, number];
    const open = SOLUTION.map((row) => row.slice());
    for (const [r, c] of [[r1, c1], [r1, c2], [r2, c1], [r2, c2]] as const) (open[r] as number[])[c] = 0;
    expect(countSolutions(open, 5)).toBe(2);
    expect(countSolutions(open, 1)).toBe(1);
  });

  it('finds no solution for a consistent but dead board, and none for an inconsistent one', () => {
    const dead = Array.from({ length: 9 }, () => new Array<number>(9).fill(0));
    // Row 0 holds 1..8, and column 8 already has a 9: cell (0, 8) has no candidate.
    (dead[0] as number[]).splice(0, 8, 1, 2, 3, 4, 5, 6, 7, 8);
    (dead[5] as number[])[8] = 9;
    expect(isConsistentSudoku(dead)).toBe(true);
    expect(countSolutions(dead, 2)).toBe(0);
    expect(solveSudoku(dead)).toBeNull();
    const clash = PUZZLE.map((row) => row.slice());
    (clash[0] as number[])[2] = 5; // 5 twice in row 0
    expect(isConsistentSudoku(clash)).toBe(false);
    expect(countSolutions(clash, 2)).toBe(0);
  });

  it('tells valid solutions from boards with blanks or repeats in a row, column or box', () => {
    expect(isValidSudokuSolution(SOLUTION)).toBe(true);
    expect(isValidSudokuSolution(PUZZLE)).toBe(false);
    const swapped = SOLUTION.map((row) => row.slice());
    [(swapped[0] as number[])[0], (swapped[0] as number[])[1]] = [(swapped[0] as number[])[1] as number, (swapped[0] as number[])[0] as number];
    expect(isValidSudokuSolution(swapped)).toBe(false); // columns 0 and 1 now repeat
  });

  it('rejects malformed grids with the place of the problem', () => {
    expect(() => countSolutions([[1]], 2)).toThrow('expected 9 rows, got 1');
    const bad = PUZZLE.map((row) => row.slice());
    (bad[3] as number[])[4] = 12;
    expect(() => isConsistentSudoku(bad)).toThrow('cell (3, 4) is 12');
    expect(() => countSolutions(PUZZLE, 0)).toThrow('limit must be a positive integer');
  });
});
