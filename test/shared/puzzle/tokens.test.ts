import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ARC_SEQ_LEN,
  ARC_SIDE,
  cropDecodeArc,
  encodeArcGrid,
  encodeArcLabel,
  EOS,
  getEncoding,
  IGNORE,
  PAD,
} from '../../../src-shared/puzzle/tokens';
import { arcGrid, gridOf } from './arbitraries';

/** A grid with its placement on the canvas, always fitting. */
const placed = arcGrid(30).chain((g) =>
  fc.record({
    g: fc.constant(g),
    r: fc.integer({ min: 0, max: ARC_SIDE - g.length }),
    c: fc.integer({ min: 0, max: ARC_SIDE - (g[0]?.length ?? 0) }),
  }),
);

/** What docs/method-notes.md#tokens says the token at canvas cell (i, j) is, for grid g at (r, c). */
function expectedToken(g: number[][], r: number, c: number, i: number, j: number): number {
  const h = g.length;
  const w = g[0]?.length ?? 0;
  const inRows = i >= r && i < r + h;
  const inCols = j >= c && j < c + w;
  if (inRows && inCols) return (g[i - r]?.[j - c] as number) + 2;
  if (i === r + h && inCols) return EOS;
  if (j === c + w && inRows) return EOS;
  return PAD;
}

/** The canvas moved up by r rows and left by c columns, PAD filling in. */
function shiftBack(tokens: Int32Array, r: number, c: number): Int32Array {
  const out = new Int32Array(ARC_SEQ_LEN);
  for (let i = 0; i + r < ARC_SIDE; i++) {
    for (let j = 0; j + c < ARC_SIDE; j++) out[i * ARC_SIDE + j] = tokens[(i + r) * ARC_SIDE + j + c] as number;
  }
  return out;
}

describe('ARC tokenisation', () => {
  it('round-trips every grid size 1..30 x 1..30 at the origin through the evaluator crop', () => {
    for (let h = 1; h <= 30; h++) {
      for (let w = 1; w <= 30; w++) {
        const g = Array.from({ length: h }, (_, r) => Array.from({ length: w }, (_, c) => (r * 7 + c * 3 + h + w) % 10));
        const tokens = encodeArcGrid(g);
        expect(tokens).toHaveLength(ARC_SEQ_LEN);
        expect(cropDecodeArc(tokens), `${h}x${w}`).toEqual(g);
      }
    }
  });

  it('round-trips random grids through encode and crop-decode', () => {
    fc.assert(
      fc.property(arcGrid(30), (g) => {
        expect(cropDecodeArc(encodeArcGrid(g))).toEqual(g);
      }),
      { numRuns: 200 },
    );
  });

  it('places cells, the EOS row and the EOS column at any offset and leaves the corner as PAD', () => {
    fc.assert(
      fc.property(placed, ({ g, r, c }) => {
        const tokens = encodeArcGrid(g, r, c);
        for (let i = 0; i < ARC_SIDE; i++) {
          for (let j = 0; j < ARC_SIDE; j++) {
            if (tokens[i * ARC_SIDE + j] !== expectedToken(g, r, c, i, j)) {
              throw new Error(`cell (${i},${j}) is ${tokens[i * ARC_SIDE + j]}, expected ${expectedToken(g, r, c, i, j)}`);
            }
          }
        }
        const h = g.length;
        const w = g[0]?.length ?? 0;
        if (r + h < ARC_SIDE && c + w < ARC_SIDE) expect(tokens[(r + h) * ARC_SIDE + c + w]).toBe(PAD);
      }),
      { numRuns: 150 },
    );
  });

  it('decodes a translated canvas once it is shifted back to the origin', () => {
    fc.assert(
      fc.property(placed, ({ g, r, c }) => {
        expect(cropDecodeArc(shiftBack(encodeArcGrid(g, r, c), r, c))).toEqual(g);
      }),
      { numRuns: 150 },
    );
  });

  it('labels equal the input encoding with PAD replaced by the ignore id', () => {
    fc.assert(
      fc.property(placed, ({ g, r, c }) => {
        const input = encodeArcGrid(g, r, c);
        const label = encodeArcLabel(g, r, c);
        for (let k = 0; k < ARC_SEQ_LEN; k++) {
          expect(label[k]).toBe(input[k] === PAD ? IGNORE : input[k]);
        }
      }),
      { numRuns: 30 },
    );
  });

  it('crops the largest top-left rectangle of colour tokens, keeping the shorter one on a tie', () => {
    const tokens = new Int32Array(ARC_SEQ_LEN);
    // Row 0: 4 colours; rows 1..2: 2 colours; row 3: none. Areas 4, 4, 6 → 3 rows × 2 columns.
    for (let j = 0; j < 4; j++) tokens[j] = 3;
    for (let i = 1; i <= 2; i++) for (let j = 0; j < 2; j++) tokens[i * ARC_SIDE + j] = 5;
    expect(cropDecodeArc(tokens)).toEqual([[1, 1], [3, 3], [3, 3]]);
    // Row 0 with 2 colours, row 1 with 1: areas 2 and 2 → the tie keeps 1 row.
    const tie = new Int32Array(ARC_SEQ_LEN);
    tie[0] = 2;
    tie[1] = 11;
    tie[ARC_SIDE] = 4;
    expect(cropDecodeArc(tie)).toEqual([[0, 9]]);
  });

  it('returns null when the top-left token is not a colour', () => {
    const tokens = encodeArcGrid([[1, 2]], 1, 1);
    expect(cropDecodeArc(tokens)).toBeNull();
    expect(cropDecodeArc(new Int32Array(ARC_SEQ_LEN).fill(12))).toBeNull();
  });

  it('rejects grids that do not fit the canvas at the offset', () => {
    expect(() => encodeArcGrid([[1, 2, 3]], 0, 28)).toThrow(/1x3 does not fit .* at offset \(0,28\)/);
    expect(() => cropDecodeArc([1, 2])).toThrow(/square canvas of at most 900 tokens, got 2/);
  });
});

