// TRM and DIS training with data-parallel gradient computation (opt-in: config.workers > 1 on a
// single-threaded backend). Each optimizer step the batch rows are split into k contiguous shards;
// shard worker k computes the supervision step of its rows (its own engine, a copy of the weights,
// the carry of its rows), the trainer thread combines the gradients into the full-batch gradient
// (combine.ts), applies the optimizer, the puzzle-row sign-SGD and the EMA once, here, exactly as
// supervisionStep does, and sends the new weights with the next step.
// Everything that draws random numbers or decides per row (the sampler, the halting rule, the DIS
// frames) stays here and runs in the single-thread order, so a run takes the same data and decisions;
// only float rounding differs (sums over rows are split). Checkpoints hold the full-batch carry in the
// single-thread layout, so a run may resume with another worker count.
import * as tf from '@tensorflow/tfjs';
import type { BackendInfo } from '../../../src-shared/engine/protocol';
import type { RunConfig } from '../../../src-shared/engine/run-config';
import { batchFrames, getTargetGenerator, type TargetContext, type TargetGenerator } from '../../../src-shared/engine/targets';
import type { Rng } from '../../../src-shared/prng';
import type { BatchSampler } from '../data/sampler';
import { stepWeight } from '../losses';
import type { TrainParts } from '../methods/supervision-step';
import { admitRows, haltRows, type TrmRows } from '../methods/trm';
import type { CarryState, StepRecord, TrainMethod } from '../methods/types';
import { learningRate } from '../optim/schedule';
import { combineShards, concatRows, shardRanges, type ShardRange } from './combine';
import { ShardPool, workerScript } from './pool';
import type { InitRequest, ShardBackend, ShardCarry, StepReply } from './protocol';

/** The current trainable weights as host arrays (sent to every shard each step). */
async function readWeights(parts: TrainParts): Promise<Record<string, Float32Array>> {
  const out: Record<string, Float32Array> = {};
  for (const [name, p] of parts.net.trainable()) out[name] = (await p.data()) as Float32Array;
  return out;
}

/** Per-shard slice of a row-major [B, width] array. */
function rowsOf<A extends Float32Array | Int32Array>(a: A, r: ShardRange, width: number): A {
  return a.slice(r.start * width, r.end * width) as A;
}

abstract class ParallelBase implements TrainMethod {
  protected readonly B: number;
  protected readonly S: number;
  protected readonly L: number;
  protected readonly D: number;
  /** optimizer steps taken (carry snapshots are tagged with it) */
  protected taken = 0;
  /** the full-batch carry as host arrays: pulled for a checkpoint or imported on resume */
  protected carry: { at: number; c: ShardCarry } | null = null;
  /** an imported carry the shards have not received yet */
  protected carryToSend = false;

  constructor(
    protected readonly parts: TrainParts,
    protected readonly config: RunConfig,
    protected readonly pool: ShardPool,
    protected readonly ranges: ShardRange[],
  ) {
    this.B = config.batchSize;
    this.S = parts.net.spec.seqLen;
    this.L = parts.net.totalLen;
    this.D = parts.net.spec.hidden;
  }

  abstract step(t: number): Promise<StepRecord>;
  abstract atBoundary(): boolean;
  abstract exportCarry(): Promise<CarryState | null>;
  abstract importCarry(c: CarryState): void;

  /** Per-shard pieces of the imported carry, once (the first step after a resume). */
  protected shardCarries(): Array<ShardCarry | null> {
    if (!this.carryToSend || !this.carry) return this.ranges.map(() => null);
    this.carryToSend = false;
    const c = this.carry.c;
    const LD = this.L * this.D;
    return this.ranges.map((r) => ({
      zH: rowsOf(c.zH, r, LD),
      zL: rowsOf(c.zL, r, LD),
      ...(c.cur && c.inputs && c.labels ? { cur: rowsOf(c.cur, r, this.S), inputs: rowsOf(c.inputs, r, this.S), labels: rowsOf(c.labels, r, this.S) } : {}),
    }));
  }

