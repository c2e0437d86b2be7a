// The official DIS code's target path (docs/method-notes.md#targets, `batch_corrupt_linear_path_v2`): frames go
// from the input x to the label y by switching a growing random subset of the positions where they
// differ. Frame s switches the first floor(s·n_diff/N_sup) positions of one random order, so frames are
// nested, F_0 = x and F_Nsup = y. An unswitched position shows its INPUT token (no mask token), so with
// eligibility 'code' unswitched label-PAD positions are supervised as the input token (usually PAD 0)
// and switched ones become −100 (ignored). With 'label-only', positions without a label are never on
// the path and are unsupervised in every frame, as in TRM.
//
// The reference draws u ~ U(0,1) per eligible position and ranks by u; a Fisher–Yates shuffle of the
// eligible positions gives the same distribution (a uniformly random order) in linear time.

import type { Rng } from '../../prng';
import { checkFrameArgs, pathFrames, randomOrder, supervised, type TargetContext, type TargetGenerator, type TargetOptions } from './common';

/** The reveal path; exported for the programmable generator's ARC fallback. */
export function revealFrames(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  Nsup: number,
  rng: Rng,
  ctx: TargetContext,
  o: TargetOptions,
): Int32Array[] {
  checkFrameArgs('reveal', x, y, Nsup, ctx);
  const labelOnly = o.eligibility === 'label-only';
  const order = randomOrder(
    x.length,
    (i) => x[i] !== y[i] && (!labelOnly || supervised(y[i] as number, ctx.vocab)),
    rng,
  );
  return pathFrames(order, x, y, y, Nsup, ctx.vocab);
}

export const revealGenerator: TargetGenerator = { id: 'reveal', frames: revealFrames };
