// RMSNorm as in TRM (docs/method-notes.md#block): no gain, no bias, eps 1e-5, over the last axis.
import * as tf from '@tensorflow/tfjs';

export const RMS_EPS = 1e-5;

export function rmsNorm(x: tf.Tensor, eps = RMS_EPS): tf.Tensor {
  return tf.mul(x, tf.rsqrt(tf.add(tf.mean(tf.square(x), -1, true), eps)));
}
