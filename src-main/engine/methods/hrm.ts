// HRM, the Hierarchical Reasoning Model (Wang et al. 2025; sapientinc/HRM models/hrm/hrm_act_v1.py,
// models/losses.py ACTLossHead). Two networks with their own blocks on TRM's embeddings and heads
// (../model/hrm.ts): a low-level f_L and a high-level f_H,
//   z_L ← f_L(z_L + (z_H + x))        z_H ← f_H(z_H + z_L)
//
// One supervision step (run by executor.ts), T = H_cycles, n = L_cycles:
//   x = √D · concat(puzzle_prefix, tok_emb(inputs))        (a one-position prefix: puzzle_emb_ndim = D)
//   without gradient: for h in 1..T: for l in 1..n: z_L-update unless (h, l) = (T, n)
//                                    z_H-update unless h = T
//   with gradient:    one z_L-update, then one z_H-update
//   logits = lm_head(z_H),  (q_halt, q_continue) = q_head(z_H[:, 0])
//   the Q-continue target, without gradient, from a SECOND whole inner forward on the new carry:
//     target = sigmoid(is_last ? q_halt′ : max(q_halt′, q_continue′)),   is_last: depth ≥ N_sup
//   loss = lm + 0.5 · (BCE(q_halt, exact) + BCE(q_continue, target))      (per-row sums / B, as TRM)
// The authors compute the target in every training step when halt_max_steps > 1; its T·n + T calls
// run inside a custom-gradient op, off the tape, so the call counter counts them as no-grad calls.
// The carry is (z_H, z_L) and each row's depth (supervision steps taken), which restarts with the
// row, so the loss knows which rows are at their last step.
//
// Training: TRM's loop (trm.ts, TrmTraining: per-row halting, rows restarting on new data), with the
// halting signal q_halt − q_continue: halted = steps ≥ N_sup OR (q_halt > q_continue AND steps ≥
// min_steps). TRM's rule is q_halt > 0 because TRM switched the continue output off.
import * as tf from '@tensorflow/tfjs';
import { exactMatch, lmLoss, qHaltLoss } from '../losses';
import { hrmForward, hrmLastUpdates, hrmNoGradUpdates } from '../model/hrm';
import { TrmNet } from '../model/trm';
import { withoutGradient } from '../ops/stop-gradient';
import type { Carry, CarryShapes, MethodConfig, MethodDef, StepLoss } from './method';
import { haltLogits, latentShapes, readHeads, startCarry, TrmTraining } from './trm';

/** q_continue logits [B] from the Q head's [B, 2]. */
export function continueLogits(q: tf.Tensor2D): tf.Tensor1D {
  const B = q.shape[0];
  return tf.reshape(tf.slice(q, [0, 1], [B, 1]), [B]) as tf.Tensor1D;
}

/**
 * The Q-continue target: a second, gradient-free inner forward from the new carry, then
 * sigmoid(last ? q_halt′ : max(q_halt′, q_continue′)). A constant to everything on the tape.
 */
export function continueTarget(net: TrmNet, carry: Carry, x: tf.Tensor3D, cfg: MethodConfig): tf.Tensor1D {
  const zH = carry['zH'] as tf.Tensor3D;
  return withoutGradient(zH, () => {
    const next = hrmForward(net, zH, carry['zL'] as tf.Tensor3D, x, cfg.model.T, cfg.model.n);
    const q = net.qHead(next.zH);
    const halt = haltLogits(q);
    const last = tf.greaterEqual(carry['depth'] as tf.Tensor1D, cfg.model.Nsup);
    return tf.sigmoid(tf.where(last, halt, tf.maximum(halt, continueLogits(q)))) as tf.Tensor1D;
  });
}

/** lm + 0.5·(q_halt BCE against exact match + q_continue BCE against its target when N_sup > 1). */
export function hrmLoss(net: TrmNet, carry: Carry, x: tf.Tensor3D, logits: tf.Tensor3D, q: tf.Tensor2D, labels: tf.Tensor2D, cfg: MethodConfig): StepLoss {
  const lm = lmLoss(logits, labels);
  const exact = withoutGradient(logits, (l) => exactMatch(l as tf.Tensor3D, labels).correct);
  const qh = qHaltLoss(haltLogits(q), exact);
  // halt_max_steps = 1 has nothing to continue to: the authors compute no target then.
  const qc = cfg.model.Nsup > 1 ? qHaltLoss(continueLogits(q), continueTarget(net, carry, x, cfg)) : null;
  return { total: tf.add(lm, tf.mul(qc ? tf.add(qh, qc) : qh, 0.5)) as tf.Scalar, lm, qHalt: qh, qContinue: qc };
}

export function hrmShapes(net: TrmNet, B: number): CarryShapes {
  return { ...latentShapes(net, B), depth: { shape: [B], dtype: 'float32' } };
}

export const HRM: MethodDef<TrmNet> = {
  name: 'hrm',
  createNet: (spec, params, buffers) => TrmNet.create(spec, params, buffers),
  carryShapes: hrmShapes,
  initialCarry: (net, tokens) => ({ ...startCarry(net, tokens.shape[0]), depth: tf.zeros([tokens.shape[0]]) }),
  input: (net, _carry, tokens, _s, rows) => net.inputEmbedding(tokens, rows, null),
  fixedInput: () => true,
  noGrad: (net, carry, x, cfg) => {
    const r = hrmNoGradUpdates(net, carry['zH'] as tf.Tensor3D, carry['zL'] as tf.Tensor3D, x(), cfg.model.T, cfg.model.n);
    return { ...carry, zH: r.zH, zL: r.zL };
  },
  withGrad: (net, carry, x) => {
    const r = hrmLastUpdates(net, carry['zH'] as tf.Tensor3D, carry['zL'] as tf.Tensor3D, x);
    return { zH: r.zH, zL: r.zL, depth: tf.add(carry['depth'] as tf.Tensor1D, 1) };
  },
  readout: readHeads,
  haltSignal: (q) => tf.sub(haltLogits(q), continueLogits(q)) as tf.Tensor1D,
  afterStep: () => ({}),
  loss: ({ net, x, carry, readout, batch }, cfg) => hrmLoss(net, carry, x, readout.logits, readout.q, batch.target, cfg),
  train: (s) => new TrmTraining(s.parts, s.config, s.sampler, s.rng.halting, s.runner),
};
