// Exponential moving average of the trainable weights (docs/method-notes.md#schedule-and-ema): after optimizer step t
// shadow ← d_t·shadow + (1 − d_t)·param, starting from a copy of the initial weights. Evaluation,
// inference and exported weights use the shadow when EMA is on; buffers (H_init/L_init, puzzle table)
// are not averaged.
// d_t: the authors use a constant d = 0.999, right for their 100k+-step runs. At lab scale (hundreds
// of steps) that average stays mostly the random initial weights (after 516 steps, 0.999^516 ≈ 60%
// of the average is still the initialisation), so by default the decay is warmed up as
// d_t = min(d, (1 + t)/(10 + t)): early weights are forgotten quickly, and from t ≈ 9,000 on
// (d = 0.999) it is the authors' constant. `warmup: false` gives the constant rule.
import * as tf from '@tensorflow/tfjs';
import { assignValues } from './adam';

export class Ema {
  readonly shadow: Record<string, tf.Variable> = {};

  constructor(
    params: ReadonlyArray<[string, tf.Tensor]>,
    readonly decay: number,
    readonly warmup = false,
  ) {
    for (const [name, p] of params) {
      const copy = p.clone();
      this.shadow[name] = tf.variable(copy, false);
      copy.dispose();
    }
  }

  /** The decay used at optimizer step t (1-based). */
  decayAt(t: number): number {
    return this.warmup ? Math.min(this.decay, (1 + t) / (10 + t)) : this.decay;
  }

  /** After optimizer step t (1-based; the run's step count, so a resumed run continues the same rule). */
  update(params: ReadonlyArray<[string, tf.Tensor]>, t: number): void {
    const d = this.decayAt(t);
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
