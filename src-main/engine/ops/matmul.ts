// 2-D matrix products on the fast wasm path (docs/engine-interfaces.md#wasm-fast-paths): tfjs-wasm sends a matMul to XNNPACK
// only when it is 2-D and has no transpose flags; tfjs's own MatMul gradient uses the flags and falls
// to a scalar loop 10–50× slower. So every product here is a plain 2-D matMul, and the backward pass
// transposes explicitly and multiplies plainly.
import * as tf from '@tensorflow/tfjs';

/** a[M,K] · b[K,N] with a wasm-friendly gradient: da = dy·bᵀ, db = aᵀ·dy. */
export const matMul2d = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
  const [a, b, save] = args as [tf.Tensor2D, tf.Tensor2D, tf.GradSaveFunc];
  save([a, b]);
  return {
    value: tf.matMul(a, b),
    gradFunc: (dy: tf.Tensor2D, saved: tf.Tensor[]) => {
      const [sa, sb] = saved as [tf.Tensor2D, tf.Tensor2D];
      return [tf.matMul(dy, tf.transpose(sb)), tf.matMul(tf.transpose(sa), dy)];
    },
  };
}) as (a: tf.Tensor2D, b: tf.Tensor2D) => tf.Tensor2D;

/**
 * a[M,K] · c[K,N] where c is a constant (no gradient wanted, e.g. the RoPE rotation): the backward
 * pass skips the aᵀ·dy product that matMul2d would spend on c.
 */
export function matMulConst(a: tf.Tensor2D, c: tf.Tensor2D): tf.Tensor2D {
  const f = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const x = args[0] as tf.Tensor2D;
    return {
      value: tf.matMul(x, c),
      gradFunc: (dy: tf.Tensor2D) => [tf.matMul(dy, tf.transpose(c))],
    };
  }) as (x: tf.Tensor2D) => tf.Tensor2D;
  return f(a);
}

/** x[..., in] · w[in, out] → [..., out]: a linear layer without bias, flattened to one 2-D product. */
export function linear(x: tf.Tensor, w: tf.Tensor2D): tf.Tensor {
  const inDim = w.shape[0];
  const outDim = w.shape[1];
  if (x.shape[x.rank - 1] !== inDim) {
    throw new Error(`linear: input width ${x.shape[x.rank - 1]} does not match weight [${inDim}, ${outDim}]`);
  }
  if (x.rank === 2) return matMul2d(x as tf.Tensor2D, w);
  const lead = x.shape.slice(0, -1);
  const y = matMul2d(tf.reshape(x, [-1, inDim]) as tf.Tensor2D, w);
  return tf.reshape(y, [...lead, outDim]);
}