  /** Combine the shards' gradients and update the weights, puzzle rows and EMA (supervisionStep step 4). */
  protected applyUpdate(replies: StepReply[], puzzleIds: Int32Array, t: number): { lm: number; qHaltLoss: number | null; lr: number } {
    const { net, table, optimizer, ema, opt } = this.parts;
    const lr = learningRate(opt.lr, opt.warmupSteps, t);
    const combined = combineShards(replies, this.ranges, this.B);
    const params = net.trainable() as Array<[string, tf.Variable]>;
    const grads: Record<string, tf.Tensor | null> = {};
    for (const [name, p] of params) {
      const g = combined.grads[name];
      grads[name] = g ? tf.tensor(g, p.shape) : null;
    }
    optimizer.step(params, grads, lr);
    if (table && combined.rowsGrad) {
      table.signSgd(puzzleIds, combined.rowsGrad, learningRate(opt.puzzleEmbLr, opt.warmupSteps, t), opt.puzzleEmbWeightDecay);
    }
    for (const g of Object.values(grads)) g?.dispose();
    ema?.update(params, t);
    // Network calls are per step, not per row: every shard makes the same calls; count them once.
    const calls = replies[0]!.calls;
    net.counter.grad += calls.grad;
    net.counter.noGrad += calls.noGrad;
    return { lm: combined.lm, qHaltLoss: combined.qHaltLoss, lr };
  }

  protected common(k: number, weights: Record<string, Float32Array>, puzzleIds: Int32Array, carries: Array<ShardCarry | null>) {
    const r = this.ranges[k]!;
    const table = this.parts.table;
    return {
      weights,
      rows: r.end - r.start,
      puzzleIds: puzzleIds.slice(r.start, r.end),
      puzzleRows: table ? rowsOf(table.gather(puzzleIds), r, table.dim) : null,
      carry: carries[k] ?? null,
    };
  }

  /** The shards' carries joined into the full batch, for exportCarry. */
  async pullCarry(): Promise<void> {
    if (this.atBoundary() || this.carry?.at === this.taken) return;
    const parts = await this.pool.all<ShardCarry>(this.ranges.map(() => ({ kind: 'get-carry' as const })));
    const join = <A extends Float32Array | Int32Array>(pick: (c: ShardCarry) => A | undefined, make: (n: number) => A): A | undefined => {
      const arrays = parts.map(pick);
      if (arrays.some((a) => a === undefined)) return undefined;
      const out = make(arrays.reduce((n, a) => n + a!.length, 0));
      let at = 0;
      for (const a of arrays) {
        out.set(a!, at);
        at += a!.length;
      }
      return out;
    };
    const f32 = (n: number) => new Float32Array(n);
    const i32 = (n: number) => new Int32Array(n);
    const c: ShardCarry = { zH: join((p) => p.zH, f32)!, zL: join((p) => p.zL, f32)! };
    const cur = join((p) => p.cur, i32);
    const inputs = join((p) => p.inputs, i32);
    const labels = join((p) => p.labels, i32);
    if (cur && inputs && labels) Object.assign(c, { cur, inputs, labels });
    this.carry = { at: this.taken, c };
  }

  /** The carry pulled at this step (pullCarry must run first). */
  protected currentCarry(): ShardCarry {
    if (!this.carry || this.carry.at !== this.taken) throw new Error('data-parallel training: the carry was not pulled from the workers before the checkpoint');
    return this.carry.c;
  }

  dispose(): void {
    void this.pool.close();
  }
}

class ParallelTrm extends ParallelBase {
  private readonly rows: TrmRows;

  constructor(
    parts: TrainParts,
    config: RunConfig,
    pool: ShardPool,
    ranges: ShardRange[],
    private readonly sampler: BatchSampler,
    private readonly haltRng: Rng,
  ) {
    super(parts, config, pool, ranges);
    const { B, S } = this;
    this.rows = { steps: new Int32Array(B), halted: new Uint8Array(B).fill(1), inputs: new Int32Array(B * S), labels: new Int32Array(B * S), puzzleIds: new Int32Array(B) };
  }

  atBoundary(): boolean {
    return this.rows.halted.every((h) => h === 1);
  }

  async step(t: number): Promise<StepRecord> {
    const { B, S, rows } = this;
    const { reset, started } = admitRows(this.sampler.next(), rows, S);
    const weights = await readWeights(this.parts);
    const carries = this.shardCarries();
    const replies = await this.pool.all<StepReply>(
      this.ranges.map((r, k) => {
        const shardReset = reset.slice(r.start, r.end);
        return {
          kind: 'trm-step' as const,
          ...this.common(k, weights, rows.puzzleIds, carries),
          tokens: rowsOf(rows.inputs, r, S),
          labels: rowsOf(rows.labels, r, S),
          reset: shardReset,
          started: shardReset.reduce((a, x) => a + x, 0),
        };
      }),
    );
    const { lm, qHaltLoss, lr } = this.applyUpdate(replies, rows.puzzleIds, t);
    this.taken++;
    const q = concatRows(replies.map((r) => r.q), B, 'TRM q_halt');
    const { finished, finishedRows } = haltRows(rows, q, this.config, this.haltRng);
    const correct = concatRows(replies.map((r) => r.correct), B, 'TRM exact match');
    const tokenAcc = concatRows(replies.map((r) => r.tokenAcc), B, 'TRM token accuracy');
    let exact = 0;
    let acc = 0;
    for (let b = 0; b < B; b++) {
      exact += (finished[b] as number) * (correct[b] as number);
      acc += (finished[b] as number) * (tokenAcc[b] as number);
    }
    return { lm: tf.scalar(lm), qHalt: tf.scalar(qHaltLoss ?? NaN), exactSum: tf.scalar(exact), tokenAccSum: tf.scalar(acc), finishedRows, started, lr };
  }

