import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { truncNormal } from '../../../../src-main/engine/model/init';
import { countParameters, netSpec, TrmNet, type NetSpec } from '../../../../src-main/engine/model/trm';
import { defaultRunConfig, type Preset } from '../../../../src-shared/method/run-config';
import { Rng } from '../../../../src-shared/prng';
import { useWasm } from '../helpers';

beforeAll(useWasm);

function presetSpec(method: 'trm' | 'dis', preset: Preset): NetSpec {
  return netSpec(defaultRunConfig(method, preset).model, 12, 900, method);
}

describe('the TRM network', () => {
  it('has exactly 858,626 / 860,674 trainable parameters at the compact preset (TRM / DIS with the 8-row step table)', () => {
    const spec = presetSpec('trm', 'compact');
    const net = TrmNet.init(spec, new Rng(0));
    const built = net.trainable().reduce((a, [, t]) => a + t.size, 0);
    expect(built).toBe(858_626);
    expect(net.parameterCount()).toBe(858_626);
    net.dispose();
    const dis = presetSpec('dis', 'compact');
    expect(dis.stepRows).toBe(8);
    expect(countParameters(dis)).toBe(860_674);
  });

  it('has exactly 6,829,058 trainable parameters at the full preset, +4,096 for the DIS step table', () => {
    const spec = presetSpec('trm', 'full');
    const net = TrmNet.init(spec, new Rng(0));
    expect(net.trainable().reduce((a, [, t]) => a + t.size, 0)).toBe(6_829_058);
    net.dispose();
    expect(countParameters(presetSpec('dis', 'full'))).toBe(6_829_058 + 4_096);
  });

  it('draws JAX-style truncated normals: realised std σ, nothing beyond 2σ/0.8796', () => {
    const v = truncNormal(200_000, 0.5, new Rng(3));
    let sum = 0;
    let sq = 0;
    let max = 0;
    for (const x of v) {
      sum += x;
      sq += x * x;
      max = Math.max(max, Math.abs(x));
    }
    const mean = sum / v.length;
    expect(Math.abs(mean)).toBeLessThan(0.01);
    expect(Math.sqrt(sq / v.length - mean * mean)).toBeCloseTo(0.5, 2);
    expect(max).toBeLessThanOrEqual((2 * 0.5) / 0.87962566 + 1e-6);
  });

  describe('at a tiny size', () => {
    const spec: NetSpec = { hidden: 16, layers: 2, heads: 2, expansion: 2, puzzleEmbLen: 3, puzzleEmbDim: 16, ropeTheta: 10000, vocab: 5, seqLen: 9, stepRows: 4 };
    let net: TrmNet;
    beforeAll(() => {
      net = TrmNet.init(spec, new Rng(7));
    });
    afterAll(() => net.dispose());

    it('is initialised from the seed alone', () => {
      const again = TrmNet.init(spec, new Rng(7));
      for (const [name, t] of net.trainable()) {
        const other = again.trainable().find(([n]) => n === name)![1];
        expect(Array.from(t.dataSync())).toEqual(Array.from(other.dataSync()));
      }
      expect(Array.from(again.hInit.dataSync())).toEqual(Array.from(net.hInit.dataSync()));
      again.dispose();
    });

    it('builds x = √D·(prefix ‖ tok_emb [+ step_emb]) with the puzzle vector only in prefix slot 0', () => {
      tf.tidy(() => {
        const tokens = tf.tensor2d([[0, 1, 2, 3, 4, 0, 1, 2, 3]], [1, 9], 'int32');
        const rows = tf.fill([1, 16], 0.25) as tf.Tensor2D;
        const x = net.inputEmbedding(tokens, rows).arraySync() as number[][][];
        const D = 16;
        expect(x[0]![0]!.every((v) => Math.abs(v - 0.25 * Math.sqrt(D)) < 1e-6)).toBe(true);
        expect(x[0]![1]!.every((v) => v === 0) && x[0]![2]!.every((v) => v === 0)).toBe(true);
        const E = net.weights['embed_tokens']!.arraySync() as number[][];
        expect(x[0]![3 + 2]![5]!).toBeCloseTo(E[2]![5]! * Math.sqrt(D), 5);
        // The step embedding is added to every position, prefix included, before the scaling.
        const xs = net.inputEmbedding(tokens, rows, tf.tensor1d([2], 'int32')).arraySync() as number[][][];
        const St = net.weights['step_embed']!.arraySync() as number[][];
        expect(xs[0]![1]![3]!).toBeCloseTo(St[2]![3]! * Math.sqrt(D), 5);
        expect(xs[0]![4]![0]!).toBeCloseTo((E[1]![0]! + St[2]![0]!) * Math.sqrt(D), 5);
      });
    });

    it('is post-norm (unit RMS outputs), starts with q_halt = −5 and keeps every shape', () => {
      tf.tidy(() => {
        const B = 3;
        const { zH, zL } = net.initialCarry(B);
        const tokens = tf.tensor2d(Array.from({ length: B * 9 }, (_, i) => (i * 3) % 5), [B, 9], 'int32');
        const x = net.inputEmbedding(tokens, tf.zeros([B, 16]) as tf.Tensor2D);
        const c = net.cycle(zH, zL, x, 2);
        expect(c.zH.shape).toEqual([B, 12, 16]);
        const rms = tf.sqrt(tf.mean(tf.square(c.zH), -1)).dataSync();
        for (const r of rms) expect(r).toBeCloseTo(1, 3);
        expect(net.logits(c.zH).shape).toEqual([B, 9, 5]);
        expect(Array.from(net.qHead(c.zH).dataSync())).toEqual([-5, -5, -5, -5, -5, -5]);
        expect(c.zHBefore).toBe(zH);
      });
    });
  });
});
