// The paper's masking corruption of y* (the DIS paper's "discrete diffusion schedules"; docs/method-notes.md#paper-and-code) at the
// linearly decreasing rate β_s = 1 − s/N_sup. The 12-token ARC vocabulary has no mask token, so a
// masked position is simply unsupervised (−100): step s is trained on a random floor(s·m/N_sup) of the
// m supervised label positions, nested along one random order per trajectory (F_0 supervises nothing,
// F_Nsup = y). Note what this means: every supervised token is the final answer, so in expectation the
// step-s loss is (s/N_sup)·CE(y*), i.e. TRM-style deep supervision with linearly growing weights; the
// input never appears in a target. Eligibility does not apply (only y* is corrupted).

import type { Rng } from '../../prng';
import { IGNORE } from '../../puzzle/tokens';
import { checkFrameArgs, pathFrames, randomOrder, supervised, type TargetContext, type TargetGenerator } from './common';

export const maskGenerator: TargetGenerator = {
  id: 'mask',
  frames(x: ArrayLike<number>, y: ArrayLike<number>, Nsup: number, rng: Rng, ctx: TargetContext): Int32Array[] {
    checkFrameArgs('mask', x, y, Nsup, ctx);
    const order = randomOrder(y.length, (i) => supervised(y[i] as number, ctx.vocab), rng);
    const masked = new Int32Array(y.length).fill(IGNORE);
    return pathFrames(order, masked, y, y, Nsup, ctx.vocab);
  },
};
