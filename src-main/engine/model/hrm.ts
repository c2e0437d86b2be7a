// The Hierarchical Reasoning Model's recursion (Wang et al. 2025; sapientinc/HRM
// models/hrm/hrm_act_v1.py), on TrmNet's two-level network (spec.hLayers > 0): the blocks, the
// embeddings (a one-position puzzle prefix: puzzle_emb_ndim = hidden) and the heads are TRM's.
//
//   z_L ← f_L(z_L + (z_H + x))        z_H ← f_H(z_H + z_L)
//
// One inner forward of a supervision step, T = H_cycles, n = L_cycles:
//   no grad:  for h in 1..T: for l in 1..n: z_L-update unless (h, l) = (T, n)
//                            z_H-update unless h = T
//   grad:     one z_L-update, then one z_H-update
// so T·n + T calls, of which 2 carry gradient (docs/method-notes.md#compute-accounting: a "call" = one network application).
import * as tf from '@tensorflow/tfjs';
import type { TrmNet } from './trm';

export function updateL(net: TrmNet, zL: tf.Tensor3D, zH: tf.Tensor3D, x: tf.Tensor3D): tf.Tensor3D {
  return net.net(zL, tf.add(zH, x) as tf.Tensor3D, 'L');
}

export function updateH(net: TrmNet, zH: tf.Tensor3D, zL: tf.Tensor3D): tf.Tensor3D {
  return net.net(zH, zL, 'H');
}

/** Network calls of one HRM inner forward: T·n + T, of which 2 with gradient. */
export function hrmCallsPerForward(T: number, n: number): { total: number; grad: number; noGrad: number } {
  return { total: T * n + T, grad: 2, noGrad: T * n + T - 2 };
}

/**
 * The gradient-free updates of one inner forward (all but the last z_L- and z_H-update). Run it
 * outside any tape; the result holds new tensors that never alias the inputs.
 */
export function hrmNoGradUpdates(net: TrmNet, zH: tf.Tensor3D, zL: tf.Tensor3D, x: tf.Tensor3D, T: number, n: number): { zH: tf.Tensor3D; zL: tf.Tensor3D } {
  return tf.tidy(() => {
    let h = zH;
    let l = zL;
    for (let i = 1; i <= T; i++) {
      for (let j = 1; j <= n; j++) {
        if (!(i === T && j === n)) l = updateL(net, l, h, x);
      }
      if (i !== T) h = updateH(net, h, l);
    }
    return { zH: h.clone(), zL: l.clone() };
  });
}

/** The last z_L- and z_H-update (the one-step gradient when run on a tape). */
export function hrmLastUpdates(net: TrmNet, zH: tf.Tensor3D, zL: tf.Tensor3D, x: tf.Tensor3D): { zH: tf.Tensor3D; zL: tf.Tensor3D } {
  const l = updateL(net, zL, zH, x);
  return { zH: updateH(net, zH, l), zL: l };
}

/**
 * A whole inner forward without gradient (inference, and the continue target's second forward).
 * zHBefore: z_H entering the last H-update (the guidance readout ℓ_u's state, as TRM's cycle gives it).
 */
export function hrmForward(net: TrmNet, zH: tf.Tensor3D, zL: tf.Tensor3D, x: tf.Tensor3D, T: number, n: number): { zH: tf.Tensor3D; zL: tf.Tensor3D; zHBefore: tf.Tensor3D } {
  return tf.tidy(() => {
    const pre = hrmNoGradUpdates(net, zH, zL, x, T, n);
    return { ...hrmLastUpdates(net, pre.zH, pre.zL, x), zHBefore: pre.zH };
  });
}
