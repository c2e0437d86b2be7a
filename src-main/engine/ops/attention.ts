// Scaled dot-product attention, non-causal, no mask (docs/method-notes.md#block). Everything attention-specific
// sits behind `attention(q, k, v)` so a faster kernel can replace it.
//
// On wasm, batched (3-D) matMuls run on a scalar fallback at ~1 GFLOPS whatever the flags, against
// 13–23 GFLOPS for plain 2-D products on XNNPACK (docs/engine-interfaces.md#wasm-fast-paths): at 916 tokens the batched form
// spends >80% of a training step in attention. The 'heads' mode is one custom-gradient op whose every
// product is a batch of plain 2-D products without transpose flags (headsMatMul: one kernel for all
// (batch·head) slices, each on XNNPACK's 2-D path), forward AND backward:
//   forward   S = (q·s)·kᵀ, P = softmax(S), O = P·v                       (s = 1/√dh)
//   backward  dP = dO·vᵀ, dS = P ⊙ (dP − rowsum(dP ⊙ P))
//             dq = dS·(k·s),  dk = dSᵀ·(q·s),  dv = Pᵀ·dO
// The transposed operands (kᵀ, vᵀ, dSᵀ, Pᵀ) are each ONE batched transpose. The [S,S] operand goes
// first in dk and dv: XNNPACK repacks the second operand of every new tensor, so dkᵀ = qᵀ·dS would
// repack an [S,S] matrix for a product with only dh rows (6 GFLOPS at S = 916); dSᵀ·q and Pᵀ·dO run
// at full speed. P is kept for the backward pass (the memory the batched form keeps for its softmax
// gradient). A step's kernel count no longer depends on B·H: ~5 kernels forward and ~12 backward per
// call, where the per-head loop this replaces issued ~7 per head (issue #16.2).
// 'batched' is the plain tfjs form: the right choice where batched matMul is native (tfjs-node).
import * as tf from '@tensorflow/tfjs';
import { headsMatMul } from './heads-matmul';

export type AttentionMode = 'auto' | 'batched' | 'heads';

/** The mode 'auto' resolves to on the current backend. */
export function autoAttentionMode(backend: string = tf.getBackend()): Exclude<AttentionMode, 'auto'> {
  // Only wasm has the 2-D fast path the heads form exploits; on cpu both forms run the same JS matMul loop
  // (measured equal within noise), and tfjs-node runs batched matMul natively.
  return backend === 'wasm' ? 'heads' : 'batched';
}

let forced: Exclude<AttentionMode, 'auto'> | 'skip' | null = null;

/**
 * Forces one mode for every later 'auto' call (benchmarks comparing modes); null restores the default.
 * 'skip' is for measuring attention's share of a step only: it returns v unchanged (same shapes, none
 * of the S² work), which is NOT attention.
 */
export function setAttentionMode(mode: Exclude<AttentionMode, 'auto'> | 'skip' | null): void {
  forced = mode;
}

/** q, k, v: [B·H, S, dh] → softmax(q·kᵀ/√dh)·v, [B·H, S, dh]. */
export function attention(q: tf.Tensor3D, k: tf.Tensor3D, v: tf.Tensor3D, mode: AttentionMode = 'auto'): tf.Tensor3D {
  const m = mode === 'auto' ? (forced ?? autoAttentionMode()) : mode;
  if (m === 'skip') return tf.add(v, tf.mul(q, 0)).add(tf.mul(k, 0)) as tf.Tensor3D;
  if (m === 'heads') return attentionHeads(q, k, v);
  const scale = 1 / Math.sqrt(q.shape[2]);
  const scores = tf.mul(tf.matMul(q, k, false, true), scale);
  return tf.matMul(tf.softmax(scores), v) as tf.Tensor3D;
}

const t021 = (x: tf.Tensor3D): tf.Tensor3D => tf.transpose(x, [0, 2, 1]) as tf.Tensor3D;

/** Per-(batch·head) attention on XNNPACK's 2-D path, with the hand-written gradient above. */
export const attentionHeads = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
  const [q, k, v, save] = args as [tf.Tensor3D, tf.Tensor3D, tf.Tensor3D, tf.GradSaveFunc];
  const dh = q.shape[2];
  if (k.shape.join() !== q.shape.join() || v.shape.join() !== q.shape.join()) {
    throw new Error(`attention: q, k, v must share one shape [B·H, S, dh], got ${JSON.stringify([q.shape, k.shape, v.shape])}`);
  }
  const scale = 1 / Math.sqrt(dh);
  const p = tf.tidy(() => tf.softmax(headsMatMul(tf.mul(q, scale) as tf.Tensor3D, t021(k))) as tf.Tensor3D);
  save([q, k, v, p]);
  return {
    value: headsMatMul(p, v),
    gradFunc: (dy: tf.Tensor3D, saved: tf.Tensor[]) => {
      const [sq, sk, sv, sp] = saved as [tf.Tensor3D, tf.Tensor3D, tf.Tensor3D, tf.Tensor3D];
      const dP = headsMatMul(dy, t021(sv));
      const dS = tf.mul(sp, tf.sub(dP, tf.sum(tf.mul(dP, sp), -1, true))) as tf.Tensor3D;
      return [
        headsMatMul(dS, tf.mul(sk, scale) as tf.Tensor3D),
        headsMatMul(t021(dS), tf.mul(sq, scale) as tf.Tensor3D),
        headsMatMul(t021(sp), dy),
      ];
    },
  };
}) as (q: tf.Tensor3D, k: tf.Tensor3D, v: tf.Tensor3D) => tf.Tensor3D;