  async exportCarry(): Promise<CarryState | null> {
    if (this.atBoundary()) return null;
    const c = this.currentCarry();
    const r = this.rows;
    return {
      json: { method: 'trm' },
      arrays: {
        'carry/zH': c.zH,
        'carry/zL': c.zL,
        'carry/steps': r.steps.slice(),
        'carry/halted': Int32Array.from(r.halted),
        'carry/inputs': r.inputs.slice(),
        'carry/labels': r.labels.slice(),
        'carry/puzzleIds': r.puzzleIds.slice(),
      },
    };
  }

  importCarry(c: CarryState): void {
    const { B, S, L, D } = this;
    const need = (k: string, len: number) => {
      const v = c.arrays[k];
      if (!v || v.length !== len) throw new Error(`checkpoint carry ${k} is missing or does not fit batch ${B}`);
      return v;
    };
    const zH = Float32Array.from(need('carry/zH', B * L * D));
    const zL = Float32Array.from(need('carry/zL', B * L * D));
    this.rows.steps.set(need('carry/steps', B));
    this.rows.halted.set(need('carry/halted', B));
    this.rows.inputs.set(need('carry/inputs', B * S));
    this.rows.labels.set(need('carry/labels', B * S));
    this.rows.puzzleIds.set(need('carry/puzzleIds', B));
    this.carry = { at: this.taken, c: { zH, zL } };
    this.carryToSend = true;
  }
}

class ParallelDis extends ParallelBase {
  private readonly gen: TargetGenerator;
  private frames: Int32Array[] = [];
  private puzzleIds: Int32Array = new Int32Array(0);
  private inputs: Int32Array = new Int32Array(0);
  private labels: Int32Array = new Int32Array(0);
  /** supervision step of the running trajectory, 1..N_sup; 0 = none running */
  private s = 0;

  constructor(
    parts: TrainParts,
    config: RunConfig,
    pool: ShardPool,
    ranges: ShardRange[],
    private readonly sampler: BatchSampler,
    private readonly targetRng: Rng,
    private readonly ctx: TargetContext,
  ) {
    super(parts, config, pool, ranges);
    this.gen = getTargetGenerator(config.dis.targets);
  }

  atBoundary(): boolean {
    return this.s === 0;
  }

  async step(t: number): Promise<StepRecord> {
    const { B, S, config } = this;
    const Nsup = config.model.Nsup;
    let started = 0;
    let start = false;
    if (this.s === 0) {
      const batch = this.sampler.next();
      this.frames = batchFrames(this.gen, batch.inputs, batch.labels, B, S, Nsup, this.targetRng, this.ctx, { eligibility: config.dis.eligibility });
      this.inputs = batch.inputs.slice();
      this.labels = batch.labels.slice();
      this.puzzleIds = batch.puzzleIds.slice();
      this.s = 1;
      started = B;
      start = true;
    }
    const s = this.s;
    const last = s === Nsup;
    const w = stepWeight(config.dis.stepWeights, s, Nsup);
    const frame = this.frames[s] as Int32Array;
    const weights = await readWeights(this.parts);
    const carries = this.shardCarries();
    const replies = await this.pool.all<StepReply>(
      this.ranges.map((r, k) => ({
        kind: 'dis-step' as const,
        ...this.common(k, weights, this.puzzleIds, carries),
        start: start ? { inputs: rowsOf(this.inputs, r, S), labels: rowsOf(this.labels, r, S) } : null,
        target: rowsOf(frame, r, S),
        s,
        w,
        last,
      })),
    );
    const { lm, lr } = this.applyUpdate(replies, this.puzzleIds, t);
    this.taken++;
    let exact = 0;
    let acc = 0;
    if (last) {
      for (const v of concatRows(replies.map((r) => r.correct), B, 'DIS exact match')) exact += v;
      for (const v of concatRows(replies.map((r) => r.tokenAcc), B, 'DIS token accuracy')) acc += v;
      this.s = 0;
      this.carry = null;
    } else {
      this.s = s + 1;
    }
    return { lm: tf.scalar(lm), qHalt: null, exactSum: tf.scalar(exact), tokenAccSum: tf.scalar(acc), finishedRows: last ? B : 0, started, lr };
  }

