// Shared test helpers for the engine: the wasm backend (the one the app trains on here), seeded random
// tensors, and relative errors.
import * as tf from '@tensorflow/tfjs';
import { initBackend, preferWasmThreads } from '../../../src-main/engine/backend';
import { AdamOptimizer } from '../../../src-main/engine/optim/adam';
import { Rng } from '../../../src-shared/prng';

/** The wasm backend as the trainer starts it for the tests' tiny models (one thread: their network calls are far below cores.ts's THREADED_MIN_CALL_GFLOP). */
export async function useWasm(): Promise<void> {
  preferWasmThreads(1);
  await initBackend('wasm');
}

export function randn(shape: number[], rng: Rng, scale = 1): tf.Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const data = new Float32Array(n);
  for (let i = 0; i < n; i++) data[i] = rng.normal() * scale;
  return tf.tensor(data, shape);
}

/** max |a − b| / max(|b|), the relative error of a against reference b. */
export function relErr(a: tf.Tensor, b: tf.Tensor): number {
  if (a.shape.join() !== b.shape.join()) throw new Error(`shape ${a.shape} vs ${b.shape}`);
  const x = a.dataSync();
  const y = b.dataSync();
  let diff = 0;
  let mag = 0;
  for (let i = 0; i < y.length; i++) {
    diff = Math.max(diff, Math.abs((x[i] as number) - (y[i] as number)));
    mag = Math.max(mag, Math.abs(y[i] as number));
  }
  return diff / Math.max(mag, 1e-12);
}

/** max |a − b| / max |b| over plain arrays (gradients read back from an optimizer). */
export function rel(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let diff = 0;
  let mag = 0;
  for (let i = 0; i < b.length; i++) {
    diff = Math.max(diff, Math.abs((a[i] as number) - (b[i] as number)));
    mag = Math.max(mag, Math.abs(b[i] as number));
  }
  return diff / Math.max(mag, 1e-12);
}

/** Adam that records every gradient it applies, so two ways of taking a step can be compared. */
export class RecordingOptimizer extends AdamOptimizer {
  grads: Array<Record<string, Float32Array>> = [];
  override step(params: ReadonlyArray<[string, tf.Variable]>, grads: Record<string, tf.Tensor | null>, lr: number): void {
    const step: Record<string, Float32Array> = {};
    for (const [name] of params) {
      const g = grads[name];
      if (g) step[name] = Float32Array.from(g.dataSync());
    }
    this.grads.push(step);
    super.step(params, grads, lr);
  }
}
