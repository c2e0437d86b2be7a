// DIS target generators Φ(x, y*, N_sup) → frames F_0..F_Nsup (docs/method-notes.md#targets).
// Training asks for the frames of a whole batch (batchFrames); the UI and the CLI ask for the frames
// of one example (generator.frames, or previewTargets for a task pair).

import type { Rng } from '../../prng';
import type { TargetContext, TargetGenerator, TargetOptions } from './common';

export type { TargetContext, TargetGenerator, TargetGeneratorId, TargetOptions } from './common';
export { getTargetGenerator, TARGET_GENERATORS } from './registry';
export { previewTargets, type PreviewRequest } from './preview';

/**
 * Frames for a batch of B rows of S tokens: Nsup+1 arrays of B·S, row b of frame s at [b·S, (b+1)·S).
 * Rows draw from `rng` one after another, so the result depends only on the rng state and the batch.
 */
export function batchFrames(
  gen: TargetGenerator,
  inputs: Int32Array,
  labels: Int32Array,
  B: number,
  S: number,
  Nsup: number,
  rng: Rng,
  ctx: TargetContext,
  o: TargetOptions,
): Int32Array[] {
  if (!Number.isInteger(B) || B < 0 || !Number.isInteger(S) || S < 1) {
    throw new Error(`batchFrames: batch size and sequence length must be integers (B ≥ 0, S ≥ 1), got B=${B}, S=${S}`);
  }
  if (inputs.length !== B * S || labels.length !== B * S) {
    throw new Error(`batchFrames: expected ${B}×${S} = ${B * S} inputs and labels, got ${inputs.length} and ${labels.length}`);
  }
  const out = Array.from({ length: Nsup + 1 }, () => new Int32Array(B * S));
  for (let b = 0; b < B; b++) {
    const x = inputs.subarray(b * S, (b + 1) * S);
    const y = labels.subarray(b * S, (b + 1) * S);
    const frames = gen.frames(x, y, Nsup, rng, ctx, o);
    if (frames.length !== Nsup + 1) {
      throw new Error(`target generator ${gen.id} returned ${frames.length} frames for Nsup=${Nsup} (row ${b})`);
    }
    for (let s = 0; s <= Nsup; s++) (out[s] as Int32Array).set(frames[s] as Int32Array, b * S);
  }
  return out;
}
