// Grid helpers for building puzzles: cell access with bounds, random placement, colours. The basic
// ones (make, clone, compare, key) are the puzzle core's, re-exported so generators import one module.
import type { Rng } from '../prng';
import { cloneGrid, gridKey, gridsEqual, makeGrid } from '../puzzle/grid';
import type { Grid } from '../puzzle/types';

export { cloneGrid, gridKey, gridsEqual, makeGrid };

export function rowsOf(g: Grid): number {
  return g.length;
}

export function colsOf(g: Grid): number {
  return g[0]?.length ?? 0;
}

/** Read a cell; out-of-range reads give `outside` (callers use it for neighbourhood tests). */
export function cellAt(g: Grid, r: number, c: number, outside = 0): number {
  return g[r]?.[c] ?? outside;
}

export function setCell(g: Grid, r: number, c: number, v: number): void {
  const row = g[r];
  if (row === undefined || c < 0 || c >= row.length) {
    throw new Error(`cell (${r}, ${c}) is outside a ${g.length}×${colsOf(g)} grid`);
  }
  row[c] = v;
}


/** The eight dihedral transforms by name; 'identity' first. */
export const DIHEDRAL = [
  'identity',
  'rot90',
  'rot180',
  'rot270',
  'flipH',
  'flipV',
  'transpose',
  'antiTranspose',
] as const;
export type Dihedral = (typeof DIHEDRAL)[number];

/** Apply a dihedral transform. rot90 is clockwise; flipH mirrors left↔right; flipV top↔bottom. */
export function transformGrid(g: Grid, t: Dihedral): Grid {
  const h = rowsOf(g);
  const w = colsOf(g);
  const swaps = t === 'rot90' || t === 'rot270' || t === 'transpose' || t === 'antiTranspose';
  const out = swaps ? makeGrid(w, h) : makeGrid(h, w);
  for (let r = 0; r < h; r++) {
    for (let c = 0; c < w; c++) {
      const v = cellAt(g, r, c);
      switch (t) {
        case 'identity': setCell(out, r, c, v); break;
        case 'rot90': setCell(out, c, h - 1 - r, v); break;
        case 'rot180': setCell(out, h - 1 - r, w - 1 - c, v); break;
        case 'rot270': setCell(out, w - 1 - c, r, v); break;
        case 'flipH': setCell(out, r, w - 1 - c, v); break;
        case 'flipV': setCell(out, h - 1 - r, c, v); break;
        case 'transpose': setCell(out, c, r, v); break;
        case 'antiTranspose': setCell(out, w - 1 - c, h - 1 - r, v); break;
      }
    }
  }
  return out;
}

/** `n` distinct colours from 1..9, none of them in `exclude`, in random order. */
export function pickColours(rng: Rng, n: number, exclude: readonly number[] = []): number[] {
  const pool = [1, 2, 3, 4, 5, 6, 7, 8, 9].filter((c) => !exclude.includes(c));
  if (n > pool.length) throw new Error(`cannot pick ${n} distinct colours from ${pool.length} available`);
  return rng.shuffle(pool).slice(0, n);
}

/** Every cell coordinate of a grid in random order. */
export function shuffledCells(rng: Rng, rows: number, cols: number): Array<[number, number]> {
  const cells: Array<[number, number]> = [];
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) cells.push([r, c]);
  return rng.shuffle(cells);
}

/** True when every cell of the rectangle (and a `margin` ring around it, clipped) is 0. */
export function rectIsFree(
  g: Grid,
  top: number,
  left: number,
  height: number,
  width: number,
  margin = 0,
): boolean {
  for (let r = top - margin; r < top + height + margin; r++) {
    for (let c = left - margin; c < left + width + margin; c++) {
      if (r < 0 || c < 0 || r >= rowsOf(g) || c >= colsOf(g)) continue;
      if (cellAt(g, r, c) !== 0) return false;
    }
  }
  return true;
}

/** An h×w grid where each cell is, with probability `density`, a random colour from `colours`. */
export function randomGrid(rng: Rng, rows: number, cols: number, density: number, colours: readonly number[]): Grid {
  const g = makeGrid(rows, cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) if (rng.chance(density)) setCell(g, r, c, rng.pick(colours));
  }
  return g;
}
