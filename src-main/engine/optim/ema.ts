// Exponential moving average of the trainable weights (method-spec §3.5): after every optimizer step
// shadow ← d·shadow + (1 − d)·param, starting from a copy of the initial weights. Evaluation,
// inference and exported weights use the shadow when EMA is on; buffers (H_init/L_init, puzzle table)
// are not averaged.
import * as tf from '@tensorflow/tfjs';
import { assignValues } from './adam';

export class Ema {
  readonly shadow: Record<string, tf.Variable> = {};

  constructor(
    params: ReadonlyArray<[string, tf.Tensor]>,
    readonly decay: number,
  ) {
    for (const [name, p] of params) {
      const copy = p.clone();
      this.shadow[name] = tf.variable(copy, false);
      copy.dispose();
    }
  }

  update(params: ReadonlyArray<[string, tf.Tensor]>): void {
    const d = this.decay;
    tf.tidy(() => {
      for (const [name, p] of params) {
        const s = this.shadow[name];
        if (!s) throw new Error(`EMA has no shadow for ${name}`);
        s.assign(tf.add(tf.mul(s, d), tf.mul(p, 1 - d)));
      }
    });
  }

  /** Async: on WebGPU a synchronous read-back is not possible in Node (it needs an OffscreenCanvas). */
  async values(): Promise<Record<string, Float32Array>> {
    const out: Record<string, Float32Array> = {};
    for (const [name, s] of Object.entries(this.shadow)) out[name] = (await s.data()) as Float32Array;
    return out;
  }

  restore(values: Record<string, Float32Array>): void {
    for (const [name, s] of Object.entries(this.shadow)) {
      const v = values[name];
      if (!v || v.length !== s.size) throw new Error(`EMA state for ${name} is missing or has the wrong size`);
      assignValues(s, v);
    }
  }

  dispose(): void {
    for (const s of Object.values(this.shadow)) s.dispose();
  }
}
