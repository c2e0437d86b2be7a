// TRM, Tiny Recursive Models (docs/method-notes.md, "TRM"). Names as in the paper and the code:
// x the input embedding, z_H the answer state ("y"), z_L the latent reasoning state ("z"), T cycles of
// n latent updates, N_sup supervision steps, one network `net`.
//
// One supervision step (run by executor.ts):
//   x = √D · concat(puzzle_prefix, tok_emb(inputs))
//   without gradient, T − 1 times:  for i in 1..n: z_L ← net(z_L, z_H + x);  z_H ← net(z_H, z_L)
//   with gradient, once more the same cycle
//   logits = lm_head(z_H),  (q_halt, q_continue) = q_head(z_H[:, 0])
//   loss = lm_loss(logits, y_true) + 0.5 · BCE(q_halt, exact(logits, y_true))
// The carry (z_H, z_L) is detached between steps and starts from H_init/L_init.
//
// Training (TrmTraining): B rows with their own supervision depth. Each optimizer step a new loader
// batch arrives; rows that halted at the previous step restart from H_init/L_init and take the
// corresponding row of that batch, the others keep their data (the rest of the batch is dropped).
//   halted = steps ≥ N_sup OR (q_halt > 0 AND steps ≥ min_steps)      (training only, halting on)
// with min_steps ~ U{2..N_sup} with probability exploreProb per row per step, else 0. With halting
// off every trajectory runs exactly N_sup steps. The loss targets are the rows' FINAL labels.
import * as tf from '@tensorflow/tfjs';
import type { RunConfig } from '../../../src-shared/method/run-config';
import type { Rng } from '../../../src-shared/prng';
import type { BatchSampler } from '../data/sampler';
import { exactMatch, lmLoss, qHaltLoss } from '../losses';
import { TrmNet } from '../model/trm';
import { withoutGradient } from '../ops/stop-gradient';
import { decodeCarry, encodeCarry } from './carry';
import { LocalRunner, type StepRunner } from './executor';
import type { Carry, CarryShapes, MethodConfig, MethodDef, StepLoss, TrainParts } from './method';
import type { CarryState, StepRecord, TrainMethod } from './types';

/** `count` cycles of n latent updates and one answer update from (z_H, z_L); the carry's other entries pass through. */
export function cycles(net: TrmNet, carry: Carry, x: tf.Tensor3D, count: number, n: number): Carry {
  let zH = carry['zH'] as tf.Tensor3D;
  let zL = carry['zL'] as tf.Tensor3D;
  for (let c = 0; c < count; c++) ({ zH, zL } = net.cycle(zH, zL, x, n));
  return { ...carry, zH, zL };
}

/** lm_head(z_H) and q_head(z_H[:, 0]). */
export function readHeads(net: TrmNet, carry: Carry): { logits: tf.Tensor3D; q: tf.Tensor2D } {
  const zH = carry['zH'] as tf.Tensor3D;
  return { logits: net.logits(zH), q: net.qHead(zH) };
}

/** The carry (z_H, z_L) = (H_init, L_init) at every position of B rows. */
export function startCarry(net: TrmNet, B: number): Carry {
  return net.initialCarry(B);
}

export function latentShapes(net: TrmNet, B: number): CarryShapes {
  const shape = [B, net.totalLen, net.spec.hidden];
  return { zH: { shape, dtype: 'float32' }, zL: { shape, dtype: 'float32' } };
}

/** q_halt logits [B] from the Q head's [B, 2]. */
export function haltLogits(q: tf.Tensor2D): tf.Tensor1D {
  const B = q.shape[0];
  return tf.reshape(tf.slice(q, [0, 0], [B, 1]), [B]) as tf.Tensor1D;
}

/** lm_loss(logits, labels) + 0.5 · BCE(q_halt, exact): labels are the rows' FINAL labels. */
export function trmLoss(logits: tf.Tensor3D, q: tf.Tensor2D, labels: tf.Tensor2D): StepLoss {
  const lm = lmLoss(logits, labels);
  // seq_is_correct: a target, computed without gradient (its ops have none in tfjs anyway).
  const exact = withoutGradient(logits, (l) => exactMatch(l as tf.Tensor3D, labels).correct);
  const qh = qHaltLoss(haltLogits(q), exact);
  return { total: tf.add(lm, tf.mul(qh, 0.5)) as tf.Scalar, lm, qHalt: qh };
}

export const TRM: MethodDef<TrmNet> = {
  name: 'trm',
  createNet: (spec, params, buffers) => TrmNet.create(spec, params, buffers),
  carryShapes: latentShapes,
  initialCarry: (net, tokens) => startCarry(net, tokens.shape[0]),
  input: (net, _carry, tokens, _s, rows) => net.inputEmbedding(tokens, rows, null),
  fixedInput: () => true,
  noGrad: (net, carry, x, cfg: MethodConfig) => (cfg.model.T > 1 ? cycles(net, carry, x(), cfg.model.T - 1, cfg.model.n) : carry),
  withGrad: (net, carry, x, cfg) => cycles(net, carry, x, 1, cfg.model.n),
  readout: readHeads,
  afterStep: () => ({}),
  loss: ({ readout, batch }) => trmLoss(readout.logits, readout.q, batch.target),
  train: (s) => new TrmTraining(s.parts, s.config, s.sampler, s.rng.halting, s.runner),
};

