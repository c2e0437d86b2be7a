// Sudoku puzzles with a unique solution (the reference trains on Sudoku-Extreme, which our machines
// cannot reach, so we generate our own) and the reference's validity-preserving augmentation.
// Cells: 0 = blank, 1..9 = digits.
import { Rng } from '../prng';
import type { Grid, Pair, Task } from '../puzzle/types';
import type { Family, FamilyParams } from './family';
import { validateFamilyParams } from './family';
import { boardToGrid, checkSudokuShape, searchBoard, toBoard } from './sudoku-solver';
import type { Board } from './sudoku-solver';

export { countSolutions, isConsistentSudoku, isValidSudokuSolution, solveSudoku } from './sudoku-solver';

/** Target number of givens for difficulty 1..5. Removal stops early when no clue can go. */
export const SUDOKU_GIVENS = [45, 38, 32, 28, 25] as const;
export const SUDOKU_TEST_SEED_OFFSET = 1000;

function checkDifficulty(d: number): void {
  if (!Number.isInteger(d) || d < 1 || d > 5) throw new Error(`Sudoku: difficulty must be an integer in 1..5, got ${d}`);
}

function emptyBoard(): Board {
  return toBoard(Array.from({ length: 9 }, () => new Array<number>(9).fill(0))) as Board;
}

/** A puzzle with exactly one solution, and that solution. */
export function generateSudoku(rng: Rng, difficulty: number): Pair {
  checkDifficulty(difficulty);
  const target = SUDOKU_GIVENS[difficulty - 1] as number;
  const solved = new Uint8Array(81);
  searchBoard(emptyBoard(), 1, rng, solved);
  const puzzle = boardToGrid(solved);
  let givens = 81;
  // Remove clues in random order, putting back any whose removal makes the solution ambiguous.
  for (const i of rng.permutation(81)) {
    if (givens <= target) break;
    const row = puzzle[Math.floor(i / 9)] as number[];
    const v = row[i % 9] as number;
    row[i % 9] = 0;
    const b = toBoard(puzzle) as Board;
    if (searchBoard(b, 2, null, null) === 1) givens--;
    else row[i % 9] = v;
  }
  return { input: puzzle, output: boardToGrid(solved) };
}

/**
 * The reference augmentation (build_sudoku_dataset.py shuffle_sudoku): a digit permutation (blank
 * fixed), transpose with probability 0.5, then a permutation of the bands and of the rows within each
 * band, and the same for stacks and columns. Puzzle and solution get the same transform.
 */
export function augmentSudoku(puzzle: Grid, solution: Grid, rng: Rng): { puzzle: Grid; solution: Grid } {
  checkSudokuShape(puzzle, 'augmentSudoku puzzle');
  checkSudokuShape(solution, 'augmentSudoku solution');
  const digit = [0, ...rng.permutation(9).map((d) => d + 1)];
  const transpose = rng.chance(0.5);
  const lines = (): number[] => rng.permutation(3).flatMap((band) => rng.permutation(3).map((i) => band * 3 + i));
  const rowOrder = lines();
  const colOrder = lines();
  const apply = (g: Grid): Grid =>
    rowOrder.map((sr) =>
      colOrder.map((sc) => digit[(transpose ? g[sc]?.[sr] : g[sr]?.[sc]) ?? 0] as number),
    );
  return { puzzle: apply(puzzle), solution: apply(solution) };
}

export interface SudokuDatasetParams {
  train: number;
  test: number;
  difficulty: number;
  seed: number;
}

/** One task, id `sudoku-d${difficulty}`: train pairs from Rng(seed), test pairs from Rng(seed + 1000). */
export function sudokuDataset(p: SudokuDatasetParams): Task {
  checkDifficulty(p.difficulty);
  for (const key of ['train', 'test'] as const) {
    if (!Number.isInteger(p[key]) || p[key] < 1) throw new Error(`Sudoku dataset: ${key} must be a positive integer, got ${p[key]}`);
  }
  if (!Number.isInteger(p.seed)) throw new Error(`Sudoku dataset: seed must be an integer, got ${p.seed}`);
  const trainRng = new Rng(p.seed);
  const testRng = new Rng(p.seed + SUDOKU_TEST_SEED_OFFSET);
  return {
    id: `sudoku-d${p.difficulty}`,
    train: Array.from({ length: p.train }, () => generateSudoku(trainRng, p.difficulty)),
    test: Array.from({ length: p.test }, () => generateSudoku(testRng, p.difficulty)),
  };
}

export const sudokuFamily: Family = {
  info: {
    id: 'sudoku',
    title: 'Sudoku',
    description: '9×9 Sudoku with a unique solution; difficulty sets the number of givens (45 down to about 25).',
    kind: 'sudoku',
  },
  defaults: { count: 100, minSide: 9, maxSide: 9, difficulty: 3, seed: 1 },
  /**
   * Mapping from the family parameters: train = count, test = max(1, round(count / 4)), difficulty
   * as given. One task holds the whole set. Grids are always 9×9, so minSide..maxSide must allow 9.
   */
  generate(p: FamilyParams): Task[] {
    validateFamilyParams('sudoku', p);
    if (p.minSide > 9 || p.maxSide < 9) {
      throw new Error(`puzzle family "sudoku": grids are 9×9, but minSide..maxSide is ${p.minSide}..${p.maxSide}`);
    }
    return [sudokuDataset({ train: p.count, test: Math.max(1, Math.round(p.count / 4)), difficulty: p.difficulty, seed: p.seed })];
  },
};
