// What a grid component draws: a rows×cols matrix of cell values. 0..9 are ARC colours; the
// negative values are the token-level non-cells of the model's canvas (PAD, EOS, unsupervised).
// Everything here is pure so the Grid component is a function of its data.
import { EOS, IGNORE, PAD } from '../../../../src-shared/puzzle/tokens';

export type Cells = number[][];

/** How the EOS marker is drawn: a near-black cell with a white ring (not a colour of the ARC palette). */
export const EOS_FILL = '#14171c';
export const EOS_RING = '#ffffff';

export const CELL_PAD = -1;
export const CELL_EOS = -2;
export const CELL_IGNORE = -3;
/** a token that stands for no colour (out of vocabulary for the encoding) */
export const CELL_INVALID = -4;

export type Encoding = 'arc' | 'nqueens' | 'sudoku';

export interface Rect {
  r: number;
  c: number;
  rows: number;
  cols: number;
}

/** One token as a cell value. ARC: PAD 0, EOS 1, colour k = k+2. N-Queens: 1 empty, 2 queen. Sudoku: digit d = d+1. */
export function tokenToCell(t: number, encoding: Encoding): number {
  if (t === IGNORE) return CELL_IGNORE;
  if (encoding === 'arc') {
    if (t === PAD) return CELL_PAD;
    if (t === EOS) return CELL_EOS;
    return t >= 2 && t <= 11 ? t - 2 : CELL_INVALID;
  }
  if (t === 0) return CELL_PAD;
  const max = encoding === 'nqueens' ? 1 : 9;
  return t - 1 <= max ? t - 1 : CELL_INVALID;
}

/** A row-major token sequence of a side×side canvas as cells. */
export function tokensToCells(tokens: ArrayLike<number>, side: number, encoding: Encoding): Cells {
  if (tokens.length !== side * side) throw new Error(`expected ${side}×${side} = ${side * side} tokens, got ${tokens.length}`);
  const out: Cells = [];
  for (let r = 0; r < side; r++) {
    const row: number[] = new Array(side);
    for (let c = 0; c < side; c++) row[c] = tokenToCell(tokens[r * side + c] as number, encoding);
    out.push(row);
  }
  return out;
}

/** A row-major array of per-token values (e.g. confidence) as a side×side matrix. */
export function toMatrix(values: ArrayLike<number>, side: number): number[][] {
  const out: number[][] = [];
  for (let r = 0; r < side; r++) out.push(Array.from({ length: side }, (_, c) => values[r * side + c] as number));
  return out;
}

export function isColour(v: number | undefined): v is number {
  return v !== undefined && v >= 0 && v <= 9;
}

/** Bounding box of every cell that is not PAD or unsupervised (so EOS markers stay in view); null if none. */
export function contentRect(cells: Cells): Rect | null {
  let r0 = Infinity;
  let c0 = Infinity;
  let r1 = -1;
  let c1 = -1;
  cells.forEach((row, r) =>
    row.forEach((v, c) => {
      if (v === CELL_PAD || v === CELL_IGNORE) return;
      if (r < r0) r0 = r;
      if (c < c0) c0 = c;
      if (r > r1) r1 = r;
      if (c > c1) c1 = c;
    }),
  );
  return r1 < 0 ? null : { r: r0, c: c0, rows: r1 - r0 + 1, cols: c1 - c0 + 1 };
}

export function unionRect(rects: ReadonlyArray<Rect | null>): Rect | null {
  let out: Rect | null = null;
  for (const x of rects) {
    if (!x) continue;
    if (!out) {
      out = { ...x };
      continue;
    }
    const r1 = Math.max(out.r + out.rows, x.r + x.rows);
    const c1 = Math.max(out.c + out.cols, x.c + x.cols);
    out.r = Math.min(out.r, x.r);
    out.c = Math.min(out.c, x.c);
    out.rows = r1 - out.r;
    out.cols = c1 - out.c;
  }
  return out;
}

export type DiffClass = 'right' | 'wrong' | null;

/**
 * Per-cell comparison with a reference: 'right' where the cell equals the reference, 'wrong' where
 * it differs, null where the reference does not supervise the cell (unsupervised, or outside it).
 */
export function diffAgainst(cells: Cells, ref: Cells): DiffClass[][] {
  return cells.map((row, r) =>
    row.map((v, c) => {
      const want = ref[r]?.[c];
      if (want === undefined || want === CELL_IGNORE) return null;
      return v === want ? 'right' : 'wrong';
    }),
  );
}

/** Cells that changed since another grid (e.g. the previous refinement step). */
export function changedSince(cells: Cells, prev: Cells): boolean[][] {
  return cells.map((row, r) => row.map((v, c) => prev[r]?.[c] !== undefined && prev[r]?.[c] !== v));
}

/**
 * Counts for a caption such as "41/49 match the label": supervised cells of the reference, only
 * inside `within` when given (a 30×30 canvas is mostly PAD, which would drown the puzzle's cells).
 */
export function matchCount(cells: Cells, ref: Cells, within: Rect | null = null): { right: number; total: number } {
  let right = 0;
  let total = 0;
  diffAgainst(cells, ref).forEach((row, r) =>
    row.forEach((d, c) => {
      if (d === null) return;
      if (within && (r < within.r || c < within.c || r >= within.r + within.rows || c >= within.c + within.cols)) return;
      total++;
      if (d === 'right') right++;
    }),
  );
  return { right, total };
}

/** Black or white, whichever reads better on a palette colour (symbol numbers). */
export function inkFor(colour: number): string {
  return colour === 0 || colour === 1 || colour === 2 || colour === 6 || colour === 9 ? '#ffffff' : '#000000';
}
