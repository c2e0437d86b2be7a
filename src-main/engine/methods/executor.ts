// The one step executor. Every supervision step of every method runs through `supervisionStep` —
// local training, each data-parallel shard (parallel/shard-worker.ts), puzzle-embedding adaptation —
// and every gradient-free step through `inferenceStep` (evaluation, inference). One supervision step
// is one optimizer step (docs/method-notes.md, "One supervision step"):
//
//   1. The method's no-grad part runs OUTSIDE the gradient tape (tfjs has no torch.no_grad or detach:
//      only ops run inside the closure given to engine.gradients are recorded).
//   2. Inside the tape: x is rebuilt (so gradients reach the embeddings, the step table and the
//      puzzle rows), then the method's gradient part, the heads and the loss.
//   3. The new carry leaves the tape as fresh tensors (kept clones), i.e. detached: no gradient
//      crosses supervision steps. Entries the method derives from the prediction (DIS re-feeding)
//      are computed after the tape.
//   4. `applyUpdate`: the weight optimizer, sign-SGD on the touched puzzle rows (their gradient is the
//      tape's input gradient of the gathered [B, dim] rows), both at the warm-up LR, then the EMA.
//
// `RowCarry` holds the carry of a block of batch rows between steps (the whole batch on this thread,
// or one shard's rows in a worker); `LocalRunner` is the trainer's step runner on this thread
// (parallel/runner.ts is the one over shard workers).
import * as tf from '@tensorflow/tfjs';
import { exactMatch } from '../losses';
import type { PuzzleTable } from '../model/puzzle-table';
import { learningRate } from '../optim/schedule';
import { stepInMicroBatches } from '../micro-batch';
import { carryTensors, disposeCarry, readCarry, type HostCarry } from './carry';
import type { Carry, MethodConfig, MethodDef, RecursiveNet, StepBatch, StepLoss, TrainParts } from './method';

/** The puzzle rows of a batch as a [B, dim] tensor, or null without a table. */
export function gatherRows(table: Pick<PuzzleTable, 'gather' | 'dim'> | null, ids: ArrayLike<number>): tf.Tensor2D | null {
  return table ? tf.tensor2d(table.gather(ids), [ids.length, table.dim]) : null;
}

/** Everything a step hands back; the caller owns (and disposes) every tensor. */
export interface StepResult {
  /** gradient per trainable parameter (null when the loss does not depend on it); empty when the weights were frozen */
  grads: Record<string, tf.Tensor | null>;
  /** gradient of the gathered puzzle rows [B, dim], or null */
  rowsGrad: tf.Tensor | null;
  /** the new carry, detached */
  carry: Carry;
  logits: tf.Tensor3D;
  /** Q logits [B, 2] */
  q: tf.Tensor2D;
  loss: StepLoss;
}

function cloneAll(c: Carry, keep: boolean): Carry {
  const out: Carry = {};
  for (const [k, t] of Object.entries(c)) out[k] = keep ? tf.keep(t.clone()) : t.clone();
  return out;
}

/** The carry a trajectory starts from for the rows with these inputs, as tensors owned by the caller. */
export function freshCarry<N extends RecursiveNet>(m: MethodDef<N>, net: N, tokens: tf.Tensor2D, cfg: MethodConfig): Carry {
  return tf.tidy(() => cloneAll(m.initialCarry(net, tokens, cfg), false) as unknown as tf.TensorContainer) as unknown as Carry;
}

/**
 * One supervision step of method `m` from `carry` (not disposed). Gradients of the loss with respect
 * to every trainable weight (unless `withWeights` is false: adaptation with a frozen network) and to
 * the puzzle rows (when given). Nothing is applied here: see applyUpdate.
 */
