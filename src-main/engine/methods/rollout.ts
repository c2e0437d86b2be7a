// Gradient-free refinement: N_sup supervision steps from a fresh carry, in lockstep, as evaluation and
// inference run them (docs/method-notes.md, "Evaluation"): each step is the executor's
// inferenceStep of the run's method. TRM: no halting, x from the input every step. DIS: step index
// s = 1..N_sup into the step table and, unless xSource = 'original', x built from the previous
// step's argmax (the code's re-feeding).
//
// Guidance readouts (DIS paper §3.1): ℓ_c = lm_head(z_H after the step's final H-update) — the
// ordinary prediction; ℓ_u = lm_head(z_H entering that H-update). z_H is not changed by the n latent
// updates, so this is the z_H the last cycle started from (the paper's z_H^n versus z_H^{n+1}); with
// T = 1 it is the carry from the previous step (H_init at the first step).
import * as tf from '@tensorflow/tfjs';
import type { TrmNet } from '../model/trm';
import { disposeCarry, replaceCarry } from './carry';
import { freshCarry, inferenceStep } from './executor';
import { methodDef } from './index';
import type { MethodConfig } from './method';
import { haltLogits } from './trm';

export interface RolloutStep {
  /** 1-based supervision step */
  step: number;
  /** ℓ_c [B, S, V] */
  logits: tf.Tensor3D;
  /** ℓ_u [B, S, V], only when asked for */
  lu: tf.Tensor3D | null;
  /** argmax of ℓ_c, int32 [B, S] */
  preds: tf.Tensor2D;
  /** q_halt logits [B] */
  qHalt: tf.Tensor1D;
}

/** tf.tidy for a plain object of tensors (some may be null), keeping its type. */
export function tidyObject<T extends object>(fn: () => T): T {
  return tf.tidy(() => fn() as unknown as tf.TensorContainer) as unknown as T;
}

export interface RolloutOptions {
  /** compute ℓ_u as well */
  withLu: boolean;
  /** called once per step; the step's tensors are disposed after it returns */
  onStep: (s: RolloutStep) => void | Promise<void>;
}

/**
 * Runs N_sup steps on tokens [B, S] (int32) with puzzle rows [B, dim] (or null). Tensors passed in are
 * not disposed. Uses the network's counter, so calls are counted (all without gradient).
 */
export async function rollout(net: TrmNet, config: MethodConfig, tokens: tf.Tensor2D, rows: tf.Tensor2D | null, o: RolloutOptions): Promise<void> {
  const m = methodDef(config.method);
  const Nsup = config.model.Nsup;
  let carry = freshCarry(m, net, tokens, config);
  // A method whose x does not change between steps (TRM) builds it once.
  const fixedX = m.fixedInput(config) ? tf.tidy(() => m.input(net, carry, tokens, 1, rows, config)) : null;
  try {
    for (let s = 1; s <= Nsup; s++) {
      const out = tidyObject(() => {
        const x = fixedX ?? m.input(net, carry, tokens, s, rows, config);
        const r = inferenceStep(m, net, config, carry, x, o.withLu);
        return { ...r, preds: tf.argMax(r.logits, -1) as tf.Tensor2D, qHalt: haltLogits(r.q) };
      });
      out.q.dispose();
      carry = replaceCarry(carry, out.carry);
      try {
        await o.onStep({ step: s, logits: out.logits, lu: out.lu, preds: out.preds, qHalt: out.qHalt });
      } finally {
        tf.dispose([out.logits, out.preds, out.qHalt, ...(out.lu ? [out.lu] : [])]);
      }
    }
  } finally {
    disposeCarry(carry);
    fixedX?.dispose();
  }
}
