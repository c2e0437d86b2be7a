// Losses of TRM and DIS (docs/method-notes.md#losses, #step-loss), in float32 (tfjs has no float64).
//   stablemax: s(z) = z + 1 for z ≥ 0, 1/(1 − z) for z < 0; p_k = s(z_k)/Σ_j s(z_j); loss −log p_label.
//     Safe in float32 because s ∈ (0, 1 + max z]: no exponentials.
//   lm_loss = (1/B) Σ_rows [Σ_valid-tokens loss / max(#valid, 1)]   (a per-row mean, summed over rows)
//   q_halt_loss = (1/B) Σ_rows BCE_with_logits(q_halt, exact_match)   (the target carries no gradient)
//   TRM total = lm_loss + 0.5·q_halt_loss; DIS total = w_s·lm_loss against the step's frame.
// Invalid labels (−100, or anything outside [0, vocab)) are masked before the gather, as the code does.
import * as tf from '@tensorflow/tfjs';

/**
 * s(z) elementwise with its derivative (1 for z ≥ 0, 1/(1 − z)² below). A custom gradient keeps the
 * z ≥ 0 mask off the tape: tfjs has no gradient for comparison ops.
 */
export const stablemaxS = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
  const [z, save] = args as [tf.Tensor, tf.GradSaveFunc];
  save([z]);
  const nonNeg = tf.greaterEqual(z, 0);
  const below = tf.reciprocal(tf.sub(1, z));
  return {
    value: tf.where(nonNeg, tf.add(z, 1), below),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const zs = saved[0] as tf.Tensor;
      const d = tf.where(tf.greaterEqual(zs, 0), tf.onesLike(zs), tf.square(tf.reciprocal(tf.sub(1, zs))));
      return [tf.mul(dy, d)];
    },
  };
}) as (z: tf.Tensor) => tf.Tensor;

/** log stablemax probabilities over the last axis. */
export function logStablemax(logits: tf.Tensor): tf.Tensor {
  const s = stablemaxS(logits);
  return tf.sub(tf.log(s), tf.log(tf.sum(s, -1, true)));
}

/** 1 where a label is a supervised class (0 ≤ label < vocab), else 0; float32, same shape as labels. */
export function validMask(labels: tf.Tensor, vocab: number): tf.Tensor {
  return tf.cast(tf.logicalAnd(tf.greaterEqual(labels, 0), tf.less(labels, vocab)), 'float32');
}

/** Per-token stablemax cross-entropy [B, S], 0 at invalid labels. logits [B, S, V], labels int32 [B, S]. */
export function stablemaxCrossEntropy(logits: tf.Tensor3D, labels: tf.Tensor2D): tf.Tensor2D {
  const V = logits.shape[2];
  const valid = validMask(labels, V);
  // Invalid labels become class 0 before the one-hot "gather", then their loss is zeroed.
  const safe = tf.where(tf.cast(valid, 'bool'), labels, tf.zerosLike(labels));
  const picked = tf.sum(tf.mul(logStablemax(logits), tf.oneHot(safe as tf.Tensor2D, V)), -1);
  return tf.mul(tf.neg(picked), valid) as tf.Tensor2D;
}

/** (1/B)·Σ_rows mean-over-valid-tokens stablemax CE; rows with no valid token count 0 (divisor 1). */
export function lmLoss(logits: tf.Tensor3D, labels: tf.Tensor2D): tf.Scalar {
  const [B, , V] = logits.shape;
  const perToken = stablemaxCrossEntropy(logits, labels);
  const counts = tf.maximum(tf.sum(validMask(labels, V), -1), 1);
  return tf.div(tf.sum(tf.div(tf.sum(perToken, -1), counts)), B) as tf.Scalar;
}

/** (1/B)·Σ_rows BCE_with_logits(x, t) = max(x,0) − x·t + log(1 + e^(−|x|)). target: float [B] of 0/1. */
export function qHaltLoss(qHalt: tf.Tensor1D, target: tf.Tensor1D): tf.Scalar {
  const B = qHalt.shape[0];
  const bce = tf.add(tf.sub(tf.relu(qHalt), tf.mul(qHalt, target)), tf.log1p(tf.exp(tf.neg(tf.abs(qHalt)))));
  return tf.div(tf.sum(bce), B) as tf.Scalar;
}

/** Argmax predictions and, per row, whether every valid token is right (rows with none count as right, as in the code). */
export function exactMatch(logits: tf.Tensor3D, labels: tf.Tensor2D): { preds: tf.Tensor2D; correct: tf.Tensor1D; tokenAcc: tf.Tensor1D } {
  const V = logits.shape[2];
  const preds = tf.argMax(logits, -1) as tf.Tensor2D;
  const valid = validMask(labels, V);
  const hits = tf.sum(tf.mul(tf.cast(tf.equal(preds, labels), 'float32'), valid), -1);
  const counts = tf.sum(valid, -1);
  const correct = tf.cast(tf.equal(hits, counts), 'float32') as tf.Tensor1D;
  const tokenAcc = tf.div(hits, tf.maximum(counts, 1)) as tf.Tensor1D;
  return { preds, correct, tokenAcc };
}

/**
 * DIS per-step loss weights w_s, s = 1..N_sup. 'uniform' (the code): all 1. 'linear' (the paper's
 * "linearly increasing step weights"): w_s ∝ s, normalised so the mean weight over the N_sup steps is 1,
 * i.e. w_s = 2s/(N_sup + 1) — the total loss scale (and so the effective LR) matches the uniform case.
 */
export function stepWeight(kind: 'uniform' | 'linear', s: number, Nsup: number): number {
  return kind === 'uniform' ? 1 : (2 * s) / (Nsup + 1);
}
