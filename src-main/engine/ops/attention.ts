// Scaled dot-product attention, non-causal, no mask (docs/method-notes.md#block). Everything attention-specific
// sits behind `attention(q, k, v)` so a faster kernel can replace it.
//
// On wasm, batched (3-D) matMuls run on a scalar fallback at ~1 GFLOPS whatever the flags, against
// 13–23 GFLOPS for plain 2-D products on XNNPACK (docs/engine-interfaces.md#wasm-fast-paths): at 916 tokens the batched form
// spends >80% of a training step in attention. The 'heads' mode is one custom-gradient op that runs
// every (batch·head) as plain 2-D products without transpose flags, forward AND backward:
//   forward   S = (q·s)·kᵀ, P = softmax(S), O = P·v                       (s = 1/√dh)
//   backward  dP = dO·vᵀ, dS = P ⊙ (dP − rowsum(dP ⊙ P))
//             dq = dS·(k·s),  dk = dSᵀ·(q·s),  dv = Pᵀ·dO
// The transposed small operands (kᵀ, vᵀ) are made by ONE batched transpose of a [B·H, S, dh] tensor
// each, which is cheap; dSᵀ and Pᵀ are [S,S] transposes per head, or one per group of heads at short
// sequences (see below why); the per-head rows are split off with unstackRows (a
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

/**
 * Heads are processed in groups whose [S,S] score matrices together hold at most this many elements:
 * the products stay per head (2-D, fast path), but the elementwise work between them (softmax, the
 * dS formula, the transposes of dS and P) runs as ONE kernel over a group's stacked [g·S, S] rows
 * instead of one kernel per head. At short sequences (80 tokens: 6,400 elements per head) a group
 * is every head, which removes ~7 kernel calls per head per call. Stacking costs extra copies of
 * the [S,S] matrices (concat, row splits), which only pay off while per-kernel overhead dominates:
 * above ATTENTION_GROUP_MAX_HEAD_ELEMENTS per head (S > 128) every head is its own group, the
 * original per-head loop. Measured fwd+bwd on wasm, per-head vs grouped: [64,80,16] 17.1 vs 14.0 ms,
 * [64,48,16] 11.6 vs 8.0, [16,144,16] 8.3 vs 10.6, [8,272,16] 14.2 vs 18.2, [4,916,16] 60 vs 73.
 */
export const ATTENTION_GROUP_ELEMENTS = 1 << 22;
export const ATTENTION_GROUP_MAX_HEAD_ELEMENTS = 1 << 14;

let groupElements = ATTENTION_GROUP_ELEMENTS;

/** Overrides the group budget (tests exercising several groups); null restores the default. */
export function setAttentionGroupElements(n: number | null): void {
  groupElements = n ?? ATTENTION_GROUP_ELEMENTS;
}

/** Heads per group for sequence length S (≥ 1). */
export function attentionGroupSize(bh: number, S: number): number {
  if (S * S > ATTENTION_GROUP_MAX_HEAD_ELEMENTS && groupElements === ATTENTION_GROUP_ELEMENTS) return 1;
  return Math.max(1, Math.min(bh, Math.floor(groupElements / Math.max(1, S * S))));
}

/** Row-wise concatenation of 2-D tensors (axis 0) without a kernel when there is only one. */
const rows0 = (xs: tf.Tensor2D[]): tf.Tensor2D => (xs.length === 1 ? xs[0]!.clone() : (tf.concat(xs, 0) as tf.Tensor2D));