export function supervisionStep<N extends RecursiveNet>(
  m: MethodDef<N>,
  net: N,
  cfg: MethodConfig,
  carry: Carry,
  batch: StepBatch,
  rows: tf.Tensor2D | null,
  withWeights = true,
): StepResult {
  // 1. Without gradient.
  const pre = tf.tidy(() => {
    let x: tf.Tensor3D | null = null;
    const lazyX = () => (x ??= m.input(net, carry, batch.tokens, batch.s, rows, cfg));
    // Clones, so the result never aliases the caller's carry.
    return cloneAll(m.noGrad(net, carry, lazyX, cfg), false) as unknown as tf.TensorContainer;
  }) as unknown as Carry;

  // 2. On the tape.
  const params = withWeights ? net.trainable() : [];
  const xs: tf.Tensor[] = params.map(([, p]) => p);
  if (rows) xs.push(rows);
  let kept: Omit<StepResult, 'grads' | 'rowsGrad'> | null = null;
  let grads: tf.Tensor[];
  try {
    const g = tf.engine().gradients(
      () => {
        const x = m.input(net, pre, batch.tokens, batch.s, rows, cfg);
        const c = m.withGrad(net, pre, x, cfg);
        const readout = m.readout(net, c);
        const l = m.loss({ net, x, carry: c, readout, batch }, cfg);
        // 3. Clones leave the tape as new tensor objects: the detached carry and the readouts.
        kept = {
          carry: cloneAll(c, true),
          logits: tf.keep(readout.logits.clone()),
          q: tf.keep(readout.q.clone()),
          loss: { total: tf.keep(l.total.clone()), lm: tf.keep(l.lm.clone()), qHalt: l.qHalt ? tf.keep(l.qHalt.clone()) : null, qContinue: l.qContinue ? tf.keep(l.qContinue.clone()) : null },
        };
        return l.total;
      },
      xs,
      undefined,
      true,
    );
    g.value.dispose();
    grads = g.grads;
  } finally {
    disposeCarry(pre);
  }
  if (!kept) throw new Error(`${m.name} supervision step: the loss function did not run`);
  const out = kept as Omit<StepResult, 'grads' | 'rowsGrad'>;
  const derived = tf.tidy(() => m.afterStep(out.logits, cfg) as unknown as tf.TensorContainer) as unknown as Carry;
  for (const [k, t] of Object.entries(derived)) {
    out.carry[k]?.dispose();
    out.carry[k] = t;
  }
  const byName: Record<string, tf.Tensor | null> = {};
  params.forEach(([name], i) => (byName[name] = grads[i] ?? null));
  return { grads: byName, rowsGrad: rows ? (grads[params.length] ?? null) : null, ...out };
}

/**
 * Step 4: the weight optimizer, sign-SGD on the batch's puzzle rows and the EMA, at optimizer step t.
 * `rowsGrad` is the rows' gradient [B·dim] (a tensor, read here after the weight update is queued, or
 * host values). Returns the learning rate used.
 */
export async function applyUpdate<N extends RecursiveNet>(
  parts: TrainParts<N>,
  grads: Record<string, tf.Tensor | null>,
  rowsGrad: tf.Tensor | Float32Array | null,
  puzzleIds: Int32Array,
  t: number,
): Promise<number> {
  const { net, table, optimizer, ema, opt } = parts;
  const lr = learningRate(opt.lr, opt.warmupSteps, t);
  const params = net.trainable() as Array<[string, tf.Variable]>;
  optimizer.step(params, grads, lr);
  if (table && rowsGrad) {
    const g = rowsGrad instanceof Float32Array ? rowsGrad : ((await rowsGrad.data()) as Float32Array);
    table.signSgd(puzzleIds, g, learningRate(opt.puzzleEmbLr, opt.warmupSteps, t), opt.puzzleEmbWeightDecay);
  }
  ema?.update(params, t);
  return lr;
}

/**
 * A whole supervision step without gradient (evaluation, inference), from `carry` with input x. Call
 * inside tf.tidy. `lu` is the guidance readout ℓ_u: the heads on the carry as it was after the
 * no-grad part, i.e. z_H entering the step's final H-update (docs/method-notes.md, "Guidance").
 */
