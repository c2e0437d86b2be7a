// How much tensor memory one optimizer step needs, estimated before a run starts, and the micro-batch
// plan that keeps it under the backend's limit (issue #16.3: DIS compact at 916 tokens with batch 16
// aborted inside XNNPACK when the wasm heap ran out).
//
// The wasm backend's heap is one WebAssembly memory of at most 4 GiB (the module's declared maximum;
// measured here: 16 tensors of 256 MiB fit, the 17th fails). Everything lives in it: weights, optimizer
// state, the gradient tape and XNNPACK's packed operands. The peak of a step is dominated by what the
// gradient tape keeps alive: tfjs keeps EVERY tensor made inside `engine.gradients` until the backward
// pass ends, and the no-grad cycles' intermediates until their tidy ends. So the peak grows linearly in
// the batch rows, per network call, with terms in L·D (activations) and H·L² (attention scores).
//
// The coefficients below are a least-squares fit (non-negative) of tf.profile's peakBytes for one real
// engine step on wasm over 13 settings (tiny/compact/full, DIS/TRM, 80/272/916 tokens, B 1–3; fit within
// −14%…+12%), multiplied by SAFETY so that no measured setting is underestimated. The estimate is of the
// tfjs tensors only; HEAP_BUDGET leaves the rest of the heap for XNNPACK's packing buffers and
// fragmentation.
import os from 'node:os';
import { swigluWidth, type ModelConfig } from '../../src-shared/method/run-config';

export const WASM_HEAP_BYTES = 4 * 2 ** 30;
/** Share of the heap the estimated tensor peak may use. */
export const HEAP_BUDGET = 0.7;
export const SAFETY = 1.25;

/** floats per trainable weight alive at the peak (weights, gradients, optimizer moments, EMA, update temporaries) */
const PER_PARAM = 10.7;
/** floats per row, per taped network call and layer: ·H·L² and ·L·D */
const GRAD_ATTN = 1.21;
const GRAD_ACT = 175.7;
/** floats per row, per no-grad network call and layer: ·L·D (a cycle's n+1 calls, kept until its tidy ends) */
const NOGRAD_ACT = 21.8;
/** bytes of constants and small tensors (embeddings, heads, RoPE tables, scalars) at any size */
const BASE_BYTES = 16 * 2 ** 20;

export type EstimateModel = Pick<ModelConfig, 'hidden' | 'layers' | 'heads' | 'expansion' | 'T' | 'n'> & Partial<Pick<ModelConfig, 'mixer'>>;

export interface StepMemory {
  /** bytes independent of the batch (weights and their optimizer state) */
  fixedBytes: number;
  /** bytes per batch row */
  perRowBytes: number;
}

/** Estimated tensor-memory peak of one optimizer step, split into fixed and per-row parts (SAFETY included). */
export function stepMemory(m: EstimateModel, tokens: number): StepMemory {
  const D = m.hidden;
  const I = swigluWidth(D, m.expansion);
  const L = tokens;
  const params = m.layers * (4 * D * D + 3 * D * I);
  const gradCalls = m.n + 1;
  // The no-grad cycles run one tidy per cycle (supervision-step.ts) before the tape starts; counted on top.
  const noGradCalls = m.T > 1 ? m.n + 1 : 0;
  const attn = m.mixer === 'mlp_t' ? 0 : GRAD_ATTN * m.heads * L * L;
  const perRowFloats = m.layers * (gradCalls * (attn + GRAD_ACT * L * D) + noGradCalls * NOGRAD_ACT * L * D);
  return { fixedBytes: BASE_BYTES + SAFETY * 4 * PER_PARAM * params, perRowBytes: SAFETY * 4 * perRowFloats };
}

export function stepBytes(m: EstimateModel, tokens: number, rows: number): number {
  const s = stepMemory(m, tokens);
  return s.fixedBytes + rows * s.perRowBytes;
}

