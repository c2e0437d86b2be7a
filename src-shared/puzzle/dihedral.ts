// The eight symmetries of the square, numbered exactly as the reference builder (docs/method-notes.md#augmentation),
// so version names like "007bbfb7|||t3|||..." mean the same transform here as there.

import type { Grid } from './types';

export const DIHEDRAL_NAMES = [
  'identity',
  'rotate 90° CCW',
  'rotate 180°',
  'rotate 270° CCW',
  'flip left-right',
  'flip up-down',
  'transpose',
  'anti-transpose',
] as const;

/** DIHEDRAL_INVERSE[id] undoes transform id. */
export const DIHEDRAL_INVERSE: readonly number[] = [0, 3, 2, 1, 4, 5, 6, 7];

function checkId(id: number): void {
  if (!Number.isInteger(id) || id < 0 || id > 7) throw new Error(`dihedral id must be an integer 0..7, got ${id}`);
}

/**
 * Where the output cell (i, j) of transform `id` reads from in an h×w input, as [row, col].
 * Output shapes: ids 0, 2, 4, 5 keep h×w; ids 1, 3, 6, 7 give w×h.
 */
function sourceOf(id: number, i: number, j: number, h: number, w: number): [number, number] {
  switch (id) {
    case 0:
      return [i, j];
    case 1: // numpy rot90 k=1: out[i][j] = g[j][w-1-i]
      return [j, w - 1 - i];
    case 2:
      return [h - 1 - i, w - 1 - j];
    case 3: // rot90 k=3: out[i][j] = g[h-1-j][i]
      return [h - 1 - j, i];
    case 4:
      return [i, w - 1 - j];
    case 5:
      return [h - 1 - i, j];
    case 6:
      return [j, i];
    default: // 7: flipLR(rot90(g)): out[i][j] = rot90(g)[i][h-1-j] = g[h-1-j][w-1-i]
      return [h - 1 - j, w - 1 - i];
  }
}

function swapsAxes(id: number): boolean {
  return id === 1 || id === 3 || id === 6 || id === 7;
}

export function applyDihedral(g: Grid, id: number): Grid {
  checkId(id);
  const h = g.length;
  const w = g[0]?.length ?? 0;
  if (id === 0) return g.map((row) => row.slice());
  const oh = swapsAxes(id) ? w : h;
  const ow = swapsAxes(id) ? h : w;
  const out: Grid = new Array(oh);
  for (let i = 0; i < oh; i++) {
    const row = new Array<number>(ow);
    for (let j = 0; j < ow; j++) {
      const [r, c] = sourceOf(id, i, j, h, w);
      row[j] = (g[r] as number[])[c] as number;
    }
    out[i] = row;
  }
  return out;
}

export function invertDihedral(g: Grid, id: number): Grid {
  checkId(id);
  return applyDihedral(g, DIHEDRAL_INVERSE[id] as number);
}

/** The same transforms on a square side×side canvas stored row-major (e.g. a 30×30 token array). */
export function applyDihedralFlat(tokens: ArrayLike<number>, side: number, id: number): Int32Array {
  checkId(id);
  if (tokens.length !== side * side) {
    throw new Error(`applyDihedralFlat: expected ${side}×${side} = ${side * side} tokens, got ${tokens.length}`);
  }
  const out = new Int32Array(side * side);
  for (let i = 0; i < side; i++) {
    for (let j = 0; j < side; j++) {
      const [r, c] = sourceOf(id, i, j, side, side);
      out[i * side + j] = tokens[r * side + c] as number;
    }
  }
  return out;
}