/** Per-(batch·head) 2-D attention with the hand-written gradient above. */
export const attentionHeads = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
  const [q, k, v, save] = args as [tf.Tensor3D, tf.Tensor3D, tf.Tensor3D, tf.GradSaveFunc];
  const [bh, S, dh] = q.shape;
  if (k.shape.join() !== q.shape.join() || v.shape.join() !== q.shape.join()) {
    throw new Error(`attention: q, k, v must share one shape [B·H, S, dh], got ${JSON.stringify([q.shape, k.shape, v.shape])}`);
  }
  const scale = 1 / Math.sqrt(dh);
  const g = attentionGroupSize(bh, S);
  const qs = unstackRows<tf.Tensor2D>(tf.mul(q, scale));
  const kTs = unstackRows<tf.Tensor2D>(t021(k));
  const vs = unstackRows<tf.Tensor2D>(v);
  const outs: tf.Tensor2D[] = [];
  // P of each group, [g·S, S] (heads stacked along rows), kept for the backward pass.
  const ps: tf.Tensor2D[] = [];
  for (let i0 = 0; i0 < bh; i0 += g) {
    const i1 = Math.min(bh, i0 + g);
    const r = tf.tidy(() => {
      const scores: tf.Tensor2D[] = [];
      for (let i = i0; i < i1; i++) scores.push(tf.matMul(qs[i]!, kTs[i]!));
      const p = tf.softmax(rows0(scores)) as tf.Tensor2D;
      const pRows = i1 - i0 === 1 ? [p] : unstackRows<tf.Tensor2D>(tf.reshape(p, [i1 - i0, S, S]));
      const o: tf.Tensor2D[] = [];
      for (let i = i0; i < i1; i++) o.push(tf.matMul(pRows[i - i0]!, vs[i]!) as tf.Tensor2D);
      return { p, o: rows0(o) };
    });
    ps.push(r.p);
    outs.push(r.o);
  }
  tf.dispose([...qs, ...kTs, ...vs]);
  save([q, k, v, ...ps]);
  const value = tf.reshape(rows0(outs), [bh, S, dh]) as tf.Tensor3D;
  tf.dispose(outs);
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
      for (let c = 0, i0 = 0; i0 < bh; c++, i0 += g) {
        const i1 = Math.min(bh, i0 + g);
        const n = i1 - i0;
        const r = tf.tidy(() => {
          const p = sp[c]!;
          const dPs: tf.Tensor2D[] = [];
          for (let i = i0; i < i1; i++) dPs.push(tf.matMul(dys[i]!, vTs[i]!));
          const dP = rows0(dPs);
          const dS = tf.mul(p, tf.sub(dP, tf.sum(tf.mul(dP, p), -1, true))) as tf.Tensor2D;
          // The [S,S] operand goes first: XNNPACK repacks the second operand of every new tensor, so
          // dKᵀ = qᵀ·dS would repack an [S,S] matrix for a product with only dh rows (6 GFLOPS at
          // S = 916); transposing dS and P once (per group) and multiplying dSᵀ·q, Pᵀ·dO runs at full speed.
          const split = (x: tf.Tensor2D): tf.Tensor2D[] => (n === 1 ? [x] : unstackRows<tf.Tensor2D>(tf.reshape(x, [n, S, S])));
          const tr = (x: tf.Tensor2D): tf.Tensor2D[] => (n === 1 ? [tf.transpose(x)] : unstackRows<tf.Tensor2D>(t021(tf.reshape(x, [n, S, S]))));
          const dSs = split(dS);
          const dSTs = tr(dS);
          const pTs = tr(p);
          const gq: tf.Tensor2D[] = [];
          const gk: tf.Tensor2D[] = [];
          const gv: tf.Tensor2D[] = [];
          for (let i = i0; i < i1; i++) {
            gq.push(tf.matMul(dSs[i - i0]!, kScaled[i]!));
            gk.push(tf.matMul(dSTs[i - i0]!, qScaled[i]!));
            gv.push(tf.matMul(pTs[i - i0]!, dys[i]!));
          }
          return { dq: rows0(gq), dk: rows0(gk), dv: rows0(gv) };
        });
        dq.push(r.dq);
        dk.push(r.dk);
        dv.push(r.dv);
      }
      tf.dispose([...dys, ...vTs, ...kScaled, ...qScaled]);
      const grads = [dq, dk, dv].map((parts) => tf.reshape(rows0(parts), [bh, S, dh]));
      tf.dispose([...dq, ...dk, ...dv]);
      return grads;
    },
  };
}) as (q: tf.Tensor3D, k: tf.Tensor3D, v: tf.Tensor3D) => tf.Tensor3D;