/** The memory the estimate must stay under on this backend, or null where none is known (native and GPU backends manage their own). */
export function memoryLimit(backend: string): { bytes: number; what: string; heapBytes?: number } | null {
  if (backend === 'wasm') return { bytes: HEAP_BUDGET * WASM_HEAP_BYTES, what: `${Math.round(HEAP_BUDGET * 100)}% of the 4 GiB wasm heap`, heapBytes: WASM_HEAP_BYTES };
  // The cpu backend keeps tensors in JavaScript typed arrays: bounded by the machine's memory.
  if (backend === 'cpu') return { bytes: 0.5 * os.totalmem(), what: `half of this machine's ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB memory` };
  return null;
}

export interface MicroBatchPlan {
  batch: number;
  /** rows per micro-batch (= batch when the step runs whole) */
  rows: number;
  /** number of micro-batches per optimizer step */
  count: number;
  /** estimated peak of the step as planned, and of the whole batch at once */
  estimateBytes: number;
  fullBatchBytes: number;
  limitBytes: number | null;
  /** one line for the run view and log */
  note: string;
}

const gib = (b: number): string => `${(b / 2 ** 30).toFixed(2)} GiB`;

/**
 * How to run a step of `batch` rows. `requested`: 'auto' splits only when the estimate exceeds the
 * backend's limit, into the fewest equal-as-possible micro-batches that fit; a number forces at most
 * that many rows per micro-batch. Throws when even one row does not fit (no setting may crash the engine).
 */
export function planMicroBatches(m: EstimateModel, tokens: number, batch: number, backend: string, requested: 'auto' | number = 'auto'): MicroBatchPlan {
  const mem = stepMemory(m, tokens);
  const full = mem.fixedBytes + batch * mem.perRowBytes;
  const limit = memoryLimit(backend);
  let rows = batch;
  if (typeof requested === 'number') rows = Math.max(1, Math.min(batch, requested));
  let tight = false;
  if (limit) {
    const fit = Math.floor((limit.bytes - mem.fixedBytes) / mem.perRowBytes);
    if (fit < 1) {
      // One row over the budget: it still runs, one row per micro-batch, while the fitted estimate
      // (without SAFETY) stays inside the whole heap; beyond that the step would abort, so refuse.
      const oneRowFitted = (mem.fixedBytes + mem.perRowBytes) / SAFETY;
      if (limit.heapBytes === undefined || oneRowFitted > limit.heapBytes) {
        throw new Error(
          `one batch row needs an estimated ${gib(oneRowFitted)}–${gib(mem.fixedBytes + mem.perRowBytes)} of tensor memory at ${tokens} tokens, more than ${limit.heapBytes ? `the ${gib(limit.heapBytes)} wasm heap` : limit.what}; use a smaller preset or shorter puzzles`,
        );
      }
      tight = true;
    }
    rows = Math.min(rows, Math.max(1, fit));
  }
  const count = Math.ceil(batch / rows);
  // Equal-as-possible micro-batches: the largest has ceil(batch / count) rows.
  rows = Math.ceil(batch / count);
  const estimate = mem.fixedBytes + rows * mem.perRowBytes;
  const why =
    count === 1
      ? ''
      : typeof requested === 'number' && (!limit || requested <= Math.floor((limit.bytes - mem.fixedBytes) / mem.perRowBytes))
        ? ` (at most ${requested} rows per micro-batch as configured)`
        : ` (the whole batch would need an estimated ${gib(full)}, more than ${limit!.what})`;
  const tightNote = tight ? `; one row alone is estimated at ${gib(estimate / SAFETY)}–${gib(estimate)}, near the 4 GiB wasm heap` : '';
  const note =
    (count === 1
      ? `whole batch of ${batch} per step (estimated ${gib(full)} of tensor memory${limit ? `, limit ${gib(limit.bytes)}` : ''})`
      : `${count} micro-batches of ≤${rows} rows per step, gradients summed to the full-batch gradient${why}`) + tightNote;
  return { batch, rows, count, estimateBytes: estimate, fullBatchBytes: full, limitBytes: limit?.bytes ?? null, note };
}
