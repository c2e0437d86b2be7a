import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { countParameters, netSpec, TrmNet, type NetSpec } from '../../../../src-main/engine/model/trm';
import { defaultRunConfig, swigluWidth } from '../../../../src-shared/method/run-config';
import { Rng } from '../../../../src-shared/prng';
import { useWasm } from '../helpers';

beforeAll(useWasm);

const base: NetSpec = { hidden: 8, layers: 1, heads: 2, expansion: 1, puzzleEmbLen: 2, puzzleEmbDim: 8, ropeTheta: 10000, vocab: 5, seqLen: 4, stepRows: 0 };

// Plain float64 helpers for a reference forward pass.
type M = number[][];
const mat = (t: tf.Tensor): M => t.arraySync() as M;
const mul = (a: M, b: M): M => a.map((row) => b[0]!.map((_, j) => row.reduce((s, x, k) => s + x * b[k]![j]!, 0)));
const rms = (row: number[]): number[] => {
  const r = 1 / Math.sqrt(row.reduce((s, x) => s + x * x, 0) / row.length + 1e-5);
  return row.map((x) => x * r);
};
const swigluRows = (x: M, gate: M, up: M, down: M): M => {
  const g = mul(x, gate);
  const u = mul(x, up);
  return mul(
    g.map((row, i) => row.map((v, j) => (v / (1 + Math.exp(-v))) * u[i]![j]!)),
    down,
  );
};
const transpose = (a: M): M => a[0]!.map((_, j) => a.map((row) => row[j]!));

describe('TRM mixer and positional-encoding options', () => {
  it('mlp_t has exact parameter counts: the authors’ Sudoku-Extreme network (D 512, 2 layers, 81 + 16 positions) has 5,028,866', () => {
    const model = { ...defaultRunConfig('trm', 'full').model, mixer: 'mlp_t' as const, posEncodings: 'none' as const };
    const spec = netSpec(model, 11, 81, 'trm');
    // Per layer: SwiGLU over L = 97 positions, inner width 256·ceil(round(4·97·2/3)/256) = 512 → 3·97·512,
    // plus the block MLP 3·512·1536; embed 11·512, lm_head 512·11, q_head 512·2 + 2.
    expect(swigluWidth(97, 4)).toBe(512);
    const want = 2 * (3 * 97 * 512 + 3 * 512 * 1536) + 11 * 512 + 512 * 11 + 1026;
    expect(want).toBe(5_028_866);
    expect(countParameters(spec)).toBe(want);
    // Learned positions add one [L, D] table to the attention network.
    const learned = netSpec({ ...defaultRunConfig('trm', 'full').model, posEncodings: 'learned' }, 12, 900, 'trm');
    expect(countParameters(learned)).toBe(6_829_058 + 916 * 512);
  });

  it('mlp_t mixes positions with a SwiGLU over the sequence axis and normalises over positions, like the reference block', () => {
    const spec: NetSpec = { ...base, mixer: 'mlp_t', posEncodings: 'none' };
    const net = TrmNet.init(spec, new Rng(11));
    const names = net.trainable().map(([n]) => n);
    expect(names).toContain('layers.0.t_gate');
    expect(names).not.toContain('layers.0.wq');
    const L = 6;
    const h = tf.randomNormal([1, L, 8], 0, 1, 'float32', 3) as tf.Tensor3D;
    const zero = tf.zerosLike(h);
    const got = (net.net(h, zero).arraySync() as number[][][])[0]!;
    const w = (n: string): M => mat(net.weights[n]!);
    // hᵀ [D, L] ← rms_rows(hᵀ + SwiGLU_t(hᵀ)); back to [L, D]; then h ← rms_rows(h + SwiGLU(h)).
    const ht = transpose((h.arraySync() as number[][][])[0]!);
    const mixedT = swigluRows(ht, w('layers.0.t_gate'), w('layers.0.t_up'), w('layers.0.t_down'));
    const afterT = transpose(ht.map((row, i) => rms(row.map((x, j) => x + mixedT[i]![j]!))));
    const mlp = swigluRows(afterT, w('layers.0.w_gate'), w('layers.0.w_up'), w('layers.0.w_down'));
    const want = afterT.map((row, i) => rms(row.map((x, j) => x + mlp[i]![j]!)));
    for (let i = 0; i < L; i++) for (let j = 0; j < 8; j++) expect(got[i]![j]!).toBeCloseTo(want[i]![j]!, 4);
    tf.dispose([h, zero]);
    net.dispose();
  });

  it('learned positions: x = √D·0.707106781·(concat(prefix, tok_emb) + pos_emb)', () => {
    const spec: NetSpec = { ...base, posEncodings: 'learned' };
    const net = TrmNet.init(spec, new Rng(5));
    tf.tidy(() => {
      const tokens = tf.tensor2d([[1, 2, 3, 4]], [1, 4], 'int32');
      const rows = tf.fill([1, 8], 0.5) as tf.Tensor2D;
      const x = (net.inputEmbedding(tokens, rows).arraySync() as number[][][])[0]!;
      const E = mat(net.weights['embed_tokens']!);
      const P = mat(net.weights['embed_pos']!);
      expect(P.length).toBe(6);
      const s = Math.sqrt(8) * 0.707106781;
      expect(x[0]![3]!).toBeCloseTo(s * (0.5 + P[0]![3]!), 5);
      expect(x[1]![3]!).toBeCloseTo(s * (0 + P[1]![3]!), 5);
      expect(x[2 + 1]![6]!).toBeCloseTo(s * (E[2]![6]! + P[3]![6]!), 5);
    });
    net.dispose();
  });

  it('without positional encodings the attention network is permutation-equivariant over positions; with RoPE it is not', () => {
    const outOnPermuted = (posEncodings: 'rope' | 'none'): number => {
      const net = TrmNet.init({ ...base, posEncodings }, new Rng(9));
      const h = tf.randomNormal([1, 6, 8], 0, 1, 'float32', 4) as tf.Tensor3D;
      const perm = [5, 4, 3, 2, 1, 0];
      const hp = tf.gather(h, perm, 1) as tf.Tensor3D;
      const zero = tf.zerosLike(h);
      const a = tf.gather(net.net(h, zero), perm, 1);
      const b = net.net(hp, zero);
      const diff = tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!;
      tf.dispose([h, hp, zero, a, b]);
      net.dispose();
      return diff;
    };
    expect(outOnPermuted('none')).toBeLessThan(1e-5);
    expect(outOnPermuted('rope')).toBeGreaterThan(1e-3);
  });
});
