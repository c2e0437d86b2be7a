// Grid helpers: shape, equality, copying, an exact content key, and validation of untrusted JSON.

import { describeValue, PuzzleFormatError, type ErrorLocation } from './errors';
import { MAX_SIDE, NUM_COLOURS, type Grid } from './types';

export function gridShape(g: Grid): { rows: number; cols: number } {
  return { rows: g.length, cols: g[0]?.length ?? 0 };
}

export function gridsEqual(a: Grid, b: Grid): boolean {
  if (a.length !== b.length) return false;
  for (let r = 0; r < a.length; r++) {
    const ra = a[r] as number[];
    const rb = b[r] as number[];
    if (ra.length !== rb.length) return false;
    for (let c = 0; c < ra.length; c++) if (ra[c] !== rb[c]) return false;
  }
  return true;
}

export function cloneGrid(g: Grid): Grid {
  return g.map((row) => row.slice());
}

export function makeGrid(rows: number, cols: number, fill = 0): Grid {
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 1 || cols < 1) {
    throw new Error(`makeGrid needs positive integer sizes, got ${rows}x${cols}`);
  }
  return Array.from({ length: rows }, () => new Array<number>(cols).fill(fill));
}

/**
 * An exact key of shape and content, e.g. "3x2:012345" (rows x cols, then the colours row-major).
 * Colours are single digits, so the key is unambiguous; used for dedup and voting.
 */
export function gridKey(g: Grid): string {
  const { rows, cols } = gridShape(g);
  let s = `${rows}x${cols}:`;
  for (const row of g) s += row.join('');
  return s;
}

/**
 * Checks that an untrusted value is a grid of 1..30 rows of 1..30 integer colours 0..9, all rows the
 * same length, and returns it (the same arrays, not a copy). Throws a PuzzleFormatError at `where`.
 */
export function validateGrid(value: unknown, where: ErrorLocation): Grid {
  if (!Array.isArray(value)) {
    throw new PuzzleFormatError(where, `grid must be an array of rows, got ${describeValue(value)}`);
  }
  const rows = value.length;
  if (rows === 0) throw new PuzzleFormatError(where, 'grid is empty (it needs 1..30 rows)');
  if (rows > MAX_SIDE) {
    throw new PuzzleFormatError(where, `grid has ${rows} rows, more than the maximum of ${MAX_SIDE}`);
  }
  const first: unknown = value[0];
  const cols = Array.isArray(first) ? first.length : -1;
  for (let r = 0; r < rows; r++) {
    const row: unknown = value[r];
    if (!Array.isArray(row)) {
      throw new PuzzleFormatError(
        { ...where, pair: `${where.pair ?? 'grid'}[${r}]` },
        `row must be an array of colours, got ${describeValue(row)}`,
      );
    }
    if (row.length === 0) {
      throw new PuzzleFormatError({ ...where, pair: `${where.pair ?? 'grid'}[${r}]` }, 'row is empty (it needs 1..30 cells)');
    }
    if (row.length > MAX_SIDE) {
      throw new PuzzleFormatError(
        { ...where, pair: `${where.pair ?? 'grid'}[${r}]` },
        `row has ${row.length} cells, more than the maximum of ${MAX_SIDE}`,
      );
    }
    if (row.length !== cols) {
      throw new PuzzleFormatError(
        { ...where, pair: `${where.pair ?? 'grid'}[${r}]` },
        `ragged grid: row ${r} has ${row.length} cells but row 0 has ${cols}`,
      );
    }
    for (let c = 0; c < cols; c++) {
      const v: unknown = row[c];
      // Fast path first: almost every cell is a valid colour.
      if (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < NUM_COLOURS) continue;
      const cellLoc: ErrorLocation = { ...where, cell: [r, c] };
      if (typeof v === 'number' && Number.isInteger(v)) {
        throw new PuzzleFormatError(cellLoc, `colour ${v} is outside 0..${NUM_COLOURS - 1}`);
      }
      throw new PuzzleFormatError(cellLoc, `colour must be an integer 0..${NUM_COLOURS - 1}, got ${describeValue(v)}`);
    }
  }
  return value as Grid;
}
