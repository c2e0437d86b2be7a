// Rotary position embedding (docs/method-notes.md#block): inv_freq_i = θ^(−2i/d) (float32, as the reference), f = pos·inv_freq duplicated
// to [f, f], x' = x·cos + rot(x)·sin with rot(x) = [−x₂, x₁]. rot is a fixed signed permutation
// applied as a 2-D matmul, because slicing the head axis in halves and concatenating is slow on wasm.
import * as tf from '@tensorflow/tfjs';
import { matMulConst } from './matmul';

export interface RopeTables {
  /** [S, 1, dh], broadcast over batch and heads of an x laid out [B, S, H, dh] */
  cos: tf.Tensor3D;
  sin: tf.Tensor3D;
  /** [dh, dh]: x·rot = [−x₂, x₁] */
  rot: tf.Tensor2D;
  seqLen: number;
  headDim: number;
}

/** The signed permutation R with (x·R) = [−x₂, x₁] for x = [x₁, x₂]. */
export function rotateHalfMatrix(headDim: number): Float32Array {
  if (headDim % 2 !== 0) throw new Error(`RoPE needs an even head dimension, got ${headDim}`);
  const h = headDim / 2;
  const r = new Float32Array(headDim * headDim);
  for (let j = 0; j < h; j++) {
    r[(j + h) * headDim + j] = -1; // out[j] = −x[j+h]
    r[j * headDim + (j + h)] = 1; // out[j+h] = x[j]
  }
  return r;
}

/**
 * inv_freq_i = 1 / θ^(2i/d) with every intermediate in float32, as the reference's RotaryEmbedding
 * computes it (`1.0 / (base ** (torch.arange(0, dim, 2, dtype=torch.float32) / dim))`).
 */
export function ropeInvFreq(headDim: number, theta: number): Float32Array {
  const out = new Float32Array(headDim / 2);
  for (let i = 0; i < out.length; i++) {
    const exponent = Math.fround((2 * i) / headDim);
    out[i] = Math.fround(1 / Math.fround(Math.pow(theta, exponent)));
  }
  return out;
}

/** Tables for positions 0..seqLen−1 (the puzzle prefix first, then the grid). Owned by the caller. */
export function ropeTables(seqLen: number, headDim: number, theta: number): RopeTables {
  const h = headDim / 2;
  const cos = new Float32Array(seqLen * headDim);
  const sin = new Float32Array(seqLen * headDim);
  const invFreq = ropeInvFreq(headDim, theta);
  for (let p = 0; p < seqLen; p++) {
    for (let i = 0; i < h; i++) {
      // The angle is rounded to float32 as the reference's float32 outer product rounds it (at
      // position 915 this alone moves cos/sin by up to 3e-5 from float64 angles); cos/sin of that
      // float32 angle are then stored as float32, as torch's float32 cos/sin return them.
      const f = Math.fround(p * invFreq[i]!);
      const c = Math.cos(f);
      const s = Math.sin(f);
      cos[p * headDim + i] = c;
      cos[p * headDim + i + h] = c;
      sin[p * headDim + i] = s;
      sin[p * headDim + i + h] = s;
    }
  }
  return {
    cos: tf.tensor3d(cos, [seqLen, 1, headDim]),
    sin: tf.tensor3d(sin, [seqLen, 1, headDim]),
    rot: tf.tensor2d(rotateHalfMatrix(headDim), [headDim, headDim]),
    seqLen,
    headDim,
  };
}

export function disposeRope(t: RopeTables): void {
  t.cos.dispose();
  t.sin.dispose();
  t.rot.dispose();
}

/** x [B, S, H, dh] → x·cos + rot(x)·sin. */
export function applyRope(x: tf.Tensor4D, t: RopeTables): tf.Tensor4D {
  const dh = x.shape[3];
  if (x.shape[1] !== t.seqLen || dh !== t.headDim) {
    throw new Error(`RoPE tables are for [S=${t.seqLen}, dh=${t.headDim}], got x ${JSON.stringify(x.shape)}`);
  }
  const rotated = tf.reshape(matMulConst(tf.reshape(x, [-1, dh]) as tf.Tensor2D, t.rot), x.shape);
  return tf.add(tf.mul(x, t.cos), tf.mul(rotated, t.sin)) as tf.Tensor4D;
}