describe('N-Queens and Sudoku encodings', () => {
  it('encodes an n×n board as n² tokens, empty 1 and queen 2, with vocabulary 3', () => {
    const enc = getEncoding('nqueens', 4);
    expect([enc.side, enc.seqLen, enc.vocab]).toEqual([4, 16, 3]);
    const board = [[0, 1, 0, 0], [0, 0, 0, 1], [1, 0, 0, 0], [0, 0, 1, 0]];
    const tokens = enc.encodeInput(board);
    expect(Array.from(tokens)).toEqual(board.flat().map((v) => v + 1));
    expect(enc.encodeLabel(board)).toEqual(tokens);
    expect(enc.decode(tokens)).toEqual(board);
    expect(getEncoding('nqueens').seqLen).toBe(64);
  });

  it('encodes Sudoku digits 0..9 (0 blank) as tokens 1..10 with vocabulary 11', () => {
    const enc = getEncoding('sudoku');
    expect([enc.side, enc.seqLen, enc.vocab]).toEqual([9, 81, 11]);
    fc.assert(
      fc.property(gridOf(9, 9), (g) => {
        const tokens = enc.encodeInput(g);
        expect(Math.min(...tokens)).toBeGreaterThanOrEqual(1);
        expect(Array.from(tokens)).toEqual(g.flat().map((v) => v + 1));
        expect(enc.decode(tokens)).toEqual(g);
      }),
      { numRuns: 50 },
    );
  });

  it('decodes a board holding a PAD prediction to null and rejects boards of the wrong size or values', () => {
    const q = getEncoding('nqueens', 2);
    expect(q.decode([1, 2, 0, 1])).toBeNull();
    expect(() => q.encodeInput([[0, 2], [0, 0]])).toThrow(/nqueens cell \(0,1\) must be an integer 0\.\.1, got 2/);
    expect(() => getEncoding('sudoku').encodeInput([[1]])).toThrow(/must be 9x9, got 1x1/);
    expect(() => getEncoding('sudoku').encodeInput(Array(9).fill(Array(9).fill(0)), 1, 0)).toThrow(/never translated/);
  });

  it('gives the ARC encoding for kind arc, on the 30×30 canvas by default', () => {
    const enc = getEncoding('arc');
    expect([enc.side, enc.seqLen, enc.vocab]).toEqual([30, 900, 12]);
    expect(enc.decode(enc.encodeInput([[3]], 0, 0))).toEqual([[3]]);
  });

  it('keeps the EOS, PAD and crop rules on a smaller ARC canvas and refuses grids that do not fit it', () => {
    const enc = getEncoding('arc', 6);
    expect([enc.side, enc.seqLen, enc.vocab]).toEqual([6, 36, 12]);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 0, max: 9 }), (h, w, k) => {
        const g = Array.from({ length: h }, (_, i) => Array.from({ length: w }, (_, j) => (i + j + k) % 10));
        const tokens = enc.encodeInput(g);
        expect(enc.decode(tokens)).toEqual(g);
        if (h < 6) expect(tokens[h * 6]).toBe(EOS);
        if (w < 6) expect(tokens[w]).toBe(EOS);
        if (h < 6 && w < 6) expect(tokens[h * 6 + w]).toBe(PAD);
        expect(Array.from(enc.encodeLabel(g)).filter((t) => t === PAD)).toEqual([]);
      }),
      { numRuns: 60 },
    );
    expect(() => enc.encodeInput([[1, 2, 3, 4, 5, 6, 7]])).toThrow(/1\.\.6 on each side for a 6×6 canvas, got 1x7/);
    expect(() => getEncoding('arc', 1)).toThrow(/canvas side must be an integer 2\.\.30, got 1/);
  });
});