/** The host-side row state of TRM training (the carry tensors live with the step runner). */
export interface TrmRows {
  /** supervision steps taken by each row's trajectory */
  steps: Int32Array;
  /** 1 where the row's trajectory has ended (the row takes new data at the next step) */
  halted: Uint8Array;
  inputs: Int32Array;
  labels: Int32Array;
  puzzleIds: Int32Array;
}

/** Halted rows take the corresponding row of the new batch; returns the reset mask and their count. */
export function admitRows(batch: { inputs: Int32Array; labels: Int32Array; puzzleIds: Int32Array }, r: TrmRows, S: number): { reset: Float32Array; started: number } {
  const B = r.halted.length;
  const reset = new Float32Array(B);
  let started = 0;
  for (let b = 0; b < B; b++) {
    if (!r.halted[b]) continue;
    r.inputs.set(batch.inputs.subarray(b * S, (b + 1) * S), b * S);
    r.labels.set(batch.labels.subarray(b * S, (b + 1) * S), b * S);
    r.puzzleIds[b] = batch.puzzleIds[b] as number;
    r.steps[b] = 0;
    reset[b] = 1;
    started++;
  }
  return { reset, started };
}

/**
 * Counts the step of every row and applies the halting rule with the rows' q_halt logits, in row
 * order (the exploration draws come from haltRng in that order). Returns the rows that finished.
 */
export function haltRows(r: TrmRows, q: ArrayLike<number>, config: RunConfig, haltRng: Rng): { finished: Float32Array; finishedRows: number } {
  const B = r.halted.length;
  const Nsup = config.model.Nsup;
  const explore = config.halting.enabled && Nsup > 1;
  const finished = new Float32Array(B);
  let finishedRows = 0;
  for (let b = 0; b < B; b++) {
    r.steps[b] = (r.steps[b] as number) + 1;
    const steps = r.steps[b] as number;
    let halt = steps >= Nsup;
    if (explore) {
      const minSteps = haltRng.chance(config.halting.exploreProb) ? haltRng.int(2, Nsup) : 0;
      halt = halt || ((q[b] as number) > 0 && steps >= minSteps);
    }
    r.halted[b] = halt ? 1 : 0;
    if (halt) {
      finished[b] = 1;
      finishedRows++;
    }
  }
  return { finished, finishedRows };
}

/**
 * TRM's training loop (ACT halting per row). Also the loop of any method that trains like TRM, given
 * a runner for that method: the method only changes what one step computes.
 */
export class TrmTraining implements TrainMethod {
  private readonly rows: TrmRows;
  private readonly B: number;
  private readonly S: number;

  constructor(
    parts: TrainParts,
    private readonly config: RunConfig,
    private readonly sampler: BatchSampler,
    /** exploration draws of the halting rule */
    private readonly haltRng: Rng,
    private readonly runner: StepRunner = new LocalRunner(parts, TRM, config, config.batchSize),
  ) {
    this.B = config.batchSize;
    this.S = parts.net.spec.seqLen;
    const { B, S } = this;
    this.rows = { steps: new Int32Array(B), halted: new Uint8Array(B).fill(1), inputs: new Int32Array(B * S), labels: new Int32Array(B * S), puzzleIds: new Int32Array(B) };
  }

  atBoundary(): boolean {
    return this.rows.halted.every((h) => h === 1);
  }

  /** Rows are always at different depths: a checkpoint saves the carry and never waits. */
  canCheckpoint(): boolean {
    return true;
  }

  async step(t: number): Promise<StepRecord> {
    const { B, S, rows } = this;
    const { reset, started } = admitRows(this.sampler.next(), rows, S);
    const out = await this.runner.step(
      { count: B, tokens: rows.inputs, target: rows.labels, labels: rows.labels, reset: started > 0 ? reset : null, s: 0, w: 1, puzzleIds: rows.puzzleIds },
      t,
    );
    // The halting decision needs q_halt on the host every step.
    const q = await out.qHalt.data();
    const { finished, finishedRows } = haltRows(rows, q, this.config, this.haltRng);
    const sums = tf.tidy(() => {
      const mask = tf.tensor1d(finished);
      return { exactSum: tf.sum(tf.mul(out.correct!, mask)) as tf.Scalar, tokenAccSum: tf.sum(tf.mul(out.tokenAcc!, mask)) as tf.Scalar };
    });
    tf.dispose([out.qHalt, out.correct!, out.tokenAcc!]);
    return { lm: out.lm, qHalt: out.qHaltLoss, ...sums, finishedRows, started, lr: out.lr };
  }

  async exportCarry(): Promise<CarryState | null> {
    if (this.atBoundary()) return null;
    const r = this.rows;
    return encodeCarry(this.runner.method, await this.runner.readCarry(), {
      steps: r.steps,
      halted: Int32Array.from(r.halted),
      inputs: r.inputs,
      labels: r.labels,
      puzzleIds: r.puzzleIds,
    });
  }

  importCarry(c: CarryState): void {
    const { B, S } = this;
    const { carry, state } = decodeCarry(c, this.runner.method, { steps: B, halted: B, inputs: B * S, labels: B * S, puzzleIds: B }, B);
    this.runner.writeCarry(carry);
    this.rows.steps.set(state['steps']!);
    this.rows.halted.set(state['halted']!);
    this.rows.inputs.set(state['inputs']!);
    this.rows.labels.set(state['labels']!);
    this.rows.puzzleIds.set(state['puzzleIds']!);
  }

  dispose(): void {
    this.runner.dispose();
  }
}
