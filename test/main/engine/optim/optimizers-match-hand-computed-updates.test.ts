import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { PuzzleTable } from '../../../../src-main/engine/model/puzzle-table';
import { AdamOptimizer } from '../../../../src-main/engine/optim/adam';
import { Ema } from '../../../../src-main/engine/optim/ema';
import { learningRate } from '../../../../src-main/engine/optim/schedule';
import { useWasm } from '../helpers';

beforeAll(useWasm);

/** The float64 update rules as written in method-spec §3.4 / torch AdamW, one scalar parameter. */
function handAdam(kind: 'adam-atan2' | 'adamw', p0: number, grads: number[], lrs: number[], o: { b1: number; b2: number; wd: number; eps: number; a: number }): number[] {
  let p = p0;
  let m = 0;
  let v = 0;
  const out: number[] = [];
  grads.forEach((g, i) => {
    const t = i + 1;
    const lr = lrs[i]!;
    p = p * (1 - lr * o.wd);
    m = o.b1 * m + (1 - o.b1) * g;
    v = o.b2 * v + (1 - o.b2) * g * g;
    const mHat = m / (1 - o.b1 ** t);
    const vHatSqrt = Math.sqrt(v) / Math.sqrt(1 - o.b2 ** t);
    p -= kind === 'adam-atan2' ? lr * o.a * Math.atan2(mHat, vHatSqrt) : (lr * mHat) / (vHatSqrt + o.eps);
    out.push(p);
  });
  return out;
}

describe('optimizers follow the hand-computed update rules', () => {
  for (const kind of ['adam-atan2', 'adamw'] as const) {
    it(`${kind}: three steps with warm-up LR match float64 arithmetic; a null gradient skips the parameter`, async () => {
      const o = { b1: 0.9, b2: 0.95, wd: 0.1, eps: 1e-8, a: kind === 'adam-atan2' ? 1.27 : 1 };
      const opt = new AdamOptimizer({ kind, beta1: o.b1, beta2: o.b2, weightDecay: o.wd, eps: o.eps, atan2Scale: o.a });
      const p = tf.variable(tf.tensor1d([0.5, -1.5, 2]));
      const frozen = tf.variable(tf.tensor1d([3]));
      const grads = [
        [0.3, -2, 0],
        [-0.1, -1, 0.5],
        [0.7, 0.2, -0.4],
      ];
      const lrs = [1, 2, 3].map((t) => learningRate(0.01, 2, t));
      expect(lrs).toEqual([0.005, 0.01, 0.01]);
      const got: number[][] = [];
      for (let i = 0; i < 3; i++) {
        const g = tf.tensor1d(grads[i]!);
        opt.step([['p', p], ['frozen', frozen]], { p: g, frozen: null }, lrs[i]!);
        g.dispose();
        got.push(Array.from(p.dataSync()));
      }
      for (let j = 0; j < 3; j++) {
        const want = handAdam(kind, [0.5, -1.5, 2][j]!, grads.map((g) => g[j]!), lrs, o);
        for (let i = 0; i < 3; i++) expect(got[i]![j]!).toBeCloseTo(want[i]!, 6);
      }
      expect(frozen.dataSync()[0]).toBe(3);
      expect((await opt.state()).t).toEqual({ p: 3 });
      opt.dispose();
      p.dispose();
      frozen.dispose();
    });
  }

  it('EMA shadow follows d·shadow + (1 − d)·param after each step', async () => {
    const p = tf.variable(tf.tensor1d([1, 2]));
    const ema = new Ema([['p', p]], 0.9);
    p.assign(tf.tensor1d([3, 0]));
    ema.update([['p', p]]);
    p.assign(tf.tensor1d([5, 10]));
    ema.update([['p', p]]);
    const want = [0.9 * (0.9 * 1 + 0.1 * 3) + 0.1 * 5, 0.9 * (0.9 * 2 + 0.1 * 0) + 0.1 * 10];
    const got = (await ema.values())['p']!;
    expect(got[0]).toBeCloseTo(want[0]!, 6);
    expect(got[1]).toBeCloseTo(want[1]!, 6);
    ema.dispose();
    p.dispose();
  });

  it('sign-SGD sums gradients per unique id, decays touched rows only and leaves the others unchanged', () => {
    const table = new PuzzleTable(4, 2, new Float32Array([1, 1, 2, -2, 3, 3, 4, 0.5]));
    // Batch ids [2, 0, 2]: row 2 gets g = (0.5, −1) + (−0.7, 0.25) = (−0.2, −0.75); row 0 gets (0, 3).
    table.signSgd([2, 0, 2], [0.5, -1, 0, 3, -0.7, 0.25], 0.01, 0.1);
    const decay = 1 - 0.01 * 0.1;
    const expected = [1 * decay - 0, 1 * decay - 0.01, 2, -2, 3 * decay + 0.01, 3 * decay + 0.01, 4, 0.5];
    expected.forEach((v, i) => expect(table.data[i]).toBeCloseTo(v, 6));
    expect(Array.from(table.gather([3, -1]))).toEqual([4, 0.5, 0, 0]);
  });

  it('warm-up is linear from t = 1 and constant afterwards', () => {
    expect(learningRate(1e-4, 2000, 1)).toBeCloseTo(5e-8, 15);
    expect(learningRate(1e-4, 2000, 1999)).toBeCloseTo(1e-4 * 0.9995, 15);
    expect(learningRate(1e-4, 2000, 2000)).toBe(1e-4);
    expect(learningRate(1e-4, 0, 1)).toBe(1e-4);
  });
});