export function inferenceStep<N extends RecursiveNet>(
  m: MethodDef<N>,
  net: N,
  cfg: MethodConfig,
  carry: Carry,
  x: tf.Tensor3D,
  withLu: boolean,
): { carry: Carry; logits: tf.Tensor3D; q: tf.Tensor2D; lu: tf.Tensor3D | null } {
  const before = m.noGrad(net, carry, () => x, cfg);
  const after = m.withGrad(net, before, x, cfg);
  const r = m.readout(net, after);
  return { carry: { ...after, ...m.afterStep(r.logits, cfg) }, logits: r.logits, q: r.q, lu: withLu ? m.readout(net, before).logits : null };
}

/** One step's data for a block of rows, as host arrays (row-major, `count` rows). */
export interface HostRows {
  count: number;
  /** int32 [count·S] puzzle inputs */
  tokens: Int32Array;
  /** int32 [count·S] this step's target */
  target: Int32Array;
  /** the FINAL labels to score the rows against this step, or null (no per-row metrics) */
  labels: Int32Array | null;
  /** 1 = the row restarts from the initial carry at this step; null = none does */
  reset: Float32Array | null;
  s: number;
  w: number;
}

/** A step on a block of rows: gradients and readouts, owned by the caller. */
export interface RowsStep {
  grads: Record<string, tf.Tensor | null>;
  rowsGrad: tf.Tensor | null;
  lm: tf.Scalar;
  qHaltLoss: tf.Scalar | null;
  /** HRM's Q-continue loss, else null */
  qContinueLoss: tf.Scalar | null;
  /** the halting signal per row [count]: q_halt logits, or the method's haltSignal (HRM: q_halt − q_continue) */
  qHalt: tf.Tensor1D;
  /** per-row exact match and token accuracy against `labels`, when given */
  correct: tf.Tensor1D | null;
  tokenAcc: tf.Tensor1D | null;
}

/** The carry of a block of batch rows between supervision steps, and the steps on those rows. */
export class RowCarry<N extends RecursiveNet> {
  private carry: Carry | null = null;

  constructor(
    readonly method: MethodDef<N>,
    readonly net: N,
    readonly cfg: MethodConfig,
    /** rows per micro-batch of a step (micro-batch.ts); absent = the whole block at once */
    readonly microBatchRows?: number,
  ) {}

  /** Replace the carry by host values for `count` rows (a resumed checkpoint). */
  set(host: HostCarry, count: number): void {
    const next = carryTensors(host, this.method.carryShapes(this.net, count));
    disposeCarry(this.carry);
    this.carry = next;
  }

  async get(): Promise<HostCarry> {
    if (!this.carry) throw new Error(`${this.method.name}: no carry to read (no step taken and none restored)`);
    return readCarry(this.carry);
  }

  /** Rows marked in `reset` (all rows when there is no carry yet) restart from the initial carry. */
  private restart(tokens: tf.Tensor2D, reset: Float32Array | null): void {
    const B = tokens.shape[0];
    const current = this.carry;
    const all = !current || (reset !== null && reset.every((r) => r === 1));
    if (!all && (!reset || !reset.some((r) => r === 1))) return;
    const next = tf.tidy(() => {
      const init = this.method.initialCarry(this.net, tokens, this.cfg);
      if (all || !current) return cloneAll(init, false) as unknown as tf.TensorContainer;
      const mask = tf.cast(tf.tensor1d(reset!), 'bool');
      const out: Carry = {};
      for (const [k, t] of Object.entries(current)) {
        const m = tf.reshape(mask, [B, ...t.shape.slice(1).map(() => 1)]);
        const i = init[k];
        if (!i) throw new Error(`${this.method.name}: the initial carry has no ${k}`);
        out[k] = tf.where(m, i, t);
      }
      return out as unknown as tf.TensorContainer;
    }) as unknown as Carry;
    disposeCarry(this.carry);
    this.carry = next;
  }

