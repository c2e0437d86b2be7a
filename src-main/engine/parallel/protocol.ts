// Messages between the trainer thread and its data-parallel shard workers (worker_threads in this
// process, so plain structured-clone objects; no valibot: nothing here crosses a process boundary).
// Each shard owns a contiguous block of the batch rows and, for them, the carry (z_H, z_L) and — DIS —
// the trajectory tensors; the trainer thread owns the data, the halting rule, the weights, the
// optimizer, the EMA and the puzzle table, and sends the current weights with every step.
import type { NetSpec } from '../model/trm';

export type ShardBackend = 'wasm' | 'cpu';

export interface InitRequest {
  kind: 'init';
  backend: ShardBackend;
  spec: NetSpec;
  params: Record<string, Float32Array>;
  buffers: { H_init: Float32Array; L_init: Float32Array };
  method: 'trm' | 'dis';
  T: number;
  n: number;
  xSource: 'prediction' | 'original';
}

/** A carry for the shard's rows (resume): TRM needs zH/zL, DIS also the trajectory tensors. */
export interface ShardCarry {
  zH: Float32Array;
  zL: Float32Array;
  cur?: Int32Array;
  inputs?: Int32Array;
  labels?: Int32Array;
}

interface StepCommon {
  /** the current trainable weights, by name */
  weights: Record<string, Float32Array>;
  /** rows of this shard */
  rows: number;
  puzzleIds: Int32Array;
  /** the gathered puzzle rows [rows·dim], or null without a table */
  puzzleRows: Float32Array | null;
  /** a carry to install before the step (the first step after a resume), else null */
  carry: ShardCarry | null;
}

export interface TrmStepRequest extends StepCommon {
  kind: 'trm-step';
  tokens: Int32Array;
  /** the rows' FINAL labels */
  labels: Int32Array;
  /** 1 = the row restarts from H_init/L_init this step */
  reset: Float32Array;
  started: number;
}

export interface DisStepRequest extends StepCommon {
  kind: 'dis-step';
  /** at a trajectory start: the batch rows of this shard */
  start: { inputs: Int32Array; labels: Int32Array } | null;
  /** the step's frame F_s */
  target: Int32Array;
  s: number;
  w: number;
  /** s = N_sup: report the per-row metrics and end the trajectory */
  last: boolean;
}

export type ShardRequest = InitRequest | TrmStepRequest | DisStepRequest | { kind: 'get-carry' } | { kind: 'close' };

/** Gradients of the SHARD's loss (its own 1/rows normalisation) and its readouts. */
export interface StepReply {
  grads: Record<string, Float32Array | null>;
  rowsGrad: Float32Array | null;
  lm: number;
  qHaltLoss: number | null;
  /** TRM: q_halt logits per row */
  q: Float32Array | null;
  /** per-row exact match and token accuracy against the FINAL labels (TRM every step, DIS at the last) */
  correct: Float32Array | null;
  tokenAcc: Float32Array | null;
  /** network calls this step */
  calls: { grad: number; noGrad: number };
}

export type ShardReply = StepReply | ShardCarry | null;

export type WorkerMessage = { id: number; ok: true; reply: ShardReply } | { id: number; ok: false; error: string };
