// A bitmask Sudoku solver: per row, column and box a 9-bit mask of used digits; the search always
// branches on the empty cell with the fewest candidates.
import type { Rng } from '../prng';
import type { Grid } from '../puzzle/types';

const ALL = 0x1ff;
const POPCOUNT = Array.from({ length: 512 }, (_, m) => {
  let n = 0;
  for (let x = m; x !== 0; x &= x - 1) n++;
  return n;
});
const BOX = Array.from({ length: 81 }, (_, i) => Math.floor(Math.floor(i / 9) / 3) * 3 + Math.floor((i % 9) / 3));

/** Flat cells (0 = blank) plus used-digit masks. */
export interface Board {
  cells: Uint8Array;
  row: Uint16Array;
  col: Uint16Array;
  box: Uint16Array;
}

/** Throws unless the grid is 9×9 of integers 0..9. */
export function checkSudokuShape(grid: Grid, what = 'Sudoku grid'): void {
  if (grid.length !== 9) throw new Error(`${what}: expected 9 rows, got ${grid.length}`);
  grid.forEach((row, r) => {
    if (row.length !== 9) throw new Error(`${what}: row ${r} has ${row.length} cells, expected 9`);
    row.forEach((v, c) => {
      if (!Number.isInteger(v) || v < 0 || v > 9) throw new Error(`${what}: cell (${r}, ${c}) is ${v}; expected 0..9`);
    });
  });
}

/** The board of a grid, or null when a digit repeats in a row, column or box. */
export function toBoard(grid: Grid): Board | null {
  checkSudokuShape(grid);
  const b: Board = { cells: new Uint8Array(81), row: new Uint16Array(9), col: new Uint16Array(9), box: new Uint16Array(9) };
  for (let i = 0; i < 81; i++) {
    const v = grid[Math.floor(i / 9)]?.[i % 9] ?? 0;
    if (v === 0) continue;
    const bit = 1 << (v - 1);
    const r = Math.floor(i / 9);
    const c = i % 9;
    const x = BOX[i] as number;
    if (((b.row[r] as number) | (b.col[c] as number) | (b.box[x] as number)) & bit) return null;
    b.cells[i] = v;
    b.row[r] = (b.row[r] as number) | bit;
    b.col[c] = (b.col[c] as number) | bit;
    b.box[x] = (b.box[x] as number) | bit;
  }
  return b;
}

export function boardToGrid(cells: Uint8Array): Grid {
  return Array.from({ length: 9 }, (_, r) => Array.from(cells.subarray(r * 9, r * 9 + 9)));
}

function setDigit(b: Board, i: number, v: number): void {
  const bit = 1 << (v - 1);
  const r = Math.floor(i / 9);
  const c = i % 9;
  const x = BOX[i] as number;
  b.cells[i] = v;
  b.row[r] = (b.row[r] as number) ^ bit;
  b.col[c] = (b.col[c] as number) ^ bit;
  b.box[x] = (b.box[x] as number) ^ bit;
}

/**
 * Count solutions up to `limit`, keeping the first one in `first` when given. With an rng, digits
 * are tried in random order (used to draw random full grids). The board is restored on return.
 */
export function searchBoard(b: Board, limit: number, rng: Rng | null, first: Uint8Array | null): number {
  let best = -1;
  let bestCount = 10;
  let bestMask = 0;
  for (let i = 0; i < 81; i++) {
    if (b.cells[i] !== 0) continue;
    const free = ALL & ~((b.row[Math.floor(i / 9)] as number) | (b.col[i % 9] as number) | (b.box[BOX[i] as number] as number));
    const n = POPCOUNT[free] as number;
    if (n < bestCount) {
      best = i;
      bestCount = n;
      bestMask = free;
      if (n <= 1) break;
    }
  }
  if (best === -1) {
    if (first !== null && first[0] === 0) first.set(b.cells);
    return 1;
  }
  if (bestCount === 0) return 0;
  const digits: number[] = [];
  for (let v = 1; v <= 9; v++) if (bestMask & (1 << (v - 1))) digits.push(v);
  if (rng !== null) rng.shuffle(digits);
  let found = 0;
  for (const v of digits) {
    setDigit(b, best, v);
    found += searchBoard(b, limit - found, rng, first);
    setDigit(b, best, v);
    b.cells[best] = 0;
    if (found >= limit) break;
  }
  return found;
}

/** Number of solutions of a partial board, counting no further than `limit` (0 if inconsistent). */
export function countSolutions(grid: Grid, limit: number): number {
  if (!Number.isInteger(limit) || limit < 1) throw new Error(`countSolutions: limit must be a positive integer, got ${limit}`);
  const b = toBoard(grid);
  return b === null ? 0 : searchBoard(b, limit, null, null);
}

/** One solution of a partial board, or null when it has none. */
export function solveSudoku(grid: Grid): Grid | null {
  const b = toBoard(grid);
  if (b === null) return null;
  const first = new Uint8Array(81);
  return searchBoard(b, 1, null, first) === 0 ? null : boardToGrid(first);
}

/** True when no digit repeats in any row, column or box (blanks allowed). */
export function isConsistentSudoku(grid: Grid): boolean {
  return toBoard(grid) !== null;
}

/** True for a complete, consistent 9×9 board of digits 1..9. */
export function isValidSudokuSolution(grid: Grid): boolean {
  const b = toBoard(grid);
  return b !== null && b.cells.every((v) => v !== 0);
}