  /** One supervision step on these rows with their puzzle rows [count, dim] (or null); the carry advances. */
  step(h: HostRows, rows: tf.Tensor2D | null): RowsStep {
    const B = h.count;
    const S = h.tokens.length / B;
    const tokens = tf.tensor2d(h.tokens, [B, S], 'int32');
    const target = tf.tensor2d(h.target, [B, S], 'int32');
    try {
      this.restart(tokens, h.reset);
      const out = stepInMicroBatches(this.method, this.net, this.cfg, this.carry!, { tokens, target, s: h.s, w: h.w }, rows, this.microBatchRows);
      disposeCarry(this.carry);
      this.carry = out.carry;
      const scored = h.labels
        ? tf.tidy(() => {
            const labels = h.labels === h.target ? target : tf.tensor2d(h.labels!, [B, S], 'int32');
            const m = exactMatch(out.logits, labels);
            return { correct: m.correct, tokenAcc: m.tokenAcc };
          })
        : null;
      const signal = this.method.haltSignal;
      const qHalt = tf.tidy(() => (signal ? signal(out.q) : (tf.reshape(tf.slice(out.q, [0, 0], [B, 1]), [B]) as tf.Tensor1D)));
      tf.dispose([out.logits, out.q, out.loss.total]);
      return {
        grads: out.grads,
        rowsGrad: out.rowsGrad,
        lm: out.loss.lm,
        qHaltLoss: out.loss.qHalt,
        qContinueLoss: out.loss.qContinue ?? null,
        qHalt,
        correct: scored?.correct ?? null,
        tokenAcc: scored?.tokenAcc ?? null,
      };
    } finally {
      tokens.dispose();
      target.dispose();
    }
  }

  dispose(): void {
    disposeCarry(this.carry);
    this.carry = null;
  }
}

/** One optimizer step's data for the whole batch. */
export interface HostStep extends HostRows {
  puzzleIds: Int32Array;
}

/** One optimizer step's readouts on the trainer thread; the caller disposes the tensors. */
export interface StepOutcome {
  lm: tf.Scalar;
  qHaltLoss: tf.Scalar | null;
  /** HRM's Q-continue loss, else null or absent */
  qContinueLoss?: tf.Scalar | null;
  /** the halting signal [B] (q_halt logits; HRM: q_halt − q_continue) */
  qHalt: tf.Tensor1D;
  correct: tf.Tensor1D | null;
  tokenAcc: tf.Tensor1D | null;
  lr: number;
}

/** Where a training loop's steps run: this thread (LocalRunner) or data-parallel shards (parallel/runner.ts). */
export interface StepRunner {
  /** the method whose steps it runs */
  readonly method: string;
  /** one supervision step + optimizer step; t is the optimizer step (1-based) */
  step(h: HostStep, t: number): Promise<StepOutcome>;
  /** the full batch's carry on the host (for a checkpoint) */
  readCarry(): Promise<HostCarry>;
  /** the full batch's carry from a checkpoint, used from the next step */
  writeCarry(c: HostCarry): void;
  dispose(): void;
}

export class LocalRunner<N extends RecursiveNet> implements StepRunner {
  private readonly rows: RowCarry<N>;
  readonly method: string;

  constructor(
    private readonly parts: TrainParts<N>,
    method: MethodDef<N>,
    cfg: MethodConfig,
    private readonly B: number,
  ) {
    this.rows = new RowCarry(method, parts.net, cfg, parts.microBatchRows);
    this.method = method.name;
  }

  async step(h: HostStep, t: number): Promise<StepOutcome> {
    const puzzleRows = gatherRows(this.parts.table, h.puzzleIds);
    try {
      const r = this.rows.step(h, puzzleRows);
      const lr = await applyUpdate(this.parts, r.grads, r.rowsGrad, h.puzzleIds, t);
      tf.dispose([...Object.values(r.grads).filter((g): g is tf.Tensor => g !== null), ...(r.rowsGrad ? [r.rowsGrad] : [])]);
      return { lm: r.lm, qHaltLoss: r.qHaltLoss, qContinueLoss: r.qContinueLoss, qHalt: r.qHalt, correct: r.correct, tokenAcc: r.tokenAcc, lr };
    } finally {
      puzzleRows?.dispose();
    }
  }

  readCarry(): Promise<HostCarry> {
    return this.rows.get();
  }

  writeCarry(c: HostCarry): void {
    this.rows.set(c, this.B);
  }

  dispose(): void {
    this.rows.dispose();
  }
}
