// The SwiGLU gate of the MLP (docs/method-notes.md#block): silu(gate)·up = gate·σ(gate)·up, as one
// custom-gradient op. tfjs's gradient of the three-op chain (sigmoid, mul, mul) runs about ten
// kernels on the widest activations of the block ([B, L, I]), including casts that copy the data on
// wasm; the closed form needs six:
//   s = σ(g), gs = g·s                    (forward, both kept)
//   d up   = dy·gs
//   d gate = (dy·up)·(s + gs − gs·s)      (= dy·up·σ(g)·(1 + g·(1 − σ(g))))
import * as tf from '@tensorflow/tfjs';

/** gate·sigmoid(gate)·up, elementwise; gate and up of one shape. */
export const swiglu = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
  const [g, u, save] = args as [tf.Tensor, tf.Tensor, tf.GradSaveFunc];
  if (g.shape.join() !== u.shape.join()) throw new Error(`swiglu: gate ${JSON.stringify(g.shape)} and up ${JSON.stringify(u.shape)} differ`);
  const s = tf.sigmoid(g);
  const gs = tf.mul(g, s);
  save([s, gs, u]);
  return {
    value: tf.mul(gs, u),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [ss, sgs, su] = saved as [tf.Tensor, tf.Tensor, tf.Tensor];
      const dGate = tf.mul(tf.mul(dy, su), tf.add(ss, tf.sub(sgs, tf.mul(sgs, ss))));
      return [dGate, tf.mul(dy, sgs)];
    },
  };
}) as (gate: tf.Tensor, up: tf.Tensor) => tf.Tensor;
