// Token canvases of the authors' ARC datasets → grids. The evaluator's crop (cropDecodeArc) assumes
// the grid starts at (0, 0), which holds for the test split; train-split examples are translated, so
// the grid's top-left corner is found first (the smallest row and column holding a colour token: the
// grid is the one rectangle of colour tokens, surrounded by EOS and PAD).
import { ARC_VOCAB, COLOUR_TOKEN_BASE, cropDecodeArc } from '../../../src-shared/puzzle/tokens';
import type { Grid } from '../../../src-shared/puzzle/types';

/** The grid on a square side×side canvas wherever it sits, or null when the canvas holds none. */
export function decodeArcCanvas(tokens: ArrayLike<number>): Grid | null {
  const side = Math.round(Math.sqrt(tokens.length));
  if (side * side !== tokens.length) throw new Error(`decodeArcCanvas: ${tokens.length} tokens are not a square canvas`);
  let r0 = side;
  let c0 = side;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as number;
    if (t >= COLOUR_TOKEN_BASE && t < ARC_VOCAB) {
      const r = Math.floor(i / side);
      const c = i % side;
      if (r < r0) r0 = r;
      if (c < c0) c0 = c;
    }
  }
  if (r0 === side) return null;
  if (r0 === 0 && c0 === 0) return cropDecodeArc(tokens);
  const shifted = new Int32Array(side * side);
  for (let r = 0; r + r0 < side; r++) {
    for (let c = 0; c + c0 < side; c++) shifted[r * side + c] = tokens[(r + r0) * side + c + c0] as number;
  }
  return cropDecodeArc(shifted);
}
