// tfjs has no stopGradient (docs/engine-interfaces.md#no-stop-gradient). Non-differentiable computations on a taped tensor (the
// exact-match target of the Q-head, built from argmax and equality, ops with no registered gradient)
// run inside one custom-gradient op: its forward is not recorded on the tape and its gradient is 0.
import * as tf from '@tensorflow/tfjs';

/** fn(x) as a constant with respect to x: the value of fn, zero gradient to x. */
export function withoutGradient<T extends tf.Tensor>(x: tf.Tensor, fn: (x: tf.Tensor) => T): T {
  const shape = x.shape;
  const f = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => ({
    value: fn(args[0] as tf.Tensor),
    gradFunc: () => [tf.zeros(shape)],
  }));
  return f(x) as T;
}
