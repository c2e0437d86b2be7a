// Scaled dot-product attention, non-causal, no mask (method-spec §2.4). Everything attention-specific
// sits behind `attention(q, k, v)` so a faster kernel can replace it.
//
// On wasm, batched (3-D) matMuls run on a scalar fallback at ~1 GFLOPS whatever the flags, against
// 13–23 GFLOPS for plain 2-D products on XNNPACK (perf-baseline §3): at 916 tokens the batched form
// spends >80% of a training step in attention. The 'heads' mode is one custom-gradient op that runs
// every (batch·head) as plain 2-D products without transpose flags, forward AND backward:
//   forward   S = (q·s)·kᵀ, P = softmax(S), O = P·v                       (s = 1/√dh)
//   backward  dP = dO·vᵀ, dS = P ⊙ (dP − rowsum(dP ⊙ P))
//             dq = dS·(k·s),  dk = dSᵀ·(q·s),  dv = Pᵀ·dO
// The transposed small operands (kᵀ, vᵀ) are made by ONE batched transpose of a [B·H, S, dh] tensor
// each, which is cheap; dSᵀ and Pᵀ are [S,S] transposes per head (see below why); the per-head rows are split off with unstackRows (a
// contiguous copy; tf.unstack on wasm copies the whole tensor per row). P is kept for the backward pass
// (the same memory the batched form keeps for its softmax gradient).
// 'batched' is the plain tfjs form: the right choice where batched matMul is native (tfjs-node).
import * as tf from '@tensorflow/tfjs';
import { unstackRows } from './unstack-rows';

export type AttentionMode = 'auto' | 'batched' | 'heads';

/** The mode 'auto' resolves to on the current backend. */
export function autoAttentionMode(backend: string = tf.getBackend()): Exclude<AttentionMode, 'auto'> {
  // Only wasm has the 2-D fast path the loop exploits; on cpu both forms run the same JS matMul loop
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

const t021 = (x: tf.Tensor): tf.Tensor3D => tf.transpose(x, [0, 2, 1]) as tf.Tensor3D;

/** Per-(batch·head) 2-D attention with the hand-written gradient above. */
export const attentionHeads = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
  const [q, k, v, save] = args as [tf.Tensor3D, tf.Tensor3D, tf.Tensor3D, tf.GradSaveFunc];
  const [bh, , dh] = q.shape;
  if (k.shape.join() !== q.shape.join() || v.shape.join() !== q.shape.join()) {
    throw new Error(`attention: q, k, v must share one shape [B·H, S, dh], got ${JSON.stringify([q.shape, k.shape, v.shape])}`);
  }
  const scale = 1 / Math.sqrt(dh);
  const qs = unstackRows<tf.Tensor2D>(tf.mul(q, scale));
  const kTs = unstackRows<tf.Tensor2D>(t021(k));
  const vs = unstackRows<tf.Tensor2D>(v);
  const outs: tf.Tensor2D[] = [];
  const ps: tf.Tensor2D[] = [];
  for (let i = 0; i < bh; i++) {
    const r = tf.tidy(() => {
      const p = tf.softmax(tf.matMul(qs[i]!, kTs[i]!)) as tf.Tensor2D;
      return { p, o: tf.matMul(p, vs[i]!) as tf.Tensor2D };
    });
    ps.push(r.p);
    outs.push(r.o);
  }
  tf.dispose([...qs, ...kTs, ...vs]);
  save([q, k, v, ...ps]);
  const value = tf.stack(outs) as tf.Tensor3D;
  return {
    value,
    gradFunc: (dy: tf.Tensor3D, saved: tf.Tensor[]) => {
      const [sq, sk, sv, ...sp] = saved as [tf.Tensor3D, tf.Tensor3D, tf.Tensor3D, ...tf.Tensor2D[]];
      const dys = unstackRows<tf.Tensor2D>(dy);
      const vTs = unstackRows<tf.Tensor2D>(t021(sv));
      const kScaled = unstackRows<tf.Tensor2D>(tf.mul(sk, scale));
      const qScaled = unstackRows<tf.Tensor2D>(tf.mul(sq, scale));
      const dq: tf.Tensor2D[] = [];
      const dk: tf.Tensor2D[] = [];
      const dv: tf.Tensor2D[] = [];
      for (let i = 0; i < bh; i++) {
        const r = tf.tidy(() => {
          const p = sp[i]!;
          const dP = tf.matMul(dys[i]!, vTs[i]!);
          const dS = tf.mul(p, tf.sub(dP, tf.sum(tf.mul(dP, p), -1, true))) as tf.Tensor2D;
          // The [S,S] operand goes first: XNNPACK repacks the second operand of every new tensor, so
          // dKᵀ = qᵀ·dS would repack an [S,S] matrix for a product with only dh rows (6 GFLOPS at
          // S = 916); transposing dS and P once and multiplying dSᵀ·q, Pᵀ·dO runs at full speed.
          return {
            dq: tf.matMul(dS, kScaled[i]!) as tf.Tensor2D,
            dk: tf.matMul(tf.transpose(dS), qScaled[i]!) as tf.Tensor2D,
            dv: tf.matMul(tf.transpose(p), dys[i]!) as tf.Tensor2D,
          };
        });
        dq.push(r.dq);
        dk.push(r.dk);
        dv.push(r.dv);
      }
      tf.dispose([...dys, ...vTs, ...kScaled, ...qScaled]);
      const grads = [tf.stack(dq), tf.stack(dk), tf.stack(dv)];
      tf.dispose([...dq, ...dk, ...dv]);
      return grads;
    },
  };
}) as (q: tf.Tensor3D, k: tf.Tensor3D, v: tf.Tensor3D) => tf.Tensor3D;
