// Messages between the trainer thread and its data-parallel shard workers (worker_threads in this
// process, so plain structured-clone objects; no valibot: nothing here crosses a process boundary).
// Each shard owns a contiguous block of the batch rows and, for them, the method's carry; the trainer
// thread owns the data, the halting rule, the weights, the optimizer, the EMA and the puzzle table,
// and sends the current weights with every step.
import type { HostCarry } from '../methods/carry';
import type { HostRows } from '../methods/executor';
import type { MethodConfig } from '../methods/method';
import type { NetSpec } from '../model/trm';

export type ShardBackend = 'wasm' | 'cpu';

export interface InitRequest {
  kind: 'init';
  backend: ShardBackend;
  /** the method (methods/index.ts) whose steps the shard runs */
  method: string;
  cfg: MethodConfig;
  spec: NetSpec;
  params: Record<string, Float32Array>;
  buffers: Record<string, Float32Array>;
}

/** One supervision step on the shard's rows (executor.ts RowCarry.step). */
export interface StepRequest extends HostRows {
  kind: 'step';
  /** the current trainable weights, by name */
  weights: Record<string, Float32Array>;
  /** the gathered puzzle rows [count·dim], or null without a table */
  puzzleRows: Float32Array | null;
  /** a carry to install before the step (the first step after a resume), else null */
  carry: HostCarry | null;
}

export type ShardRequest = InitRequest | StepRequest | { kind: 'get-carry' } | { kind: 'close' };

/** Gradients of the SHARD's loss (its own 1/rows normalisation) and its readouts. */
export interface StepReply {
  grads: Record<string, Float32Array | null>;
  rowsGrad: Float32Array | null;
  lm: number;
  qHaltLoss: number | null;
  /** q_halt logits per row */
  q: Float32Array;
  /** per-row exact match and token accuracy against the request's labels, when it had them */
  correct: Float32Array | null;
  tokenAcc: Float32Array | null;
  /** network calls this step */
  calls: { grad: number; noGrad: number };
}

export type ShardReply = StepReply | HostCarry | null;

export type WorkerMessage = { id: number; ok: true; reply: ShardReply } | { id: number; ok: false; error: string };
