import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  augmentSudoku,
  countSolutions,
  generateSudoku,
  isConsistentSudoku,
  isValidSudokuSolution,
  solveSudoku,
  sudokuDataset,
} from '../../../src-shared/generators/sudoku';
import { Rng } from '../../../src-shared/prng';
import type { Grid, Pair } from '../../../src-shared/puzzle/types';

const givens = (g: Grid): number => g.flat().filter((v) => v !== 0).length;

function agrees(puzzle: Grid, solution: Grid): boolean {
  return puzzle.every((row, r) => row.every((v, c) => v === 0 || solution[r]?.[c] === v));
}

// One shared set keeps the file fast: 10 puzzles per difficulty.
const byDifficulty = [1, 2, 3, 4, 5].map((d) => sudokuDataset({ train: 8, test: 2, difficulty: d, seed: 21 }));

describe('generated Sudoku', () => {
  it('has valid solutions that agree with the givens and are the only solutions', () => {
    for (const task of byDifficulty) {
      for (const pair of [...task.train, ...task.test]) {
        const solution = pair.output as Grid;
        expect(isValidSudokuSolution(solution)).toBe(true);
        expect(agrees(pair.input, solution)).toBe(true);
        expect(countSolutions(pair.input, 2)).toBe(1);
        expect(solveSudoku(pair.input)).toEqual(solution);
      }
    }
  });

  it('gives fewer clues on average as difficulty rises, near the targets 45, 38, 32, 28, 25', () => {
    const mean = byDifficulty.map((t) => {
      const all = [...t.train, ...t.test];
      return all.reduce((s, p) => s + givens(p.input), 0) / all.length;
    });
    for (let d = 1; d < 5; d++) expect(mean[d] as number).toBeLessThan(mean[d - 1] as number);
    expect(mean[0]).toBe(45);
    expect(mean[4]).toBeLessThanOrEqual(28);
  });

  it('makes one task per difficulty with separate train and test streams', () => {
    const task = sudokuDataset({ train: 2, test: 1, difficulty: 3, seed: 5 });
    expect(task.id).toBe('sudoku-d3');
    expect(sudokuDataset({ train: 2, test: 3, difficulty: 3, seed: 5 }).train).toEqual(task.train);
    expect(sudokuDataset({ train: 2, test: 1, difficulty: 3, seed: 5 })).toEqual(task);
    expect(sudokuDataset({ train: 2, test: 1, difficulty: 3, seed: 6 }).train).not.toEqual(task.train);
  });

  it('rejects a difficulty outside 1..5 and empty splits', () => {
    expect(() => generateSudoku(new Rng(1), 0)).toThrow('difficulty must be an integer in 1..5, got 0');
    expect(() => sudokuDataset({ train: 1, test: 0, difficulty: 1, seed: 1 })).toThrow('test must be a positive integer');
  });
});

describe('augmentSudoku', () => {
  const base = byDifficulty[3]?.train[0] as Pair;

  it('keeps solutions valid, puzzles unique and givens in agreement for any seed', () => {
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        const { puzzle, solution } = augmentSudoku(base.input, base.output, new Rng(seed));
        expect(isValidSudokuSolution(solution)).toBe(true);
        expect(isConsistentSudoku(puzzle)).toBe(true);
        expect(agrees(puzzle, solution)).toBe(true);
        expect(givens(puzzle)).toBe(givens(base.input));
        expect(countSolutions(puzzle, 2)).toBe(1);
      }),
      { numRuns: 30 },
    );
  });

  it('keeps blanks blank and moves cells only within the band/stack structure', () => {
    const { puzzle, solution } = augmentSudoku(base.input, base.output, new Rng(9));
    expect(puzzle).not.toEqual(base.input);
    // The blank pattern is permuted, not recoloured: blanks stay blanks in equal number per line set.
    const blankRows = (g: Grid): number[] => g.map((row) => row.filter((v) => v === 0).length).sort();
    const blankCols = (g: Grid): number[] => g[0]?.map((_, c) => g.filter((row) => row[c] === 0).length).sort() ?? [];
    const before = [blankRows(base.input), blankCols(base.input)].sort();
    const after = [blankRows(puzzle), blankCols(puzzle)].sort();
    expect(after).toEqual(before);
    expect(solution).not.toEqual(base.output);
  });

  it('rejects grids that are not 9×9', () => {
    expect(() => augmentSudoku([[0]], base.output, new Rng(1))).toThrow('augmentSudoku puzzle: expected 9 rows, got 1');
  });
});
