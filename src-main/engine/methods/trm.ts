// TRM training (method-spec §3.1–§3.3, §3.7): B rows with their own supervision depth. Each optimizer
// step a new loader batch arrives; rows that halted at the previous step restart from H_init/L_init and
// take the corresponding row of that batch, the others keep their data (the rest of the batch is
// dropped). One supervision step (T cycles, the first T−1 without gradient) for every row, loss
// lm + 0.5·q_halt against the rows' FINAL labels, then:
//   halted = steps ≥ N_sup OR (q_halt > 0 AND steps ≥ min_steps)      (training only, halting on)
// with min_steps ~ U{2..N_sup} with probability exploreProb per row per step, else 0 (§8.17).
// With halting off every trajectory runs exactly N_sup steps.
import * as tf from '@tensorflow/tfjs';
import type { RunConfig } from '../../../src-shared/engine/run-config';
import type { Rng } from '../../../src-shared/prng';
import type { BatchSampler } from '../data/sampler';
import { exactMatch, lmLoss, qHaltLoss } from '../losses';
import type { TrmNet } from '../model/trm';
import { withoutGradient } from '../ops/stop-gradient';
import { rowsLoss } from '../micro-batch';
import { supervisionStep, type SupervisionInput, type TrainParts } from './supervision-step';
import type { CarryState, StepRecord, TrainMethod } from './types';

/** The host-side row state of TRM training (the carry tensors live apart from it). */
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
 * The carry with the rows marked in `reset` (1 = restart) back at H_init/L_init; `started` counts them.
 * New tensors; the inputs (null before the first step) are not disposed.
 */
export function restartCarry(net: TrmNet, zH: tf.Tensor3D | null, zL: tf.Tensor3D | null, reset: Float32Array, started: number): { zH: tf.Tensor3D; zL: tf.Tensor3D } {
  const B = reset.length;
  return tf.tidy(() => {
    const init = net.initialCarry(B);
    if (!zH || !zL || started === B) return { zH: init.zH.clone(), zL: init.zL.clone() };
    const mask = tf.cast(tf.tensor3d(reset, [B, 1, 1]), 'bool');
    return { zH: tf.where(mask, init.zH, zH) as tf.Tensor3D, zL: tf.where(mask, init.zL, zL) as tf.Tensor3D };
  });
}

