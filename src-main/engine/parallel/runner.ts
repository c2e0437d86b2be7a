// Data-parallel gradient computation (opt-in: config.workers > 1 on a single-threaded backend): a step
// runner whose steps run in k shard workers. Each optimizer step the batch rows are split into k
// contiguous shards; shard worker k runs the supervision step of its rows (its own engine, a copy of
// the weights, the carry of its rows), this thread combines the gradients into the full-batch
// gradient (combine.ts) and applies the update once, here, with the executor's applyUpdate, and sends
// the new weights with the next step.
// The method's training loop (sampler, halting rule, DIS frames: everything that draws random numbers
// or decides per row) runs on this thread exactly as with the local runner, so a run takes the same
// data and decisions; only float rounding differs (sums over rows are split). Checkpoints hold the
// full-batch carry in the single-thread layout, so a run may resume with another worker count.
import * as tf from '@tensorflow/tfjs';
import type { BackendInfo } from '../../../src-shared/method/protocol';
import type { RunConfig } from '../../../src-shared/method/run-config';
import { carryTensors, disposeCarry, joinRows, sliceRows, type HostCarry } from '../methods/carry';
import { applyUpdate, type HostStep, type StepOutcome, type StepRunner } from '../methods/executor';
import { methodDef } from '../methods/index';
import type { TrainParts } from '../methods/method';
import { combineShards, concatRows, shardRanges, type ShardRange } from './combine';
import { ShardPool, workerScript } from './pool';
import type { InitRequest, ShardBackend, StepReply } from './protocol';

/** Values of a tensor list by name, as host arrays. */
async function hostValues(named: Array<[string, tf.Tensor]>): Promise<Record<string, Float32Array>> {
  const out: Record<string, Float32Array> = {};
  for (const [name, t] of named) out[name] = (await t.data()) as Float32Array;
  return out;
}

/** Per-shard slice of a row-major [B, width] array. */
function rowsOf<A extends Float32Array | Int32Array>(a: A, r: ShardRange, width: number): A {
  return a.slice(r.start * width, r.end * width) as A;
}

export class ShardedRunner implements StepRunner {
  readonly method: string;
  private readonly B: number;
  /** an imported carry the shards have not received yet */
  private carryToSend: HostCarry | null = null;

  constructor(
    private readonly parts: TrainParts,
    private readonly config: RunConfig,
    private readonly pool: ShardPool,
    private readonly ranges: ShardRange[],
  ) {
    this.method = config.method;
    this.B = config.batchSize;
  }

  async step(h: HostStep, t: number): Promise<StepOutcome> {
    const { B, ranges } = this;
    const S = h.tokens.length / B;
    const table = this.parts.table;
    const weights = await hostValues(this.parts.net.trainable());
    const puzzleRows = table ? table.gather(h.puzzleIds) : null;
    const carry = this.carryToSend;
    this.carryToSend = null;
    const replies = await this.pool.all<StepReply>(
      ranges.map((r) => ({
        kind: 'step' as const,
        weights,
        count: r.end - r.start,
        tokens: rowsOf(h.tokens, r, S),
        target: rowsOf(h.target, r, S),
        labels: h.labels ? rowsOf(h.labels, r, S) : null,
        reset: h.reset ? rowsOf(h.reset, r, 1) : null,
        s: h.s,
        w: h.w,
        puzzleRows: puzzleRows && table ? rowsOf(puzzleRows, r, table.dim) : null,
        carry: carry ? sliceRows(carry, r.start, r.end, B) : null,
      })),
    );
    const combined = combineShards(replies, ranges, B);
    const params = this.parts.net.trainable();
    const grads: Record<string, tf.Tensor | null> = {};
    for (const [name, p] of params) {
      const g = combined.grads[name];
      grads[name] = g ? tf.tensor(g, p.shape) : null;
    }
    const lr = await applyUpdate(this.parts, grads, combined.rowsGrad, h.puzzleIds, t);
    tf.dispose(Object.values(grads).filter((g): g is tf.Tensor => g !== null));
    // Network calls are per step, not per row: every shard makes the same calls; count them once.
    const calls = replies[0]!.calls;
    this.parts.net.counter.grad += calls.grad;
    this.parts.net.counter.noGrad += calls.noGrad;
    const joined = (pick: (r: StepReply) => Float32Array | null, what: string): tf.Tensor1D | null =>
      replies.every((r) => pick(r) !== null) ? tf.tensor1d(concatRows(replies.map(pick), B, `${this.method} ${what}`)) : null;
    return {
      lm: tf.scalar(combined.lm),
      qHaltLoss: combined.qHaltLoss === null ? null : tf.scalar(combined.qHaltLoss),
      qHalt: joined((r) => r.q, 'q_halt')!,
      correct: joined((r) => r.correct, 'exact match'),
      tokenAcc: joined((r) => r.tokenAcc, 'token accuracy'),
      lr,
    };
  }

  async readCarry(): Promise<HostCarry> {
    if (this.carryToSend) return this.carryToSend;
    const parts = await this.pool.all<HostCarry>(this.ranges.map(() => ({ kind: 'get-carry' as const })));
    return joinRows(parts);
  }

  writeCarry(c: HostCarry): void {
    // Checked here, against the method's shapes for the full batch, before any shard sees it.
    disposeCarry(carryTensors(c, methodDef(this.method).carryShapes(this.parts.net, this.B)));
    this.carryToSend = c;
  }

  dispose(): void {
    void this.pool.close();
  }
}

export type ParallelSetup = { runner: StepRunner; workers: number } | { reason: string };

/**
 * The data-parallel step runner for config.workers > 1, or the reason it does not apply (the trainer
 * then runs the ordinary single-thread runner). Starts and initialises the workers.
 */
export async function parallelRunner(parts: TrainParts, config: RunConfig, backend: BackendInfo): Promise<ParallelSetup> {
  if (backend.name !== 'wasm' && backend.name !== 'cpu') {
    return { reason: `workers = ${config.workers} ignored: backend ${backend.name} already uses several cores; training in one thread` };
  }
  const k = Math.min(config.workers, config.batchSize);
  if (k < 2) return { reason: `workers = ${config.workers} ignored: batch ${config.batchSize} has too few rows to split; training in one thread` };
  const script = workerScript();
  if (!script) return { reason: `workers = ${config.workers} ignored: this build has no worker entry; training in one thread` };
  const { net } = parts;
  const init: InitRequest = {
    kind: 'init',
    backend: backend.name as ShardBackend,
    method: config.method,
    cfg: { method: config.method, model: config.model, dis: config.dis },
    spec: net.spec,
    params: await hostValues(net.trainable()),
    buffers: await hostValues(net.buffers()),
  };
  const ranges = shardRanges(config.batchSize, k);
  const pool = await ShardPool.start(script, ranges.map(() => init));
  return { runner: new ShardedRunner(parts, config, pool, ranges), workers: k };
}
