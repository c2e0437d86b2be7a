// RMSNorm as in TRM (docs/method-notes.md#block): no gain, no bias, eps 1e-5, over the last axis.
//   y = x·r,  r = 1/√(mean(x²) + eps)
// as one custom-gradient op with the closed-form gradient
//   dx = r·(dy − y·mean(dy·y))
// (from dr/dx = −r³·x/D). tfjs's own gradient of the five-op chain (square, mean, add, rsqrt, mul)
// runs about a dozen kernels on [B, L, D] activations, with broadcasts and reductions; this one runs
// five. RMSNorm is applied twice per block and network call, so that is ~15 kernels fewer per call
// with gradient (issue #16.2).
import * as tf from '@tensorflow/tfjs';

export const RMS_EPS = 1e-5;

const ops = new Map<number, (x: tf.Tensor) => tf.Tensor>();

function rmsNormOp(eps: number): (x: tf.Tensor) => tf.Tensor {
  let op = ops.get(eps);
  if (!op) {
    op = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
      const [x, save] = args as [tf.Tensor, tf.GradSaveFunc];
      const r = tf.tidy(() => tf.rsqrt(tf.add(tf.mean(tf.square(x), -1, true), eps)));
      const y = tf.mul(x, r);
      save([y, r]);
      return {
        value: y,
        gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
          const [sy, sr] = saved as [tf.Tensor, tf.Tensor];
          return [tf.mul(sr, tf.sub(dy, tf.mul(sy, tf.mean(tf.mul(dy, sy), -1, true))))];
        },
      };
    }) as (x: tf.Tensor) => tf.Tensor;
    ops.set(eps, op);
  }
  return op;
}

export function rmsNorm(x: tf.Tensor, eps = RMS_EPS): tf.Tensor {
  return rmsNormOp(eps)(x);
}
