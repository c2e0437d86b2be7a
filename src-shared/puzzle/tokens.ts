// Grid ⇄ token sequences for the three puzzle kinds the engine trains on.
//   ARC (docs/method-notes.md#tokens): a 30×30 canvas, PAD 0, EOS 1, colour k → k+2, vocab 12, 900 tokens.
//   N-Queens (generalised to n×n): empty → 1, queen → 2, vocab 3, n² tokens, PAD unused.
//   Sudoku: digit d (0 = blank) → d+1, vocab 11, 81 tokens.

import type { Grid } from './types';

export const ARC_SIDE = 30;
export const ARC_SEQ_LEN = ARC_SIDE * ARC_SIDE;
export const ARC_VOCAB = 12;
export const PAD = 0;
export const EOS = 1;
/** Label value the loss skips (PyTorch's ignore_index). */
export const IGNORE = -100;
/** Token of colour 0; colour k is COLOUR_TOKEN_BASE + k. */
export const COLOUR_TOKEN_BASE = 2;

export type EncodingKind = 'arc' | 'nqueens' | 'sudoku';

export interface Encoding {
  kind: EncodingKind;
  /** Side of the square canvas. */
  side: number;
  seqLen: number;
  vocab: number;
  encodeInput(g: Grid, r?: number, c?: number): Int32Array;
  encodeLabel(g: Grid, r?: number, c?: number): Int32Array;
  /** The grid a token sequence stands for, or null when it holds no valid grid. */
  decode(tokens: ArrayLike<number>): Grid | null;
}

function encodeArcCanvas(g: Grid, r: number, c: number, fill: number, side: number): Int32Array {
  const h = g.length;
  const w = g[0]?.length ?? 0;
  if (h < 1 || w < 1 || h > side || w > side) {
    throw new Error(`ARC grid must be 1..${side} on each side for a ${side}×${side} canvas, got ${h}x${w}`);
  }
  if (!Number.isInteger(r) || !Number.isInteger(c) || r < 0 || c < 0 || r + h > side || c + w > side) {
    throw new Error(`ARC grid ${h}x${w} does not fit the ${side}×${side} canvas at offset (${r},${c})`);
  }
  const out = new Int32Array(side * side).fill(fill);
  for (let i = 0; i < h; i++) {
    const row = g[i] as number[];
    const base = (r + i) * side + c;
    for (let j = 0; j < w; j++) out[base + j] = (row[j] as number) + COLOUR_TOKEN_BASE;
    // EOS column: just right of the grid, on the grid's rows only.
    if (c + w < side) out[base + w] = EOS;
  }
  // EOS row: just below the grid, on the grid's columns only; the corner (r+h, c+w) stays unmarked.
  if (r + h < side) out.fill(EOS, (r + h) * side + c, (r + h) * side + c + w);
  return out;
}

/** The 900 input tokens of grid g placed with its top-left cell at (r, c) (or side² on a smaller canvas). */
export function encodeArcGrid(g: Grid, r = 0, c = 0, side = ARC_SIDE): Int32Array {
  return encodeArcCanvas(g, r, c, PAD, side);
}

/** The label tokens: like encodeArcGrid, with every PAD replaced by IGNORE. */
export function encodeArcLabel(g: Grid, r = 0, c = 0, side = ARC_SIDE): Int32Array {
  return encodeArcCanvas(g, r, c, IGNORE, side);
}

/**
 * The evaluator's crop (docs/method-notes.md#evaluation-and-voting): the largest top-left-anchored rectangle of colour tokens.
 * Rows are scanned downwards with a running column limit cut at each row's first non-colour token;
 * the row count of maximal area wins (strictly larger, so ties keep the shorter). Null if the area is 0.
 * The canvas side is inferred from the token count (900 → 30; a smaller square canvas works alike).
 */
