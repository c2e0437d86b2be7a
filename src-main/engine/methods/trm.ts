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
import { withoutGradient } from '../ops/stop-gradient';
import { supervisionStep, type TrainParts } from './supervision-step';
import type { CarryState, StepRecord, TrainMethod } from './types';

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

  /** Replace halted rows by the new batch's rows and reset their carry. */
  private admit(): number {
    const batch = this.sampler.next();
    const { B, S } = this;
    const reset = new Float32Array(B);
    let started = 0;
    for (let b = 0; b < B; b++) {
      if (!this.halted[b]) continue;
      this.inputs.set(batch.inputs.subarray(b * S, (b + 1) * S), b * S);
      this.labels.set(batch.labels.subarray(b * S, (b + 1) * S), b * S);
      this.puzzleIds[b] = batch.puzzleIds[b] as number;
      this.steps[b] = 0;
      reset[b] = 1;
      started++;
    }
    if (started > 0) {
      const net = this.parts.net;
      const next = tf.tidy(() => {
        const init = net.initialCarry(B);
        if (!this.zH || !this.zL || started === B) return { zH: init.zH.clone(), zL: init.zL.clone() };
        const mask = tf.cast(tf.tensor3d(reset, [B, 1, 1]), 'bool');
        return { zH: tf.where(mask, init.zH, this.zH) as tf.Tensor3D, zL: tf.where(mask, init.zL, this.zL) as tf.Tensor3D };
      });
      this.zH?.dispose();
      this.zL?.dispose();
      this.zH = next.zH;
      this.zL = next.zL;
    }
    return started;
  }

  async step(t: number): Promise<StepRecord> {
    const { B, S, config } = this;
    const { T, n, Nsup } = config.model;
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
        loss: (logits, q) => {
          const lm = lmLoss(logits, labels);
          const qHalt = tf.reshape(tf.slice(q, [0, 0], [B, 1]), [B]) as tf.Tensor1D;
          // seq_is_correct: computed without gradient (its ops have none in tfjs anyway).
          const target = withoutGradient(logits, (l) => exactMatch(l as tf.Tensor3D, labels).correct);
          const qh = qHaltLoss(qHalt, target);
          return { total: tf.add(lm, tf.mul(qh, 0.5)) as tf.Scalar, lm, qHalt: qh };
        },
      },
      t,
    );
    this.zH!.dispose();
    this.zL!.dispose();
    this.zH = out.zH;
    this.zL = out.zL;

    // The halting decision needs q_halt on the host every step.
    const q = await out.qHalt.data();
    const explore = config.halting.enabled && Nsup > 1;
    const finished = new Float32Array(B);
    let finishedRows = 0;
    for (let b = 0; b < B; b++) {
      this.steps[b] = (this.steps[b] as number) + 1;
      const steps = this.steps[b] as number;
      let halt = steps >= Nsup;
      if (explore) {
        const minSteps = this.haltRng.chance(config.halting.exploreProb) ? this.haltRng.int(2, Nsup) : 0;
        halt = halt || ((q[b] as number) > 0 && steps >= minSteps);
      }
      this.halted[b] = halt ? 1 : 0;
      if (halt) {
        finished[b] = 1;
        finishedRows++;
      }
    }
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

  exportCarry(): CarryState | null {
    if (this.atBoundary() || !this.zH || !this.zL) return null;
    return {
      json: { method: 'trm' },
      arrays: {
        'carry/zH': this.zH.dataSync() as Float32Array,
        'carry/zL': this.zL.dataSync() as Float32Array,
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
