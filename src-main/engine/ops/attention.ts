// Scaled dot-product attention, non-causal, no mask (method-spec §2.4). Everything attention-specific
// sits behind `attention(q, k, v)` so a faster kernel can replace it. On wasm, batched (3-D) matMuls run
// on a scalar fallback whatever the flags (perf-baseline §3); when B·H is small a loop of 2-D products
// is faster (about 1.6× at B=1, L=900), while for large B·H the unstack itself dominates.
import * as tf from '@tensorflow/tfjs';
import { matMul2d } from './matmul';

/** B·H at or below which the per-head loop of 2-D matmuls is used. */
export const PER_HEAD_LOOP_MAX = 8;

export type AttentionMode = 'auto' | 'batched' | 'loop';

/** q, k, v: [B·H, S, dh] → softmax(q·kᵀ/√dh)·v, [B·H, S, dh]. */
export function attention(q: tf.Tensor3D, k: tf.Tensor3D, v: tf.Tensor3D, mode: AttentionMode = 'auto'): tf.Tensor3D {
  const [bh, , dh] = q.shape;
  const scale = 1 / Math.sqrt(dh);
  const loop = mode === 'loop' || (mode === 'auto' && bh <= PER_HEAD_LOOP_MAX);
  if (!loop) {
    const scores = tf.mul(tf.matMul(q, k, false, true), scale);
    return tf.matMul(tf.softmax(scores), v) as tf.Tensor3D;
  }
  const qs = tf.unstack(q) as tf.Tensor2D[];
  const ks = tf.unstack(k) as tf.Tensor2D[];
  const vs = tf.unstack(v) as tf.Tensor2D[];
  const outs = qs.map((qi, i) => {
    const scores = tf.mul(matMul2d(qi, tf.transpose(ks[i] as tf.Tensor2D)), scale) as tf.Tensor2D;
    return matMul2d(tf.softmax(scores), vs[i] as tf.Tensor2D);
  });
  return tf.stack(outs) as tf.Tensor3D;
}
