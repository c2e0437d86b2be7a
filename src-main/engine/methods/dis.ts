// DIS training, code-faithful by default (method-spec §4.11): all B rows in lockstep, a trajectory is
// N_sup consecutive optimizer steps on one batch. At a trajectory start: the next loader batch, a fresh
// carry, and frames F_0..F_Nsup from the target generator on the collated batch (labels already −100
// at PAD; the reveal order is drawn once per trajectory and kept for all its steps). At step s:
//   x = √D·(concat(puzzle_prefix, tok_emb(cur)) + step_emb[s]),  cur = inputs at s = 1, afterwards the
//   previous step's argmax (dis.xSource = 'prediction', the code) or always the inputs ('original', the paper)
//   loss = w_s · lm_loss(logits, F_s)   (no Q loss; w_s = 1, or linear with dis.stepWeights = 'linear')
// The reference's loader also yields a batch at every step and discards it for non-halted rows; here
// the sampler is only asked at trajectory starts, which changes which examples are drawn, not the method.
// Periodic and pause checkpoints wait for a trajectory boundary, so they need no carry.
import * as tf from '@tensorflow/tfjs';
import { batchFrames, getTargetGenerator, type TargetContext, type TargetGenerator } from '../../../src-shared/engine/targets';
import type { RunConfig } from '../../../src-shared/engine/run-config';
import type { Rng } from '../../../src-shared/prng';
import type { BatchSampler } from '../data/sampler';
import { exactMatch, lmLoss, stepWeight } from '../losses';
import { rowsLoss } from '../micro-batch';
import { supervisionStep, type SupervisionInput, type TrainParts } from './supervision-step';
import type { CarryState, StepRecord, TrainMethod } from './types';

/** The step loss w_s·lm_loss against the step's frame (no Q loss; runs on the tape). */
export function disLoss(target: tf.Tensor2D, w: number): SupervisionInput['loss'] {
  return (logits) => {
    const lm = lmLoss(logits, target);
    return { total: w === 1 ? lm : (tf.mul(lm, w) as tf.Scalar), lm, qHalt: null };
  };
}

export class DisTraining implements TrainMethod {
  private zH: tf.Tensor3D | null = null;
  private zL: tf.Tensor3D | null = null;
  /** tokens x is built from at the next step */
  private cur: tf.Tensor2D | null = null;
  private inputs: tf.Tensor2D | null = null;
  private labels: tf.Tensor2D | null = null;
  private puzzleIds: Int32Array = new Int32Array(0);
  private frames: Int32Array[] = [];
  /** supervision step of the running trajectory, 1..N_sup; 0 = none running */
  private s = 0;
  private readonly gen: TargetGenerator;
  private readonly B: number;
  private readonly S: number;

  constructor(
    private readonly parts: TrainParts,
    private readonly config: RunConfig,
    private readonly sampler: BatchSampler,
    /** draws the frames (reveal orders) */
    private readonly targetRng: Rng,
    private readonly ctx: TargetContext,
  ) {
    this.gen = getTargetGenerator(config.dis.targets);
    this.B = config.batchSize;
    this.S = parts.net.spec.seqLen;
  }

  atBoundary(): boolean {
    return this.s === 0;
  }

  private startTrajectory(): void {
    const { B, S } = this;
    const Nsup = this.config.model.Nsup;
    const batch = this.sampler.next();
    this.frames = batchFrames(this.gen, batch.inputs, batch.labels, B, S, Nsup, this.targetRng, this.ctx, {
      eligibility: this.config.dis.eligibility,
    });
    this.disposeTrajectory();
    const c = tf.tidy(() => {
      const init = this.parts.net.initialCarry(B);
      return { zH: init.zH.clone(), zL: init.zL.clone() };
    });
    this.zH = c.zH;
    this.zL = c.zL;
    this.inputs = tf.tensor2d(batch.inputs, [B, S], 'int32');
    this.labels = tf.tensor2d(batch.labels, [B, S], 'int32');
    this.cur = this.inputs.clone();
    this.puzzleIds = batch.puzzleIds;
    this.s = 1;
  }

