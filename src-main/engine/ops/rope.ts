// Rotary position embedding (method-spec §2.4): inv_freq_i = θ^(−2i/d), f = pos·inv_freq duplicated
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

/** Tables for positions 0..seqLen−1 (the puzzle prefix first, then the grid). Owned by the caller. */
export function ropeTables(seqLen: number, headDim: number, theta: number): RopeTables {
  const h = headDim / 2;
  const cos = new Float32Array(seqLen * headDim);
  const sin = new Float32Array(seqLen * headDim);
  for (let p = 0; p < seqLen; p++) {
    for (let i = 0; i < h; i++) {
      // Angles in float64, like the reference computing them before the cast.
      const f = p * Math.pow(theta, (-2 * i) / headDim);
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
