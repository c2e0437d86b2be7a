// A supervision step's gradient computed in micro-batches of rows, for batches whose tape does not fit
// in memory at once (memory-estimate.ts). Rows are independent through the network (attention and
// RMSNorm act within a row) and every loss term is a mean over rows, (1/B)·Σ_rows, so a micro-batch
// of B_k rows whose loss is normalised by its own B_k gives g_k, and the full-batch gradient is
// Σ_k (B_k/B)·g_k — exactly the combine of the data-parallel shards (parallel/combine.ts), here on the
// device. The carry, logits and q_halt of the micro-batches are concatenated in row order; the puzzle
// rows' gradient is each micro-batch's rows scaled by B_k/B. Only float rounding differs from the
// whole-batch step (sums are split).
import * as tf from '@tensorflow/tfjs';
import type { TrmNet } from './model/trm';
import { lastCycleGradients, noGradCycles, type StepLoss, type SupervisionInput, type TapeResult } from './methods/supervision-step';
import { shardRanges, type ShardRange } from './parallel/combine';

export type RowLoss = (logits: tf.Tensor3D, q: tf.Tensor2D) => StepLoss;

/**
 * The loss of rows [start, end) built from the full batch's per-row target: `make` receives the
 * target's rows (sliced on the tape, so freed with it).
 */
export function rowsLoss<T extends tf.Tensor>(target: T, make: (rows: T) => RowLoss): (start: number, end: number) => RowLoss {
  return (start, end) => (logits, q) => {
    const begin = target.shape.map((_, i) => (i === 0 ? start : 0));
    const size = target.shape.map((d, i) => (i === 0 ? end - start : d));
    return make(tf.slice(target, begin, size) as T)(logits, q);
  };
}

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
 * The no-grad cycles and the taped last cycle of a whole step, run micro-batch by micro-batch over
 * `ranges` (which must cover 0..B in order). `input.lossFor` gives each micro-batch's loss.
 * Returns what lastCycleGradients returns for the whole batch.
 */
export function microBatchedTape(net: TrmNet, rows: tf.Tensor2D | null, input: SupervisionInput, ranges: ShardRange[]): TapeResult {
  const B = input.tokens.shape[0];
  if (!input.lossFor) throw new Error('micro-batched step: this method gives no per-rows loss (lossFor)');
  if (ranges.length === 0 || ranges[0]!.start !== 0 || ranges[ranges.length - 1]!.end !== B || ranges.some((r, i) => i > 0 && r.start !== ranges[i - 1]!.end)) {
    throw new Error(`micro-batched step: ranges do not cover the batch of ${B} rows in order`);
  }
  const { T, n } = input;
  const grads: Record<string, tf.Tensor | null> = {};
  const rowGrads: tf.Tensor[] = [];
  const parts: Array<TapeResult['outputs']> = [];
  for (const r of ranges) {
    const w = (r.end - r.start) / B;
    const sub = {
      zH: rowsOf(input.zH, r),
      zL: rowsOf(input.zL, r),
      tokens: rowsOf(input.tokens, r),
      stepIds: input.stepIds ? rowsOf(input.stepIds, r) : null,
      rows: rows ? rowsOf(rows, r) : null,
    };
    let zH = sub.zH;
    let zL = sub.zL;
    if (T > 1) {
      const x0 = tf.tidy(() => net.inputEmbedding(sub.tokens, sub.rows, sub.stepIds));
      ({ zH, zL } = noGradCycles(net, zH, zL, x0, T - 1, n));
      x0.dispose();
    }
    const subInput: SupervisionInput = {
      ...input,
      zH: sub.zH,
      zL: sub.zL,
      tokens: sub.tokens,
      stepIds: sub.stepIds,
      puzzleIds: input.puzzleIds.subarray(r.start, r.end),
      loss: input.lossFor(r.start, r.end),
    };
    const tape = lastCycleGradients(net, sub.rows, subInput, zH, zL);
    if (zH !== sub.zH) zH.dispose();
    if (zL !== sub.zL) zL.dispose();
    tf.dispose([sub.zH, sub.zL, sub.tokens, ...(sub.stepIds ? [sub.stepIds] : []), ...(sub.rows ? [sub.rows] : [])]);
    for (const [name, g] of Object.entries(tape.grads)) {
      const prev = grads[name] ?? null;
      if (!g) {
        if (!(name in grads)) grads[name] = null;
        continue;
      }
      grads[name] = tf.tidy(() => (prev ? tf.add(prev, tf.mul(g, w)) : tf.mul(g, w)));
      prev?.dispose();
      g.dispose();
    }
    if (tape.rowsGrad) {
      rowGrads.push(tf.mul(tape.rowsGrad, w));
      tape.rowsGrad.dispose();
    }
    parts.push(tape.outputs);
  }
  const cat = <K extends 'zH' | 'zL' | 'logits' | 'qHalt'>(k: K) => (parts.length === 1 ? parts[0]![k] : (tf.concat(parts.map((p) => p[k]), 0) as TapeResult['outputs'][K]));
  const weighted = (pick: (p: TapeResult['outputs']) => tf.Scalar | null): tf.Scalar | null => {
    if (parts.some((p) => pick(p) === null)) return null;
    return tf.tidy(() => tf.addN(parts.map((p, k) => tf.mul(pick(p)!, (ranges[k]!.end - ranges[k]!.start) / B))) as tf.Scalar);
  };
  const outputs: TapeResult['outputs'] = {
    zH: cat('zH'),
    zL: cat('zL'),
    logits: cat('logits'),
    qHalt: cat('qHalt'),
    lm: weighted((p) => p.lm)!,
    qHaltLoss: weighted((p) => p.qHaltLoss),
  };
  if (parts.length > 1) for (const p of parts) tf.dispose([p.zH, p.zL, p.logits, p.qHalt]);
  for (const p of parts) tf.dispose([p.lm, ...(p.qHaltLoss ? [p.qHaltLoss] : [])]);
  const rowsGrad = rowGrads.length === 0 ? null : rowGrads.length === 1 ? rowGrads[0]! : tf.concat(rowGrads, 0);
  if (rowGrads.length > 1) tf.dispose(rowGrads);
  return { grads, rowsGrad, outputs };
}
