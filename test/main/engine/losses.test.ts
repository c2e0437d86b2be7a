import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { exactMatch, lmLoss, qHaltLoss, stepWeight } from '../../../src-main/engine/losses';
import { Rng } from '../../../src-shared/prng';
import { useWasm } from './helpers';

beforeAll(useWasm);

/** float64 reference of the TRM lm_loss: per-row mean of −log stablemax, summed over rows, ÷ B. */
function referenceLmLoss(logits: number[], labels: number[], B: number, S: number, V: number): number {
  const s = (z: number) => (z >= 0 ? z + 1 : 1 / (1 - z));
  let total = 0;
  for (let b = 0; b < B; b++) {
    let rowSum = 0;
    let count = 0;
    for (let t = 0; t < S; t++) {
      const y = labels[b * S + t]!;
      if (y < 0 || y >= V) continue;
      let denom = 0;
      for (let k = 0; k < V; k++) denom += s(logits[(b * S + t) * V + k]!);
      rowSum += -Math.log(s(logits[(b * S + t) * V + y]!) / denom);
      count++;
    }
    total += rowSum / Math.max(count, 1);
  }
  return total / B;
}

describe('losses', () => {
  it('stablemax cross-entropy matches a float64 reference, including huge logits and ignored rows', () => {
    const rng = new Rng(11);
    const [B, S, V] = [3, 5, 7];
    const logits = Array.from({ length: B * S * V }, () => rng.normal() * 4);
    logits[3] = 1e6; // float32-safe: no exponentials
    logits[10] = -1e6;
    const labels = Array.from({ length: B * S }, () => rng.int(0, V - 1));
    labels[1] = -100;
    for (let t = 0; t < S; t++) labels[2 * S + t] = -100; // a row with no valid token contributes 0
    const got = tf.tidy(() => lmLoss(tf.tensor3d(logits, [B, S, V]), tf.tensor2d(labels, [B, S], 'int32')).dataSync()[0]!);
    const want = referenceLmLoss(logits, labels, B, S, V);
    expect(Number.isFinite(got)).toBe(true);
    expect(Math.abs(got - want) / want).toBeLessThan(1e-5);
  });

  it('the stablemax gradient matches central differences of the float64 reference', () => {
    const rng = new Rng(12);
    const [B, S, V] = [2, 3, 5];
    const logits = Array.from({ length: B * S * V }, () => rng.normal() * 2);
    const labels = Array.from({ length: B * S }, () => rng.int(0, V - 1));
    labels[4] = -100;
    const g = tf.tidy(() =>
      tf.grad((z: tf.Tensor) => lmLoss(z as tf.Tensor3D, tf.tensor2d(labels, [B, S], 'int32')))(tf.tensor3d(logits, [B, S, V])).dataSync(),
    );
    const h = 1e-6;
    for (const i of [0, 7, 13, 22, 29]) {
      const up = [...logits];
      const down = [...logits];
      up[i]! += h;
      down[i]! -= h;
      const fd = (referenceLmLoss(up, labels, B, S, V) - referenceLmLoss(down, labels, B, S, V)) / (2 * h);
      expect(g[i]!).toBeCloseTo(fd, 4);
    }
    // The ignored token gets no gradient.
    for (let k = 0; k < V; k++) expect(Math.abs(g[4 * V + k]!)).toBe(0);
  });

  it('q_halt BCE-with-logits matches the closed form, and exact match ignores −100 tokens', () => {
    const q = [-5, 0.3, 40];
    const t = [0, 1, 1];
    const got = tf.tidy(() => qHaltLoss(tf.tensor1d(q), tf.tensor1d(t)).dataSync()[0]!);
    const want = q.reduce((a, x, i) => a + Math.log(1 + Math.exp(-x)) + (1 - t[i]!) * x, 0) / 3;
    expect(got).toBeCloseTo(want, 5);
    tf.tidy(() => {
      const logits = tf.tensor3d([[[0, 1], [1, 0]], [[0, 1], [0, 1]]]);
      const labels = tf.tensor2d([[1, -100], [1, 0]], [2, 2], 'int32');
      const { correct, tokenAcc } = exactMatch(logits, labels);
      expect(Array.from(correct.dataSync())).toEqual([1, 0]);
      expect(Array.from(tokenAcc.dataSync())).toEqual([1, 0.5]);
    });
  });

  it('linear DIS step weights grow with s and average to 1; uniform weights are 1', () => {
    const w = [1, 2, 3, 4, 5, 6].map((s) => stepWeight('linear', s, 6));
    expect(w.reduce((a, b) => a + b, 0) / 6).toBeCloseTo(1, 12);
    expect(w[5]! / w[0]!).toBeCloseTo(6, 12);
    expect(stepWeight('uniform', 3, 6)).toBe(1);
  });
});