export function cropDecodeArc(tokens: ArrayLike<number>): Grid | null {
  const side = Math.round(Math.sqrt(tokens.length));
  if (side * side !== tokens.length || side < 1 || side > ARC_SIDE) {
    throw new Error(`cropDecodeArc: expected a square canvas of at most ${ARC_SEQ_LEN} tokens, got ${tokens.length}`);
  }
  let limit = side;
  let bestArea = 0;
  let bestRows = 0;
  let bestCols = 0;
  for (let r = 0; r < side; r++) {
    for (let c = 0; c < limit; c++) {
      const t = tokens[r * side + c] as number;
      if (t < COLOUR_TOKEN_BASE || t >= ARC_VOCAB) {
        limit = c;
        break;
      }
    }
    const area = (r + 1) * limit;
    if (area > bestArea) {
      bestArea = area;
      bestRows = r + 1;
      bestCols = limit;
    }
  }
  if (bestArea === 0) return null;
  const out: Grid = new Array(bestRows);
  for (let r = 0; r < bestRows; r++) {
    const row = new Array<number>(bestCols);
    for (let c = 0; c < bestCols; c++) row[c] = (tokens[r * side + c] as number) - COLOUR_TOKEN_BASE;
    out[r] = row;
  }
  return out;
}

/**
 * A fixed-size square board whose cells map to tokens by adding `offset` (values 0..maxValue).
 * Nothing is padded, so labels equal inputs' encoding and no token is ignored.
 */
function boardEncoding(kind: 'nqueens' | 'sudoku', side: number, maxValue: number, offset: number): Encoding {
  const seqLen = side * side;
  const encode = (g: Grid, r = 0, c = 0): Int32Array => {
    if (r !== 0 || c !== 0) throw new Error(`${kind} boards are never translated, got offset (${r},${c})`);
    if (g.length !== side || g.some((row) => row.length !== side)) {
      const cols = g[0]?.length ?? 0;
      throw new Error(`${kind} board must be ${side}x${side}, got ${g.length}x${cols}`);
    }
    const out = new Int32Array(seqLen);
    for (let i = 0; i < side; i++) {
      const row = g[i] as number[];
      for (let j = 0; j < side; j++) {
        const v = row[j] as number;
        if (!Number.isInteger(v) || v < 0 || v > maxValue) {
          throw new Error(`${kind} cell (${i},${j}) must be an integer 0..${maxValue}, got ${v}`);
        }
        out[i * side + j] = v + offset;
      }
    }
    return out;
  };
  return {
    kind,
    side,
    seqLen,
    vocab: maxValue + 1 + offset,
    encodeInput: encode,
    encodeLabel: encode,
    decode(tokens) {
      if (tokens.length !== seqLen) throw new Error(`${kind} decode: expected ${seqLen} tokens, got ${tokens.length}`);
      const out: Grid = new Array(side);
      for (let i = 0; i < side; i++) {
        const row = new Array<number>(side);
        for (let j = 0; j < side; j++) {
          const v = (tokens[i * side + j] as number) - offset;
          // A PAD (or out-of-vocabulary) prediction means no board was produced.
          if (v < 0 || v > maxValue) return null;
          row[j] = v;
        }
        out[i] = row;
      }
      return out;
    },
  };
}

/** The ARC encoding on a side×side canvas (30 in the authors' code; smaller canvases keep every rule). */
function arcEncoding(side: number): Encoding {
  return {
    kind: 'arc',
    side,
    seqLen: side * side,
    vocab: ARC_VOCAB,
    encodeInput: (g, r = 0, c = 0) => encodeArcGrid(g, r, c, side),
    encodeLabel: (g, r = 0, c = 0) => encodeArcLabel(g, r, c, side),
    decode: cropDecodeArc,
  };
}

const ARC_ENCODING: Encoding = arcEncoding(ARC_SIDE);

/** The encoding of a puzzle kind. `side` is n for N-Queens (default 8), the canvas for ARC (default 30), 9 for Sudoku. */
export function getEncoding(kind: EncodingKind, side?: number): Encoding {
  switch (kind) {
    case 'arc':
      if (side === undefined || side === ARC_SIDE) return ARC_ENCODING;
      if (!Number.isInteger(side) || side < 2 || side > ARC_SIDE) {
        throw new Error(`ARC canvas side must be an integer 2..${ARC_SIDE}, got ${side}`);
      }
      return arcEncoding(side);
    case 'sudoku':
      if (side !== undefined && side !== 9) throw new Error(`Sudoku side is 9, got ${side}`);
      return boardEncoding('sudoku', 9, 9, 1);
    case 'nqueens': {
      const n = side ?? 8;
      if (!Number.isInteger(n) || n < 1 || n > ARC_SIDE) {
        throw new Error(`N-Queens side must be an integer 1..${ARC_SIDE}, got ${n}`);
      }
      return boardEncoding('nqueens', n, 1, 1);
    }
    default: {
      const never: never = kind;
      throw new Error(`unknown encoding kind ${String(never)}`);
    }
  }
}
