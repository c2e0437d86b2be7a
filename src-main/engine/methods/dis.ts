// DIS, Deep Improvement Supervision (docs/method-notes.md, "DIS"), code-faithful by default. The
// network and its recursion are TRM's (trm.ts); DIS changes what each supervision step sees and is
// trained towards. At supervision step s = 1..N_sup of a trajectory:
//   x   = √D · (concat(puzzle_prefix, tok_emb(y_{s−1})) + step_emb[s])
//         y_0 = the inputs; afterwards y_{s−1} = the previous step's argmax (dis.xSource =
//         'prediction', the code) or always the inputs ('original', the paper)
//   the T cycles of n latent updates exactly as TRM (T − 1 without gradient, the last with it)
//   loss = w_s · lm_loss(logits, F_s)   (no Q loss; w_s = 1, or linear with dis.stepWeights = 'linear')
// where F_0..F_Nsup are the target generator's frames for the batch (labels −100 at PAD; the reveal
// order is drawn once per trajectory). The carry is (z_H, z_L, y) and is detached between steps.
//
// Training (DisTraining): all B rows in lockstep; a trajectory is N_sup consecutive optimizer steps on
// one batch. At a trajectory start: the next loader batch, a fresh carry, and the frames. The
// reference's loader also yields a batch at every step and discards it for non-halted rows; here the
// sampler is only asked at trajectory starts, which changes which examples are drawn, not the method.
// Periodic and pause checkpoints wait for a trajectory boundary, so they need no carry.
import * as tf from '@tensorflow/tfjs';
import type { RunConfig } from '../../../src-shared/method/run-config';
import { batchFrames, getTargetGenerator, type TargetContext, type TargetGenerator } from '../../../src-shared/method/targets';
import type { Rng } from '../../../src-shared/prng';
import type { BatchSampler } from '../data/sampler';
import { lmLoss, stepWeight } from '../losses';
import { TrmNet } from '../model/trm';
import { decodeCarry, encodeCarry } from './carry';
import { LocalRunner, type StepRunner } from './executor';
import type { MethodDef, StepLoss, TrainParts } from './method';
import { cycles, latentShapes, readHeads, startCarry } from './trm';
import type { CarryState, StepRecord, TrainMethod } from './types';

/** w_s · lm_loss(logits, F_s). */
export function disLoss(logits: tf.Tensor3D, frame: tf.Tensor2D, w: number): StepLoss {
  const lm = lmLoss(logits, frame);
  return { total: w === 1 ? lm : (tf.mul(lm, w) as tf.Scalar), lm, qHalt: null };
}

export const DIS: MethodDef<TrmNet> = {
  name: 'dis',
  createNet: (spec, params, buffers) => TrmNet.create(spec, params, buffers),
  // The carry's `cur` is y, the tokens x is built from (the name checkpoints have always used).
  carryShapes: (net, B) => ({ ...latentShapes(net, B), cur: { shape: [B, net.spec.seqLen], dtype: 'int32' } }),
  initialCarry: (net, tokens) => ({ ...startCarry(net, tokens.shape[0]), cur: tokens.clone() }),
  input: (net, carry, tokens, s, rows, cfg) => {
    const y = cfg.dis.xSource === 'original' ? tokens : (carry['cur'] as tf.Tensor2D);
    return net.inputEmbedding(y, rows, tf.fill([tokens.shape[0]], s, 'int32') as tf.Tensor1D);
  },
  fixedInput: () => false,
  noGrad: (net, carry, x, cfg) => (cfg.model.T > 1 ? cycles(net, carry, x(), cfg.model.T - 1, cfg.model.n) : carry),
  withGrad: (net, carry, x, cfg) => cycles(net, carry, x, 1, cfg.model.n),
  readout: readHeads,
  // Re-feeding: the argmax is a class index 0..V−1, so the code's zero-fill of −100 never applies here.
  afterStep: (logits) => ({ cur: tf.argMax(logits, -1) }),
  loss: ({ readout, batch }) => disLoss(readout.logits, batch.target, batch.w),
  train: (s) => new DisTraining(s.parts, s.config, s.sampler, s.rng.targets, s.ctx, s.runner),
};

export class DisTraining implements TrainMethod {
  private inputs: Int32Array = new Int32Array(0);
  private labels: Int32Array = new Int32Array(0);
  private puzzleIds: Int32Array = new Int32Array(0);
  private frames: Int32Array[] = [];
  /** supervision step of the running trajectory, 1..N_sup; 0 = none running */
  private s = 0;
  private readonly gen: TargetGenerator;
  private readonly B: number;
  private readonly S: number;