/** The step loss lm + 0.5·q_halt against the rows' FINAL labels (runs on the tape). */
export function trmLoss(labels: tf.Tensor2D): SupervisionInput['loss'] {
  return (logits, q) => {
    const B = q.shape[0];
    const lm = lmLoss(logits, labels);
    const qHalt = tf.reshape(tf.slice(q, [0, 0], [B, 1]), [B]) as tf.Tensor1D;
    // seq_is_correct: computed without gradient (its ops have none in tfjs anyway).
    const target = withoutGradient(logits, (l) => exactMatch(l as tf.Tensor3D, labels).correct);
    const qh = qHaltLoss(qHalt, target);
    return { total: tf.add(lm, tf.mul(qh, 0.5)) as tf.Scalar, lm, qHalt: qh };
  };
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

export class TrmTraining implements TrainMethod {
  private zH: tf.Tensor3D | null = null;
  private zL: tf.Tensor3D | null = null;
  private readonly steps: Int32Array;
  private readonly halted: Uint8Array;
  private readonly inputs: Int32Array;
  private readonly labels: Int32Array;
  private readonly puzzleIds: Int32Array;
  private readonly B: number;
  private readonly S: number;

  constructor(
    private readonly parts: TrainParts,
    private readonly config: RunConfig,
    private readonly sampler: BatchSampler,
    /** exploration draws of the halting rule */
    private readonly haltRng: Rng,
  ) {
    this.B = config.batchSize;
    this.S = parts.net.spec.seqLen;
    this.steps = new Int32Array(this.B);
    this.halted = new Uint8Array(this.B).fill(1);
    this.inputs = new Int32Array(this.B * this.S);
    this.labels = new Int32Array(this.B * this.S);
    this.puzzleIds = new Int32Array(this.B);
  }

  atBoundary(): boolean {
    return this.halted.every((h) => h === 1);
  }

  private rows(): TrmRows {
    return { steps: this.steps, halted: this.halted, inputs: this.inputs, labels: this.labels, puzzleIds: this.puzzleIds };
  }

  /** Replace halted rows by the new batch's rows and reset their carry. */
  private admit(): number {
    const { reset, started } = admitRows(this.sampler.next(), this.rows(), this.S);
    if (started > 0) {
      const next = restartCarry(this.parts.net, this.zH, this.zL, reset, started);
      this.zH?.dispose();
      this.zL?.dispose();
      this.zH = next.zH;
      this.zL = next.zL;
    }
    return started;
  }

  async step(t: number): Promise<StepRecord> {
    const { B, S, config } = this;
    const { T, n } = config.model;
    const started = this.admit();
    const tokens = tf.tensor2d(this.inputs, [B, S], 'int32');
    const labels = tf.tensor2d(this.labels, [B, S], 'int32');
    const out = await supervisionStep(
      this.parts,
      {
        zH: this.zH!,
        zL: this.zL!,
        tokens,
        puzzleIds: this.puzzleIds,
        stepIds: null,
        T,
        n,
        loss: trmLoss(labels),
        lossFor: rowsLoss(labels, trmLoss),
      },
      t,
    );
    this.zH!.dispose();
    this.zL!.dispose();
    this.zH = out.zH;
    this.zL = out.zL;

    // The halting decision needs q_halt on the host every step.
    const q = await out.qHalt.data();
    const { finished, finishedRows } = haltRows(this.rows(), q, config, this.haltRng);
    const sums = tf.tidy(() => {
      const m = exactMatch(out.logits, labels);
      const mask = tf.tensor1d(finished);
      return { exactSum: tf.sum(tf.mul(m.correct, mask)) as tf.Scalar, tokenAccSum: tf.sum(tf.mul(m.tokenAcc, mask)) as tf.Scalar };
    });
    tokens.dispose();
    labels.dispose();
    out.logits.dispose();
    out.qHalt.dispose();
    return { lm: out.lm, qHalt: out.qHaltLoss, ...sums, finishedRows, started, lr: out.lr };
  }

  async exportCarry(): Promise<CarryState | null> {
    if (this.atBoundary() || !this.zH || !this.zL) return null;
    return {
      json: { method: 'trm' },
      arrays: {
        'carry/zH': (await this.zH.data()) as Float32Array,
        'carry/zL': (await this.zL.data()) as Float32Array,
        'carry/steps': this.steps.slice(),
        'carry/halted': Int32Array.from(this.halted),
        'carry/inputs': this.inputs.slice(),
        'carry/labels': this.labels.slice(),
        'carry/puzzleIds': this.puzzleIds.slice(),
      },
    };
  }

  importCarry(c: CarryState): void {
    const a = c.arrays;
    const shape: [number, number, number] = [this.B, this.parts.net.totalLen, this.parts.net.spec.hidden];
    const need = (k: string, len: number) => {
      const v = a[k];
      if (!v || v.length !== len) throw new Error(`checkpoint carry ${k} is missing or does not fit batch ${this.B}`);
      return v;
    };
    const size = shape[0] * shape[1] * shape[2];
    this.zH?.dispose();
    this.zL?.dispose();
    this.zH = tf.tensor3d(need('carry/zH', size) as Float32Array, shape);
    this.zL = tf.tensor3d(need('carry/zL', size) as Float32Array, shape);
    this.steps.set(need('carry/steps', this.B));
    this.halted.set(need('carry/halted', this.B));
    this.inputs.set(need('carry/inputs', this.B * this.S));
    this.labels.set(need('carry/labels', this.B * this.S));
    this.puzzleIds.set(need('carry/puzzleIds', this.B));
  }

  dispose(): void {
    this.zH?.dispose();
    this.zL?.dispose();
    this.zH = this.zL = null;
  }
}
