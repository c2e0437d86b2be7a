// A supervision step computed in micro-batches of rows, for batches whose gradient tape does not fit in
// memory at once (memory-estimate.ts). Rows are independent through the network (attention and
// RMSNorm act within a row) and every loss term is a mean over rows, (1/B)·Σ_rows, so a micro-batch
// of B_k rows whose loss is normalised by its own B_k gives g_k, and the full-batch gradient is
// Σ_k (B_k/B)·g_k — the combine of the data-parallel shards (parallel/combine.ts), here on the device.
// The carry, logits and Q logits of the micro-batches are concatenated in row order; the puzzle rows'
// gradient is each micro-batch's rows scaled by B_k/B; the losses are the B_k/B-weighted sums. Only
// float rounding differs from the whole-batch step (sums are split).
import * as tf from '@tensorflow/tfjs';
import { disposeCarry } from './methods/carry';
import { supervisionStep, type StepResult } from './methods/executor';
import type { Carry, MethodConfig, MethodDef, RecursiveNet, StepBatch } from './methods/method';
import { shardRanges, type ShardRange } from './parallel/combine';

/** Rows [start, end) of a tensor along axis 0. */
function rowsOf<T extends tf.Tensor>(x: T, r: ShardRange): T {
  const begin = x.shape.map((_, i) => (i === 0 ? r.start : 0));
  const size = x.shape.map((d, i) => (i === 0 ? r.end - r.start : d));
  return tf.slice(x, begin, size) as T;
}

/** Micro-batch ranges for `batch` rows with at most `rows` rows each (sizes differ by at most one). */
export function microBatchRanges(batch: number, rows: number): ShardRange[] {
  return shardRanges(batch, Math.ceil(batch / Math.max(1, Math.min(batch, rows))));
}

/**
 * supervisionStep of the executor, in micro-batches of at most `rows` rows when that is fewer than the
 * batch (otherwise exactly supervisionStep). Returns what supervisionStep returns for the whole batch.
 */
export function stepInMicroBatches<N extends RecursiveNet>(
  m: MethodDef<N>,
  net: N,
  cfg: MethodConfig,
  carry: Carry,
  batch: StepBatch,
  puzzleRows: tf.Tensor2D | null,
  rows: number | undefined,
  withWeights = true,
): StepResult {
  const B = batch.tokens.shape[0];
  if (rows === undefined || rows >= B) return supervisionStep(m, net, cfg, carry, batch, puzzleRows, withWeights);
  const ranges = microBatchRanges(B, rows);
  const grads: Record<string, tf.Tensor | null> = {};
  const rowGrads: tf.Tensor[] = [];
  const parts: StepResult[] = [];
  try {
    for (const r of ranges) {
      const w = (r.end - r.start) / B;
      const subCarry: Carry = {};
      for (const [k, t] of Object.entries(carry)) subCarry[k] = rowsOf(t, r);
      const sub: StepBatch = { ...batch, tokens: rowsOf(batch.tokens, r), target: rowsOf(batch.target, r) };
      const subRows = puzzleRows ? rowsOf(puzzleRows, r) : null;
      let out: StepResult;
      try {
        out = supervisionStep(m, net, cfg, subCarry, sub, subRows, withWeights);
      } finally {
        disposeCarry(subCarry);
        tf.dispose([sub.tokens, sub.target, ...(subRows ? [subRows] : [])]);
      }
      for (const [name, g] of Object.entries(out.grads)) {
        const prev = grads[name] ?? null;
        if (!g) {
          if (!(name in grads)) grads[name] = null;
          continue;
        }
        grads[name] = tf.tidy(() => (prev ? tf.add(prev, tf.mul(g, w)) : tf.mul(g, w)));
        prev?.dispose();
        g.dispose();
      }
      out.grads = {};
      if (out.rowsGrad) {
        rowGrads.push(tf.mul(out.rowsGrad, w));
        out.rowsGrad.dispose();
        out.rowsGrad = null;
      }
      parts.push(out);
    }
    const weightedSum = (pick: (p: StepResult) => tf.Scalar | null): tf.Scalar | null => {
      if (parts.some((p) => pick(p) === null)) return null;
      return tf.tidy(() => tf.addN(parts.map((p, k) => tf.mul(pick(p)!, (ranges[k]!.end - ranges[k]!.start) / B))) as tf.Scalar);
    };
    const carryOut: Carry = {};
    for (const k of Object.keys(parts[0]!.carry)) carryOut[k] = tf.concat(parts.map((p) => p.carry[k]!), 0);
    return {
      grads,
      rowsGrad: rowGrads.length === 0 ? null : tf.concat(rowGrads, 0),
      carry: carryOut,
      logits: tf.concat(parts.map((p) => p.logits), 0) as tf.Tensor3D,
      q: tf.concat(parts.map((p) => p.q), 0) as tf.Tensor2D,
      loss: { total: weightedSum((p) => p.loss.total)!, lm: weightedSum((p) => p.loss.lm)!, qHalt: weightedSum((p) => p.loss.qHalt) },
    };
  } finally {
    tf.dispose(rowGrads);
    for (const p of parts) {
      disposeCarry(p.carry);
      tf.dispose([p.logits, p.q, p.loss.total, p.loss.lm, ...(p.loss.qHalt ? [p.loss.qHalt] : [])]);
    }
  }
}
