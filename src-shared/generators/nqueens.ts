// N-Queens puzzles as the DIS code builds them (docs/method-notes.md#n-queens-and-sudoku), generalised from 8×8 to n×n. A board is an n×n grid of
// 0 = empty and 1 = queen. The data pipeline adds the dihedral copies; this module makes the base set.
import { Rng } from '../prng';
import type { Grid, Pair, Task } from '../puzzle/types';
import { MAX_SIDE } from '../puzzle/types';
import type { Family, FamilyParams } from './family';
import { validateFamilyParams } from './family';
import { makeGrid, setCell } from './grid-utils';

/** The reference uses default_rng(42) for train and default_rng(1042) for test: seed and seed + 1000. */
export const NQUEENS_TEST_SEED_OFFSET = 1000;

// Random column orders have a heavy-tailed search cost at large n; a restart (same stream) bounds
// it. At n = 8 the budget is never reached, so the search is the reference's plain backtracking.
const NODE_BUDGET_PER_N = 4000;

function checkN(n: number): void {
  if (!Number.isInteger(n) || n < 1 || n > MAX_SIDE) {
    throw new Error(`N-Queens: n must be an integer in 1..${MAX_SIDE}, got ${n}`);
  }
  if (n === 2 || n === 3) throw new Error(`N-Queens: no ${n}-queens solution exists; use n = 1 or n >= 4`);
}

/**
 * A random full solution: the queen's column for each row. Rows go top to bottom; each visit of a
 * row tries the columns in a fresh random permutation (as the reference does).
 */
export function randomQueensSolution(n: number, rng: Rng): number[] {
  checkN(n);
  const cols = new Array<number>(n).fill(-1);
  const usedCol = new Array<boolean>(n).fill(false);
  const usedDiag = new Array<boolean>(2 * n).fill(false); // r + c
  const usedAnti = new Array<boolean>(2 * n).fill(false); // r - c + n
  let nodes = 0;
  const place = (r: number): boolean | 'restart' => {
    if (r === n) return true;
    if (++nodes > NODE_BUDGET_PER_N * n) return 'restart';
    for (const c of rng.permutation(n)) {
      if (usedCol[c] || usedDiag[r + c] || usedAnti[r - c + n]) continue;
      cols[r] = c;
      usedCol[c] = usedDiag[r + c] = usedAnti[r - c + n] = true;
      const done = place(r + 1);
      if (done !== false) return done;
      usedCol[c] = usedDiag[r + c] = usedAnti[r - c + n] = false;
    }
    return false;
  };
  for (;;) {
    nodes = 0;
    cols.fill(-1);
    usedCol.fill(false);
    usedDiag.fill(false);
    usedAnti.fill(false);
    if (place(0) === true) return cols;
  }
}

export interface QueensCheck {
  /** no two queens share a row, column or diagonal */
  valid: boolean;
  queens: number;
  /** exactly n queens on the n×n board (a solved board is valid and complete) */
  complete: boolean;
  /** number of attacking queen pairs */
  conflicts: number;
}

/** Check any square board of 0 (empty) and 1 (queen). */
export function isValidQueensBoard(board: Grid): QueensCheck {
  const n = board.length;
  if (n === 0) throw new Error('N-Queens board: the board has no rows');
  const queens: Array<[number, number]> = [];
  board.forEach((row, r) => {
    if (row.length !== n) throw new Error(`N-Queens board: row ${r} has ${row.length} cells; the board must be ${n}×${n}`);
    row.forEach((v, c) => {
      if (v === 1) queens.push([r, c]);
      else if (v !== 0) throw new Error(`N-Queens board: cell (${r}, ${c}) is ${v}; cells must be 0 (empty) or 1 (queen)`);
    });
  });
  let conflicts = 0;
  for (let i = 0; i < queens.length; i++) {
    const [r1, c1] = queens[i] as [number, number];
    for (let j = i + 1; j < queens.length; j++) {
      const [r2, c2] = queens[j] as [number, number];
      if (r1 === r2 || c1 === c2 || Math.abs(r1 - r2) === Math.abs(c1 - c2)) conflicts++;
    }
  }
  return { valid: conflicts === 0, queens: queens.length, complete: queens.length === n, conflicts };
}

/** One puzzle: k ~ U{0..n-1} queens of a random solution as input, the full solution as output. */
export function queensPuzzle(n: number, rng: Rng): Pair {
  const solution = randomQueensSolution(n, rng);
  const k = rng.int(0, n - 1);
  const output = makeGrid(n, n);
  solution.forEach((c, r) => setCell(output, r, c, 1));
  const input = makeGrid(n, n);
  for (const r of rng.permutation(n).slice(0, k)) setCell(input, r, solution[r] as number, 1);
  return { input, output };
}

export interface NQueensDatasetParams {
  n: number;
  train: number;
  test: number;
  seed: number;
}

/** One task, id `nqueens-${n}`: train pairs from Rng(seed), test pairs from Rng(seed + 1000). */
export function nqueensDataset(p: NQueensDatasetParams): Task {
  checkN(p.n);
  for (const key of ['train', 'test'] as const) {
    if (!Number.isInteger(p[key]) || p[key] < 1) throw new Error(`N-Queens dataset: ${key} must be a positive integer, got ${p[key]}`);
  }
  if (!Number.isInteger(p.seed)) throw new Error(`N-Queens dataset: seed must be an integer, got ${p.seed}`);
  const trainRng = new Rng(p.seed);
  const testRng = new Rng(p.seed + NQUEENS_TEST_SEED_OFFSET);
  return {
    id: `nqueens-${p.n}`,
    train: Array.from({ length: p.train }, () => queensPuzzle(p.n, trainRng)),
    test: Array.from({ length: p.test }, () => queensPuzzle(p.n, testRng)),
  };
}

export const nqueensFamily: Family = {
  info: {
    id: 'nqueens',
    title: 'N-Queens',
    description: 'Complete a partial N-Queens board (n = maxSide); some inputs have several valid completions.',
    kind: 'nqueens',
  },
  // The reference set: 8×8, 800 train puzzles (200 test), seeds 42 / 1042.
  defaults: { count: 800, minSide: 8, maxSide: 8, difficulty: 1, seed: 42 },
  /**
   * Mapping from the family parameters: n = maxSide, train = count, test = max(1, round(count / 4))
   * (800 → 200 as in the reference). One task holds the whole set. difficulty and trainPairs do not
   * apply; minSide only has to allow n.
   */
  generate(p: FamilyParams): Task[] {
    validateFamilyParams('nqueens', p);
    return [nqueensDataset({ n: p.maxSide, train: p.count, test: Math.max(1, Math.round(p.count / 4)), seed: p.seed })];
  },
};
