// Embedding lookup as a one-hot matmul: tf.gather's gradient needs UnsortedSegmentSum, which the
// wasm backend lacks (docs/engine-interfaces.md#wasm-fast-paths). For the small vocabularies here (3–12 tokens, ≤ 66 step rows)
// the one-hot product is cheap and runs on the fast 2-D matmul path.
import * as tf from '@tensorflow/tfjs';
import { matMul2d } from './matmul';

/** table[ids]: ids int32 of any shape, table [V, D] → [...ids.shape, D]. */
export function embed(ids: tf.Tensor, table: tf.Tensor2D): tf.Tensor {
  const [V, D] = table.shape;
  const flat = tf.reshape(ids, [-1]) as tf.Tensor1D;
  const oneHot = tf.cast(tf.oneHot(flat, V), 'float32') as tf.Tensor2D;
  return tf.reshape(matMul2d(oneHot, table), [...ids.shape, D]);
}
