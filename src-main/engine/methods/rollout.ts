// Gradient-free refinement: N_sup supervision steps from a fresh carry, in lockstep, as evaluation and
// inference run them (method-spec §3.2 "Eval", §4.7). TRM: no halting, x from the input every step.
// HRM: as TRM, with its two-level inner forward (../model/hrm.ts).
// DIS: step index s = 1..N_sup into the step table and, unless xSource = 'original', x built from the
// previous step's argmax (the code's re-feeding, §4.4).
//
// Guidance readouts (DIS paper §3.1): ℓ_c = lm_head(z_H after the step's final H-update) — the
// ordinary prediction; ℓ_u = lm_head(z_H entering that H-update). z_H is not changed by the n latent
// updates, so this is the z_H the last cycle started from (the paper's z_H^n versus z_H^{n+1}); with
// T = 1 it is the carry from the previous step (H_init at the first step).
import * as tf from '@tensorflow/tfjs';
import type { RunConfig } from '../../../src-shared/engine/run-config';
import { hrmForward } from '../model/hrm';
import type { TrmNet } from '../model/trm';

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
  /** q_continue logits [B] (trained by HRM only) */
  qContinue: tf.Tensor1D;
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
export async function rollout(net: TrmNet, config: Pick<RunConfig, 'method' | 'model' | 'dis'>, tokens: tf.Tensor2D, rows: tf.Tensor2D | null, o: RolloutOptions): Promise<void> {
  const { T, n, Nsup } = config.model;
  const dis = config.method === 'dis';
  const hrm = config.method === 'hrm';
  const B = tokens.shape[0];
  let { zH, zL } = tf.tidy(() => {
    const c = net.initialCarry(B);
    return { zH: c.zH.clone(), zL: c.zL.clone() };
  });
  let cur: tf.Tensor2D = tokens.clone();
  // TRM's x does not change between steps: build it once.
  const fixedX = dis ? null : tf.tidy(() => net.inputEmbedding(tokens, rows, null));
  try {
    for (let s = 1; s <= Nsup; s++) {
      const out = tidyObject(() => {
        const x =
          fixedX ??
          net.inputEmbedding(config.dis.xSource === 'original' ? tokens : cur, rows, tf.fill([B], Math.min(s, Nsup), 'int32') as tf.Tensor1D);
        let h = zH;
        let l = zL;
        let before = h;
        if (hrm) ({ zH: h, zL: l, zHBefore: before } = hrmForward(net, h, l, x, T, n));
        for (let c = 0; c < T && !hrm; c++) {
          const r = net.cycle(h, l, x, n);
          before = r.zHBefore;
          h = r.zH;
          l = r.zL;
        }
        const logits = net.logits(h);
        const q = net.qHead(h);
        return {
          zH: h,
          zL: l,
          logits,
          lu: o.withLu ? net.logits(before) : null,
          preds: tf.argMax(logits, -1) as tf.Tensor2D,
          qHalt: tf.reshape(tf.slice(q, [0, 0], [B, 1]), [B]) as tf.Tensor1D,
          qContinue: tf.reshape(tf.slice(q, [0, 1], [B, 1]), [B]) as tf.Tensor1D,
        };
      });
      zH.dispose();
      zL.dispose();
      zH = out.zH;
      zL = out.zL;
      try {
        await o.onStep({ step: s, logits: out.logits, lu: out.lu, preds: out.preds, qHalt: out.qHalt, qContinue: out.qContinue });
      } finally {
        cur.dispose();
        cur = out.preds.clone();
        out.logits.dispose();
        out.lu?.dispose();
        out.preds.dispose();
        out.qHalt.dispose();
        out.qContinue.dispose();
      }
    }
  } finally {
    zH.dispose();
    zL.dispose();
    cur.dispose();
    fixedX?.dispose();
  }
}
