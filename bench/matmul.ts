// The backend's raw 2-D matMul speed for the shapes a training step uses, measured in the same run
// as the step itself, so that the report's efficiency ratio (step GFLOPS ÷ matMul GFLOPS) compares
// like with like on a noisy machine.
import * as tf from '@tensorflow/tfjs';
import { swigluWidth, type ModelConfig } from '../src-shared/method/run-config';
import { gflops, time } from './timing';

export interface MatmulResult {
  shape: string;
  medianMs: number;
  gflops: number;
}

/** Plain [M,K]×[K,N] matMul without transpose flags (the fast path of every backend). */
export async function measureMatmul(M: number, K: number, N: number, reps = 5, minMs = 200): Promise<MatmulResult> {
  const a = tf.randomNormal([M, K]);
  const b = tf.randomNormal([K, N]);
  const t = await time(
    async () => {
      const c = tf.matMul(a, b);
      await c.data(); // async: WebGPU in Node has no synchronous read-back
      c.dispose();
    },
    reps,
    1,
    minMs,
  );
  a.dispose();
  b.dispose();
  return { shape: `[${M},${K}]x[${K},${N}]`, medianMs: t.medianMs, gflops: gflops(2 * M * K * N, t.medianMs) };
}

export interface Product {
  M: number;
  K: number;
  N: number;
  /** how many times the product occurs per unit of work (only the ratio between products matters) */
  count: number;
}

/**
 * The forward products of one network call on B rows of S tokens: q/k/v/o [B·S,D]×[D,D], gate/up
 * [B·S,D]×[D,I], down [B·S,I]×[I,D], and per (batch·head) QKᵀ [S,dh]×[dh,S] and PV [S,S]×[S,dh] — the
 * shapes the step runs as plain 2-D products (backward products are the same sizes transposed).
 */
export function stepProducts(model: Pick<ModelConfig, 'hidden' | 'heads' | 'expansion' | 'layers'>, B: number, S: number): Product[] {
  const D = model.hidden;
  const I = swigluWidth(D, model.expansion);
  const dh = D / model.heads;
  const BH = B * model.heads;
  return [
    { M: B * S, K: D, N: D, count: 4 * model.layers },
    { M: B * S, K: D, N: I, count: 2 * model.layers },
    { M: B * S, K: I, N: D, count: model.layers },
    { M: S, K: dh, N: S, count: BH * model.layers },
    { M: S, K: S, N: dh, count: BH * model.layers },
  ];
}

export interface MixResult {
  /** total FLOPs of the mix ÷ total time at each product's measured speed */
  gflops: number;
  parts: MatmulResult[];
}

/** The time-weighted raw matMul GFLOPS of a mix of products: what the step would reach if every product ran at plain-matMul speed and nothing else cost time. */
export async function measureMix(products: Product[], reps: number, minMs: number): Promise<MixResult> {
  let flops = 0;
  let ms = 0;
  const parts: MatmulResult[] = [];
  const seen = new Map<string, MatmulResult>();
  for (const p of products) {
    const key = `${p.M},${p.K},${p.N}`;
    let r = seen.get(key);
    if (!r) {
      r = await measureMatmul(p.M, p.K, p.N, reps, minMs);
      seen.set(key, r);
      parts.push(r);
    }
    flops += 2 * p.M * p.K * p.N * p.count;
    ms += r.medianMs * p.count;
  }
  return { gflops: gflops(flops, ms), parts };
}
