import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { attention } from '../../../../src-main/engine/ops/attention';
import { embed } from '../../../../src-main/engine/ops/embedding';
import { linear, matMul2d, matMulConst } from '../../../../src-main/engine/ops/matmul';
import { applyRope, disposeRope, ropeTables } from '../../../../src-main/engine/ops/rope';
import { Rng } from '../../../../src-shared/prng';
import { randn, relErr, useWasm } from '../helpers';

const TOL = 1e-4;

beforeAll(useWasm);

describe('the wasm-friendly ops equal plain tfjs ops on odd sizes, forward and backward', () => {
  it('matMul2d and its custom gradient equal tf.matMul', () => {
    const rng = new Rng(1);
    tf.tidy(() => {
      const a = randn([7, 13], rng) as tf.Tensor2D;
      const b = randn([13, 5], rng) as tf.Tensor2D;
      const dy = randn([7, 5], rng);
      expect(relErr(matMul2d(a, b), tf.matMul(a, b))).toBeLessThan(TOL);
      const fast = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.mul(matMul2d(x as tf.Tensor2D, y as tf.Tensor2D), dy).sum())([a, b]);
      const plain = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.mul(tf.matMul(x as tf.Tensor2D, y as tf.Tensor2D), dy).sum())([a, b]);
      expect(relErr(fast[0]!, plain[0]!)).toBeLessThan(TOL);
      expect(relErr(fast[1]!, plain[1]!)).toBeLessThan(TOL);
    });
  });

  it('matMulConst has the input gradient of tf.matMul', () => {
    const rng = new Rng(2);
    tf.tidy(() => {
      const a = randn([9, 11], rng) as tf.Tensor2D;
      const c = randn([11, 3], rng) as tf.Tensor2D;
      const dy = randn([9, 3], rng);
      expect(relErr(matMulConst(a, c), tf.matMul(a, c))).toBeLessThan(TOL);
      const g = tf.grad((x: tf.Tensor) => tf.mul(matMulConst(x as tf.Tensor2D, c), dy).sum())(a);
      const ref = tf.grad((x: tf.Tensor) => tf.mul(tf.matMul(x as tf.Tensor2D, c), dy).sum())(a);
      expect(relErr(g, ref)).toBeLessThan(TOL);
    });
  });

  it('linear on a rank-3 input equals a batched tf.matMul', () => {
    const rng = new Rng(3);
    tf.tidy(() => {
      const x = randn([3, 5, 7], rng);
      const w = randn([7, 9], rng) as tf.Tensor2D;
      const dy = randn([3, 5, 9], rng);
      const ref = (xx: tf.Tensor, ww: tf.Tensor) => tf.matMul(xx as tf.Tensor3D, tf.tile(tf.expandDims(ww, 0), [3, 1, 1]) as tf.Tensor3D);
      expect(relErr(linear(x, w), ref(x, w))).toBeLessThan(TOL);
      const g = tf.grads((xx: tf.Tensor, ww: tf.Tensor) => tf.mul(linear(xx, ww as tf.Tensor2D), dy).sum())([x, w]);
      // Plain reference gradients: dx = dy·wᵀ, dw = Σ xᵀ·dy.
      const dx = tf.matMul(tf.reshape(dy, [-1, 9]), w, false, true).reshape([3, 5, 7]);
      const dw = tf.matMul(tf.reshape(x, [-1, 7]), tf.reshape(dy, [-1, 9]), true, false);
      expect(relErr(g[0]!, dx)).toBeLessThan(TOL);
      expect(relErr(g[1]!, dw)).toBeLessThan(TOL);
    });
  });

  it('RoPE by a signed permutation matmul equals the split/concat rotate_half', () => {
    const rng = new Rng(4);
    const [B, S, H, dh] = [3, 7, 3, 6];
    const tables = ropeTables(S, dh, 10000);
    tf.tidy(() => {
      const x = randn([B, S, H, dh], rng) as tf.Tensor4D;
      const dy = randn([B, S, H, dh], rng);
      const plain = (xx: tf.Tensor) => {
        const [x1, x2] = tf.split(xx, 2, 3);
        const rot = tf.concat([tf.neg(x2!), x1!], 3);
        return tf.add(tf.mul(xx, tables.cos), tf.mul(rot, tables.sin));
      };
      expect(relErr(applyRope(x, tables), plain(x))).toBeLessThan(TOL);
      const g = tf.grad((xx: tf.Tensor) => tf.mul(applyRope(xx as tf.Tensor4D, tables), dy).sum())(x);
      const ref = tf.grad((xx: tf.Tensor) => tf.mul(plain(xx), dy).sum())(x);
      expect(relErr(g, ref)).toBeLessThan(TOL);
      // Position 0 is the identity rotation; position p rotates pair (i, i+dh/2) by p·θ^(−2i/dh).
      const p = 5;
      const i = 1;
      const ang = p * Math.pow(10000, (-2 * i) / dh);
      const xv = (x.arraySync() as number[][][][])[0]![p]![0]!;
      const out = (applyRope(x, tables).arraySync() as number[][][][])[0]![p]![0]!;
      expect(out[i]).toBeCloseTo(xv[i]! * Math.cos(ang) - xv[i + dh / 2]! * Math.sin(ang), 4);
    });
    disposeRope(tables);
  });

  it('attention (batched and per-head 2-D) equals plain softmax(qkᵀ/√d)v with gradients', () => {
    const rng = new Rng(5);
    tf.tidy(() => {
      const [bh, S, dh] = [5, 9, 7];
      const q = randn([bh, S, dh], rng) as tf.Tensor3D;
      const k = randn([bh, S, dh], rng) as tf.Tensor3D;
      const v = randn([bh, S, dh], rng) as tf.Tensor3D;
      const dy = randn([bh, S, dh], rng);
      const plain = (a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) =>
        tf.matMul(tf.softmax(tf.div(tf.matMul(a, b, false, true), Math.sqrt(dh))), c);
      const ref = plain(q, k, v);
      const refG = tf.grads((a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) => tf.mul(plain(a, b, c), dy).sum())([q, k, v]);
      for (const mode of ['batched', 'heads'] as const) {
        expect(relErr(attention(q, k, v, mode), ref)).toBeLessThan(TOL);
        const g = tf.grads((a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) =>
          tf.mul(attention(a as tf.Tensor3D, b as tf.Tensor3D, c as tf.Tensor3D, mode), dy).sum(),
        )([q, k, v]);
        for (let i = 0; i < 3; i++) expect(relErr(g[i]!, refG[i]!)).toBeLessThan(TOL);
      }
    });
  });

  it('the one-hot embedding equals tf.gather and scatters its gradient per id', () => {
    const rng = new Rng(6);
    tf.tidy(() => {
      const ids = tf.tensor2d([[0, 4, 2], [4, 4, 1]], [2, 3], 'int32');
      const table = randn([5, 7], rng) as tf.Tensor2D;
      const dy = randn([2, 3, 7], rng);
      expect(relErr(embed(ids, table), tf.gather(table, ids))).toBeLessThan(TOL);
      const g = tf.grad((t: tf.Tensor) => tf.mul(embed(ids, t as tf.Tensor2D), dy).sum())(table).arraySync() as number[][];
      const d = dy.arraySync() as number[][][];
      const idv = ids.arraySync();
      const expected = Array.from({ length: 5 }, () => new Array<number>(7).fill(0));
      idv.forEach((row, r) => row.forEach((id, c) => d[r]![c]!.forEach((val, j) => (expected[id]![j]! += val))));
      for (let v = 0; v < 5; v++) for (let j = 0; j < 7; j++) expect(g[v]![j]).toBeCloseTo(expected[v]![j]!, 4);
    });
  });
});
