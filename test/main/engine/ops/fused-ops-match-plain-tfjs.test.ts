// The overhead-cutting fast paths (the one-kernel batch of 2-D products behind per-head attention, the closed-form SwiGLU gradient,
// the copy-free wasm Identity) compute what plain tfjs computes, forward and backward.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { HEADS_MATMUL, headsMatMul } from '../../../../src-main/engine/ops/heads-matmul';
import { rmsNorm } from '../../../../src-main/engine/ops/rmsnorm';
import { swiglu } from '../../../../src-main/engine/ops/swiglu';
import { useSharedIdentityOnWasm } from '../../../../src-main/engine/ops/wasm-identity';
import { Rng } from '../../../../src-shared/prng';
import { randn, relErr, useWasm } from '../helpers';

const TOL = 1e-4;

beforeAll(useWasm);
describe('headsMatMul: a batch of 2-D products as one kernel', () => {
  const loop = (a: tf.Tensor3D, b: tf.Tensor3D) => tf.stack(tf.unstack(a).map((x, i) => tf.matMul(x as tf.Tensor2D, tf.unstack(b)[i] as tf.Tensor2D)));

  for (const [N, M, K, P] of [
    [1, 1, 1, 1],
    [3, 5, 7, 2],
    [20, 80, 16, 80],
    [2, 33, 1, 9],
  ] as const) {
    it(`equals per-slice tf.matMul exactly at [${N}, ${M}, ${K}]·[${N}, ${K}, ${P}]`, () => {
      const rng = new Rng(N * 1000 + M + K + P);
      tf.tidy(() => {
        const a = randn([N, M, K], rng) as tf.Tensor3D;
        const b = randn([N, K, P], rng) as tf.Tensor3D;
        const out = headsMatMul(a, b);
        expect(out.shape).toEqual([N, M, P]);
        // The same XNNPACK product per slice: identical, not merely close.
        expect(relErr(out, loop(a, b))).toBe(0);
      });
    });
  }

  it('is one kernel whatever the number of slices, leaves nothing behind, and refuses mismatched shapes', async () => {
    const rng = new Rng(5);
    const a = randn([16, 6, 4], rng) as tf.Tensor3D;
    const b = randn([16, 4, 6], rng) as tf.Tensor3D;
    const before = tf.memory();
    const prof = await tf.profile(() => headsMatMul(a, b));
    expect(prof.kernels.map((k) => k.name)).toEqual([HEADS_MATMUL]);
    (prof.result as tf.Tensor).dispose();
    for (let i = 0; i < 3; i++) tf.dispose(headsMatMul(a, b));
    expect(tf.memory().numTensors).toBe(before.numTensors);
    expect(tf.memory().numBytes).toBe(before.numBytes);
    expect(() => headsMatMul(a, randn([16, 5, 6], rng) as tf.Tensor3D)).toThrow(/do not multiply/);
    expect(() => headsMatMul(a, randn([15, 4, 6], rng) as tf.Tensor3D)).toThrow(/do not multiply/);
    tf.dispose([a, b]);
  });

  it('stays correct when later allocations grow the wasm heap between calls', () => {
    tf.tidy(() => {
      const a = tf.range(0, 3 * 2 * 50_000, 1, 'float32').reshape([3, 2, 50_000]) as tf.Tensor3D;
      const b = tf.ones([3, 50_000, 1]) as tf.Tensor3D;
      const big = tf.zeros([8_000_000]); // heap growth after the operands exist
      const out = headsMatMul(a, b).dataSync();
      // row r of slice i sums 50,000 consecutive integers starting at (2i + r)·50,000
      const sum = (start: number) => 50_000 * start + (50_000 * 49_999) / 2;
      expect(out[5]! / sum(5 * 50_000)).toBeCloseTo(1, 5);
      big.dispose();
    });
  });
});

describe('closed-form gradients', () => {
  it('rmsNorm equals x·rsqrt(mean(x²) + eps), forward and gradient, on odd sizes and scales', () => {
    const rng = new Rng(43);
    tf.tidy(() => {
      const plain = (x: tf.Tensor, eps: number) => tf.mul(x, tf.rsqrt(tf.add(tf.mean(tf.square(x), -1, true), eps)));
      for (const [shape, scale, eps] of [
        [[5, 3, 11], 3, 1e-5],
        [[2, 7], 1e-3, 1e-5],
        [[4, 1, 1], 1, 0.5],
      ] as const) {
        const x = randn([...shape], rng, scale);
        const dy = randn([...shape], rng);
        expect(relErr(rmsNorm(x, eps), plain(x, eps))).toBeLessThan(TOL);
        const g = tf.grad((a: tf.Tensor) => tf.mul(rmsNorm(a, eps), dy).sum())(x);
        const ref = tf.grad((a: tf.Tensor) => tf.mul(plain(a, eps), dy).sum())(x);
        expect(relErr(g, ref)).toBeLessThan(TOL);
      }
    });
  });

  it('swiglu equals gate·sigmoid(gate)·up, forward and both gradients, on odd sizes', () => {
    const rng = new Rng(42);
    tf.tidy(() => {
      const gate = randn([5, 3, 11], rng, 3);
      const up = randn([5, 3, 11], rng);
      const dy = randn([5, 3, 11], rng);
      const plain = (g: tf.Tensor, u: tf.Tensor) => tf.mul(tf.mul(g, tf.sigmoid(g)), u);
      expect(relErr(swiglu(gate, up), plain(gate, up))).toBeLessThan(TOL);
      const g = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.mul(swiglu(a, b), dy).sum())([gate, up]);
      const ref = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.mul(plain(a, b), dy).sum())([gate, up]);
      expect(relErr(g[0]!, ref[0]!)).toBeLessThan(TOL);
      expect(relErr(g[1]!, ref[1]!)).toBeLessThan(TOL);
      expect(() => swiglu(gate, tf.zeros([5, 3, 10]))).toThrow(/differ/);
    });
  });
});

describe('the copy-free wasm Identity', () => {
  it('clones keep their values after the original is disposed, and no tensors or bytes leak', () => {
    useSharedIdentityOnWasm();
    expect(tf.getBackend()).toBe('wasm');
    const before = tf.memory();
    const x = tf.tensor2d([[1, 2, 3], [4, 5, 6]]);
    const y = x.clone();
    const z = tf.clone(y);
    x.dispose();
    expect(Array.from(y.dataSync())).toEqual([1, 2, 3, 4, 5, 6]);
    y.dispose();
    expect(tf.tidy(() => Array.from(tf.add(z, 1).dataSync()))).toEqual([2, 3, 4, 5, 6, 7]);
    z.dispose();
    const after = tf.memory();
    expect(after.numTensors).toBe(before.numTensors + 0);
    expect(after.numBytes).toBe(before.numBytes);
    // int and bool tensors too
    const i = tf.tensor1d([7, 8], 'int32');
    const j = i.clone();
    i.dispose();
    expect(Array.from(j.dataSync())).toEqual([7, 8]);
    j.dispose();
    // variables re-point their data on assign: a clone taken before keeps the old value
    const v = tf.variable(tf.tensor1d([1, 2]));
    const c = v.clone();
    v.assign(tf.tensor1d([3, 4]));
    expect(Array.from(c.dataSync())).toEqual([1, 2]);
    expect(Array.from(v.dataSync())).toEqual([3, 4]);
    c.dispose();
    v.dispose();
  });
});