  async exportCarry(): Promise<CarryState | null> {
    if (this.s === 0) return null;
    const c = this.currentCarry();
    const frames = new Int32Array(this.frames.length * this.B * this.S);
    this.frames.forEach((f, i) => frames.set(f, i * this.B * this.S));
    return {
      json: { method: 'dis', s: this.s },
      arrays: {
        'carry/zH': c.zH,
        'carry/zL': c.zL,
        'carry/cur': c.cur!,
        'carry/inputs': this.inputs.slice(),
        'carry/labels': this.labels.slice(),
        'carry/puzzleIds': this.puzzleIds.slice(),
        'carry/frames': frames,
      },
    };
  }

  importCarry(c: CarryState): void {
    const { B, S, L, D } = this;
    const Nsup = this.config.model.Nsup;
    const s = c.json['s'];
    if (c.json['method'] !== 'dis' || typeof s !== 'number' || !Number.isInteger(s) || s < 1 || s > Nsup) {
      throw new Error('checkpoint carry is not a DIS trajectory state');
    }
    const get = (k: string, len: number) => {
      const v = c.arrays[k];
      if (!v || v.length !== len) throw new Error(`checkpoint carry ${k} is missing or does not fit batch ${B}`);
      return v;
    };
    const zH = Float32Array.from(get('carry/zH', B * L * D));
    const zL = Float32Array.from(get('carry/zL', B * L * D));
    const cur = Int32Array.from(get('carry/cur', B * S));
    this.inputs = Int32Array.from(get('carry/inputs', B * S));
    this.labels = Int32Array.from(get('carry/labels', B * S));
    this.puzzleIds = Int32Array.from(get('carry/puzzleIds', B));
    const frames = get('carry/frames', (Nsup + 1) * B * S) as Int32Array;
    this.frames = Array.from({ length: Nsup + 1 }, (_, i) => frames.slice(i * B * S, (i + 1) * B * S));
    this.carry = { at: this.taken, c: { zH, zL, cur, inputs: this.inputs, labels: this.labels } };
    this.carryToSend = true;
    this.s = s;
  }
}

export type ParallelSetup = { method: TrainMethod; workers: number } | { reason: string };

/**
 * The data-parallel method for config.workers > 1, or the reason it does not apply (the trainer then
 * runs the ordinary single-thread method). Starts and initialises the workers.
 */
export async function parallelMethod(
  parts: TrainParts,
  config: RunConfig,
  backend: BackendInfo,
  sampler: BatchSampler,
  rng: { halting: Rng; targets: Rng },
  ctx: TargetContext,
): Promise<ParallelSetup> {
  if (config.method === 'hrm') return { reason: `workers = ${config.workers} ignored: data-parallel shards run TRM and DIS steps only; HRM trains in one thread` };
  if (backend.name !== 'wasm' && backend.name !== 'cpu') {
    return { reason: `workers = ${config.workers} ignored: backend ${backend.name} already uses several cores; training in one thread` };
  }
  const k = Math.min(config.workers, config.batchSize);
  if (k < 2) return { reason: `workers = ${config.workers} ignored: batch ${config.batchSize} has too few rows to split; training in one thread` };
  const script = workerScript();
  if (!script) return { reason: `workers = ${config.workers} ignored: this build has no worker entry (data-parallel training runs from the TypeScript sources, e.g. the CLI); training in one thread` };
  const { net } = parts;
  const params: Record<string, Float32Array> = {};
  for (const [name, p] of net.trainable()) params[name] = (await p.data()) as Float32Array;
  const init: InitRequest = {
    kind: 'init',
    backend: backend.name as ShardBackend,
    spec: net.spec,
    params,
    buffers: { H_init: (await net.hInit.data()) as Float32Array, L_init: (await net.lInit.data()) as Float32Array },
    method: config.method,
    T: config.model.T,
    n: config.model.n,
    xSource: config.dis.xSource,
  };
  const ranges = shardRanges(config.batchSize, k);
  const pool = await ShardPool.start(script, ranges.map(() => init));
  const method = config.method === 'trm' ? new ParallelTrm(parts, config, pool, ranges, sampler, rng.halting) : new ParallelDis(parts, config, pool, ranges, sampler, rng.targets, ctx);
  return { method, workers: k };
}