  constructor(
    parts: TrainParts,
    private readonly config: RunConfig,
    private readonly sampler: BatchSampler,
    /** draws the frames (reveal orders) */
    private readonly targetRng: Rng,
    private readonly ctx: TargetContext,
    private readonly runner: StepRunner = new LocalRunner(parts, DIS, config, config.batchSize),
  ) {
    this.gen = getTargetGenerator(config.dis.targets);
    this.B = config.batchSize;
    this.S = parts.net.spec.seqLen;
  }

  atBoundary(): boolean {
    return this.s === 0;
  }

  canCheckpoint(): boolean {
    return this.s === 0;
  }

  private startTrajectory(): void {
    const { B, S } = this;
    const batch = this.sampler.next();
    this.frames = batchFrames(this.gen, batch.inputs, batch.labels, B, S, this.config.model.Nsup, this.targetRng, this.ctx, {
      eligibility: this.config.dis.eligibility,
    });
    this.inputs = batch.inputs.slice();
    this.labels = batch.labels.slice();
    this.puzzleIds = batch.puzzleIds.slice();
    this.s = 1;
  }

  async step(t: number): Promise<StepRecord> {
    const { B, config } = this;
    const Nsup = config.model.Nsup;
    const started = this.s === 0 ? B : 0;
    if (started) this.startTrajectory();
    const s = this.s;
    const last = s === Nsup;
    const out = await this.runner.step(
      {
        count: B,
        tokens: this.inputs,
        target: this.frames[s] as Int32Array,
        // Metrics compare the last step's prediction with the FINAL labels (as the code logs them).
        labels: last ? this.labels : null,
        reset: s === 1 ? new Float32Array(B).fill(1) : null,
        s,
        w: stepWeight(config.dis.stepWeights, s, Nsup),
        puzzleIds: this.puzzleIds,
      },
      t,
    );
    const sums = tf.tidy(() =>
      last ? { exactSum: tf.sum(out.correct!) as tf.Scalar, tokenAccSum: tf.sum(out.tokenAcc!) as tf.Scalar } : { exactSum: tf.scalar(0), tokenAccSum: tf.scalar(0) },
    );
    tf.dispose([out.qHalt, ...(out.correct ? [out.correct] : []), ...(out.tokenAcc ? [out.tokenAcc] : []), ...(out.qHaltLoss ? [out.qHaltLoss] : [])]);
    this.s = last ? 0 : s + 1;
    return { lm: out.lm, qHalt: null, ...sums, finishedRows: last ? B : 0, started, lr: out.lr };
  }

  /**
   * The running trajectory, for a checkpoint that cannot wait for the boundary (the budget ended
   * mid-trajectory). Periodic and pause checkpoints are taken at boundaries, where this is null.
   */
  async exportCarry(): Promise<CarryState | null> {
    if (this.s === 0) return null;
    const { B, S } = this;
    const frames = new Int32Array(this.frames.length * B * S);
    this.frames.forEach((f, i) => frames.set(f, i * B * S));
    return encodeCarry(this.runner.method, await this.runner.readCarry(), { inputs: this.inputs, labels: this.labels, puzzleIds: this.puzzleIds, frames }, { s: this.s });
  }

  importCarry(c: CarryState): void {
    const { B, S } = this;
    const Nsup = this.config.model.Nsup;
    const s = c.json['s'];
    if (c.json['method'] !== this.runner.method || typeof s !== 'number' || !Number.isInteger(s) || s < 1 || s > Nsup) {
      throw new Error('checkpoint carry is not a DIS trajectory state');
    }
    const { carry, state } = decodeCarry(c, this.runner.method, { inputs: B * S, labels: B * S, puzzleIds: B, frames: (Nsup + 1) * B * S }, B);
    this.runner.writeCarry(carry);
    this.inputs = state['inputs'] as Int32Array;
    this.labels = state['labels'] as Int32Array;
    this.puzzleIds = state['puzzleIds'] as Int32Array;
    const frames = state['frames'] as Int32Array;
    this.frames = Array.from({ length: Nsup + 1 }, (_, i) => frames.slice(i * B * S, (i + 1) * B * S));
    this.s = s;
  }

  dispose(): void {
    this.runner.dispose();
    this.s = 0;
  }
}
