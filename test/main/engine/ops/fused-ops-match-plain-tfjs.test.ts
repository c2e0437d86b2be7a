// The overhead-cutting fast paths (grouped per-head attention, the closed-form SwiGLU gradient,
// the copy-free wasm Identity) compute what plain tfjs computes, forward and backward.
import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { attentionGroupSize, attentionHeads, setAttentionGroupElements } from '../../../../src-main/engine/ops/attention';
import { swiglu } from '../../../../src-main/engine/ops/swiglu';
import { useSharedIdentityOnWasm } from '../../../../src-main/engine/ops/wasm-identity';
import { Rng } from '../../../../src-shared/prng';
import { randn, relErr, useWasm } from '../helpers';

const TOL = 1e-4;

beforeAll(useWasm);
afterEach(() => setAttentionGroupElements(null));

const plainAttention = (q: tf.Tensor, k: tf.Tensor, v: tf.Tensor) =>
  tf.matMul(tf.softmax(tf.div(tf.matMul(q, k, false, true), Math.sqrt(q.shape[2] as number))), v);

describe('grouped per-head attention', () => {
  it('sizes groups by S² (all heads at short sequences, fewer at long ones, at least one)', () => {
    expect(attentionGroupSize(64, 80)).toBe(64);
    expect(attentionGroupSize(8, 916)).toBe(1);
    expect(attentionGroupSize(8, 128)).toBe(8);
    expect(attentionGroupSize(8, 129)).toBe(1);
    expect(attentionGroupSize(3, 5000)).toBe(1);
  });

  // Group budgets that give 1 head per group, uneven groups (7 heads in groups of 3) and one group.
  for (const [budget, bh, S, dh] of [
    [1, 7, 5, 3],
    [3 * 11 * 11, 7, 11, 5],
    [null, 7, 13, 9],
  ] as const) {
    it(`forward and gradients agree with plain tfjs (budget ${budget ?? 'default'}, [${bh}, ${S}, ${dh}])`, () => {
      setAttentionGroupElements(budget);
      const rng = new Rng(31 + S);
      tf.tidy(() => {
        const q = randn([bh, S, dh], rng) as tf.Tensor3D;
        const k = randn([bh, S, dh], rng) as tf.Tensor3D;
        const v = randn([bh, S, dh], rng) as tf.Tensor3D;
        const dy = randn([bh, S, dh], rng);
        expect(relErr(attentionHeads(q, k, v), plainAttention(q, k, v))).toBeLessThan(TOL);
        const g = tf.grads((a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) => tf.mul(attentionHeads(a as tf.Tensor3D, b as tf.Tensor3D, c as tf.Tensor3D), dy).sum())([q, k, v]);
        const ref = tf.grads((a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) => tf.mul(plainAttention(a, b, c), dy).sum())([q, k, v]);
        for (let i = 0; i < 3; i++) expect(relErr(g[i]!, ref[i]!)).toBeLessThan(TOL);
      });
    });
  }

  it('keeps no tensors with several groups', () => {
    setAttentionGroupElements(2 * 6 * 6);
    const q = randn([5, 6, 4], new Rng(3)) as tf.Tensor3D;
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      tf.grads((a: tf.Tensor) => attentionHeads(a as tf.Tensor3D, q, q).sum())([q]);
    });
    expect(tf.memory().numTensors).toBe(before);
    q.dispose();
  });
});

describe('closed-form gradients', () => {
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
