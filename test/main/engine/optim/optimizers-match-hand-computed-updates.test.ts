import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { PuzzleTable } from '../../../../src-main/engine/model/puzzle-table';
import { AdamOptimizer } from '../../../../src-main/engine/optim/adam';
import { Ema } from '../../../../src-main/engine/optim/ema';
import { learningRate } from '../../../../src-main/engine/optim/schedule';
import { useWasm } from '../helpers';

beforeAll(useWasm);

type Kind = 'adam-atan2' | 'adam-atan2-lucidrains' | 'adamw';

/**
 * The float64 update rules, one scalar parameter: the `adam-atan2` fused kernel (docs/method-notes.md#optimizer, as
 * corrected: the first bias correction divides the step size outside the atan2), lucidrains'
 * `adam-atan2-pytorch` (a·atan2(m̂, b·√v̂)) and torch AdamW.
 */
function handAdam(kind: Kind, p0: number, grads: number[], lrs: number[], o: { b1: number; b2: number; wd: number; eps: number; a: number; b?: number }): number[] {
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
    if (kind === 'adam-atan2') p -= (lr / (1 - o.b1 ** t)) * o.a * Math.atan2(m, vHatSqrt);
    else if (kind === 'adam-atan2-lucidrains') p -= lr * o.a * Math.atan2(mHat, (o.b ?? 1) * vHatSqrt);
    else p -= (lr * mHat) / (vHatSqrt + o.eps);
    out.push(p);
  });
  return out;
}

describe('optimizers follow the hand-computed update rules', () => {
  for (const kind of ['adam-atan2', 'adam-atan2-lucidrains', 'adamw'] as const) {
    it(`${kind}: three steps with warm-up LR match float64 arithmetic; a null gradient skips the parameter`, async () => {
      const o = { b1: 0.9, b2: 0.95, wd: 0.1, eps: 1e-8, a: kind === 'adam-atan2-lucidrains' ? 1.27 : 1, b: kind === 'adam-atan2-lucidrains' ? 0.8 : 1 };
      const opt = new AdamOptimizer({ kind, beta1: o.b1, beta2: o.b2, weightDecay: o.wd, eps: o.eps, atan2Scale: o.a, atan2B: o.b });
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

  it('the kernel form of AdamATan2 differs from the bias-corrected-inside form: at step 1 its update is lr·atan2(g, |g|)/(1−β1)', () => {
    // At t = 1, m = (1−β1)g and √v̂ = |g|: the kernel steps (lr/(1−β1))·atan2((1−β1)g, |g|) = 10·lr·atan2(0.1, 1)·sign(g)
    // ≈ 0.9967·lr, the inside form lr·atan2(g, |g|) = (π/4)·lr ≈ 0.785·lr: the kernel's is ~27% larger.
    const lr = 0.01;
    const run = (kind: Kind): number => {
      const opt = new AdamOptimizer({ kind, beta1: 0.9, beta2: 0.95, weightDecay: 0, eps: 1e-8, atan2Scale: 1 });
      const p = tf.variable(tf.tensor1d([0]));
      const g = tf.tensor1d([2]);
      opt.step([['p', p]], { p: g }, lr);
      const moved = -p.dataSync()[0]!;
      opt.dispose();
      p.dispose();
      g.dispose();
      return moved;
    };
    const kernel = run('adam-atan2');
    const inside = run('adam-atan2-lucidrains');
    expect(kernel).toBeCloseTo(10 * lr * Math.atan2(0.1, 1), 7);
    expect(inside).toBeCloseTo(lr * (Math.PI / 4), 7);
    expect(kernel / inside).toBeGreaterThan(1.25);
    expect(kernel / inside).toBeLessThan(1.3);
  });

  it('EMA shadow follows d·shadow + (1 − d)·param after each step (constant rule)', async () => {
    const p = tf.variable(tf.tensor1d([1, 2]));
    const ema = new Ema([['p', p]], 0.9);
    p.assign(tf.tensor1d([3, 0]));
    ema.update([['p', p]], 1);
    p.assign(tf.tensor1d([5, 10]));
    ema.update([['p', p]], 2);
    const want = [0.9 * (0.9 * 1 + 0.1 * 3) + 0.1 * 5, 0.9 * (0.9 * 2 + 0.1 * 0) + 0.1 * 10];
    const got = (await ema.values())['p']!;
    expect(got[0]).toBeCloseTo(want[0]!, 6);
    expect(got[1]).toBeCloseTo(want[1]!, 6);
    ema.dispose();
    p.dispose();
  });

  it('warmed-up EMA uses d_t = min(d, (1+t)/(10+t)): after 516 steps at 0.999 the average is no longer mostly the initial weights', async () => {
    const warm = new Ema([], 0.999, true);
    expect(warm.decayAt(1)).toBeCloseTo(2 / 11, 12);
    expect(warm.decayAt(100)).toBeCloseTo(101 / 110, 12);
    expect(warm.decayAt(20_000)).toBe(0.999);
    // Weight of the initial value in the average after T steps: Π d_t.
    const initShare = (ema: Ema, T: number): number => {
      let w = 1;
      for (let t = 1; t <= T; t++) w *= ema.decayAt(t);
      return w;
    };
    const constant = new Ema([], 0.999, false);
    expect(initShare(constant, 516)).toBeGreaterThan(0.59); // the 6-minute run: ~60% initial weights
    expect(initShare(warm, 516)).toBeLessThan(1e-6);
    // On a tensor: a parameter moving from 0 to 1 at step 1 is averaged with weight 1 − 2/11.
    const p = tf.variable(tf.tensor1d([0]));
    const ema = new Ema([['p', p]], 0.999, true);
    p.assign(tf.tensor1d([1]));
    ema.update([['p', p]], 1);
    expect((await ema.values())['p']![0]).toBeCloseTo(9 / 11, 6);
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