  async step(t: number): Promise<StepRecord> {
    const { B, S, config } = this;
    const { T, n, Nsup } = config.model;
    let started = 0;
    if (this.s === 0) {
      this.startTrajectory();
      started = B;
    }
    const s = this.s;
    const target = tf.tensor2d(this.frames[s] as Int32Array, [B, S], 'int32');
    const stepIds = tf.fill([B], s, 'int32') as tf.Tensor1D;
    const w = stepWeight(config.dis.stepWeights, s, Nsup);
    const tokens = config.dis.xSource === 'original' ? this.inputs! : this.cur!;
    const out = await supervisionStep(
      this.parts,
      {
        zH: this.zH!,
        zL: this.zL!,
        tokens,
        puzzleIds: this.puzzleIds,
        stepIds,
        T,
        n,
        loss: disLoss(target, w),
        lossFor: rowsLoss(target, (t) => disLoss(t, w)),
      },
      t,
    );
    target.dispose();
    stepIds.dispose();
    out.qHalt.dispose();
    this.zH!.dispose();
    this.zL!.dispose();
    this.zH = out.zH;
    this.zL = out.zL;
    // Re-feeding: the argmax is a class index 0..V−1, so the code's zero-fill of −100 never applies here.
    const preds = tf.tidy(() => tf.argMax(out.logits, -1) as tf.Tensor2D);
    this.cur!.dispose();
    this.cur = preds;

    const last = s === Nsup;
    const sums = tf.tidy(() => {
      if (!last) return { exactSum: tf.scalar(0), tokenAccSum: tf.scalar(0) };
      // Metrics compare the last step's prediction with the FINAL labels (as the code logs them).
      const m = exactMatch(out.logits, this.labels!);
      return { exactSum: tf.sum(m.correct) as tf.Scalar, tokenAccSum: tf.sum(m.tokenAcc) as tf.Scalar };
    });
    out.logits.dispose();
    if (last) {
      this.s = 0;
      this.disposeTrajectory();
    } else {
      this.s = s + 1;
    }
    return { lm: out.lm, qHalt: null, ...sums, finishedRows: last ? B : 0, started, lr: out.lr };
  }

  /**
   * The running trajectory, for a checkpoint that cannot wait for the boundary (the budget ended
   * mid-trajectory). Periodic and pause checkpoints are taken at boundaries, where this is null.
   */
  async exportCarry(): Promise<CarryState | null> {
    if (this.s === 0) return null;
    const frames = new Int32Array(this.frames.length * this.B * this.S);
    this.frames.forEach((f, i) => frames.set(f, i * this.B * this.S));
    return {
      json: { method: 'dis', s: this.s },
      arrays: {
        'carry/zH': (await this.zH!.data()) as Float32Array,
        'carry/zL': (await this.zL!.data()) as Float32Array,
        'carry/cur': (await this.cur!.data()) as Int32Array,
        'carry/inputs': (await this.inputs!.data()) as Int32Array,
        'carry/labels': (await this.labels!.data()) as Int32Array,
        'carry/puzzleIds': this.puzzleIds.slice(),
        'carry/frames': frames,
      },
    };
  }

  importCarry(c: CarryState): void {
    const { B, S } = this;
    const Nsup = this.config.model.Nsup;
    const s = c.json['s'];
    if (c.json['method'] !== 'dis' || typeof s !== 'number' || !Number.isInteger(s) || s < 1 || s > Nsup) {
      throw new Error('checkpoint carry is not a DIS trajectory state');
    }
    const L = this.parts.net.totalLen;
    const D = this.parts.net.spec.hidden;
    const get = (k: string, len: number) => {
      const v = c.arrays[k];
      if (!v || v.length !== len) throw new Error(`checkpoint carry ${k} is missing or does not fit batch ${B}`);
      return v;
    };
    this.disposeTrajectory();
    this.zH = tf.tensor3d(get('carry/zH', B * L * D) as Float32Array, [B, L, D]);
    this.zL = tf.tensor3d(get('carry/zL', B * L * D) as Float32Array, [B, L, D]);
    this.cur = tf.tensor2d(get('carry/cur', B * S) as Int32Array, [B, S], 'int32');
    this.inputs = tf.tensor2d(get('carry/inputs', B * S) as Int32Array, [B, S], 'int32');
    this.labels = tf.tensor2d(get('carry/labels', B * S) as Int32Array, [B, S], 'int32');
    this.puzzleIds = Int32Array.from(get('carry/puzzleIds', B));
    const frames = get('carry/frames', (Nsup + 1) * B * S) as Int32Array;
    this.frames = Array.from({ length: Nsup + 1 }, (_, i) => frames.slice(i * B * S, (i + 1) * B * S));
    this.s = s;
  }

  private disposeTrajectory(): void {
    for (const t of [this.zH, this.zL, this.cur, this.inputs, this.labels]) t?.dispose();
    this.zH = this.zL = this.cur = this.inputs = this.labels = null;
  }

  dispose(): void {
    this.disposeTrajectory();
    this.s = 0;
  }
}
