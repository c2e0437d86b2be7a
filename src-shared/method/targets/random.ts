// Random replacement of y* (the DIS paper: "token masking or random replacement with rate β"): at step s
// a fraction β_s = 1 − s/N_sup of the label's VALUE tokens is replaced by a uniformly random value
// token, and every label position stays supervised. Only value tokens are corrupted (ARC colours 2..11,
// N-Queens empty/queen 1..2, Sudoku digits 2..10); the ARC EOS row/column and the unsupervised PAD area
// keep the label's structure, so the grid's shape is never corrupted. One random order and one noise
// token per position are drawn per trajectory, so revealed positions stay revealed (nested frames) and a
// still-corrupted position keeps the same wrong token from step to step.

import type { Rng } from '../../prng';
import { COLOUR_TOKEN_BASE } from '../../puzzle/tokens';
import { checkFrameArgs, pathFrames, randomOrder, type TargetContext, type TargetGenerator } from './common';

/** Inclusive token range of the values a label cell can take in each encoding. */
export function valueTokenRange(ctx: TargetContext): [number, number] {
  switch (ctx.encoding) {
    case 'arc':
      return [COLOUR_TOKEN_BASE, ctx.vocab - 1];
    case 'nqueens':
      return [1, ctx.vocab - 1];
    case 'sudoku':
      // Digits 1..9 (tokens 2..10); the blank (token 1) never appears in a solution.
      return [2, ctx.vocab - 1];
  }
}

export const randomGenerator: TargetGenerator = {
  id: 'random',
  frames(x: ArrayLike<number>, y: ArrayLike<number>, Nsup: number, rng: Rng, ctx: TargetContext): Int32Array[] {
    checkFrameArgs('random', x, y, Nsup, ctx);
    const [lo, hi] = valueTokenRange(ctx);
    if (hi < lo) throw new Error(`target generator random: the ${ctx.encoding} vocabulary of ${ctx.vocab} has no value tokens`);
    const order = randomOrder(
      y.length,
      (i) => {
        const t = y[i] as number;
        return t >= lo && t <= hi;
      },
      rng,
    );
    const noise = Int32Array.from(y);
    for (const p of order) noise[p] = rng.int(lo, hi);
    return pathFrames(order, noise, y, y, Nsup, ctx.vocab);
  },
};
