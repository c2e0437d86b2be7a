import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { attention, attentionHeads, autoAttentionMode, setAttentionMode } from '../../../../src-main/engine/ops/attention';
import { Rng } from '../../../../src-shared/prng';
import { randn, relErr, useWasm } from '../helpers';

const TOL = 1e-4;

beforeAll(useWasm);
afterEach(() => setAttentionMode(null));

const plain = (q: tf.Tensor, k: tf.Tensor, v: tf.Tensor) =>
  tf.matMul(tf.softmax(tf.div(tf.matMul(q, k, false, true), Math.sqrt(q.shape[2] as number))), v);

describe('the per-(batch·head) 2-D attention equals plain tfjs attention', () => {
  for (const [bh, S, dh] of [
    [1, 1, 1],
    [3, 17, 5],
    [11, 6, 9],
    [2, 33, 4],
    [64, 80, 16],
    [4, 130, 8],
  ] as const) {
    it(`forward and q/k/v gradients agree at [B·H=${bh}, S=${S}, dh=${dh}]`, () => {
      const rng = new Rng(100 + bh * S * dh);
      tf.tidy(() => {
        const q = randn([bh, S, dh], rng) as tf.Tensor3D;
        const k = randn([bh, S, dh], rng) as tf.Tensor3D;
        const v = randn([bh, S, dh], rng) as tf.Tensor3D;
        const dy = randn([bh, S, dh], rng);
        expect(relErr(attentionHeads(q, k, v), plain(q, k, v))).toBeLessThan(TOL);
        const g = tf.grads((a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) => tf.mul(attentionHeads(a as tf.Tensor3D, b as tf.Tensor3D, c as tf.Tensor3D), dy).sum())([q, k, v]);
        const ref = tf.grads((a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) => tf.mul(plain(a, b, c), dy).sum())([q, k, v]);
        for (let i = 0; i < 3; i++) expect(relErr(g[i]!, ref[i]!)).toBeLessThan(TOL);
      });
    });
  }

  it('keeps no tensors after a forward and backward pass', () => {
    const rng = new Rng(7);
    const q = randn([3, 7, 4], rng) as tf.Tensor3D;
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      tf.grads((a: tf.Tensor) => attentionHeads(a as tf.Tensor3D, q, q).sum())([q]);
      attentionHeads(q, q, q);
    });
    expect(tf.memory().numTensors).toBe(before);
    q.dispose();
  });

  it('auto picks the 2-D form on wasm only, and a forced mode overrides it', () => {
    expect(autoAttentionMode('wasm')).toBe('heads');
    expect(autoAttentionMode('cpu')).toBe('batched');
    expect(autoAttentionMode('tensorflow')).toBe('batched');
    const rng = new Rng(8);
    tf.tidy(() => {
      const q = randn([2, 5, 4], rng) as tf.Tensor3D;
      setAttentionMode('batched');
      expect(relErr(attention(q, q, q), plain(q, q, q))).toBeLessThan(TOL);
      setAttentionMode('skip');
      expect(relErr(attention(q, q, q), q)).toBeLessThan(TOL);
    });
  });
});
