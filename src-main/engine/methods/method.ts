// What a method is to the step executor (executor.ts). A method (TRM in trm.ts, DIS in dis.ts) says
// how x is built, what its carry holds, which part of one supervision step runs WITHOUT gradient and
// which part WITH it, how the heads read the carry, and the step's loss. The executor runs that
// recipe the same way for local training, each data-parallel shard, puzzle-embedding adaptation and
// inference; the training loop around it (which rows take new data, when a trajectory ends) is the
// method's `train` factory. A new method is one file defining a MethodDef plus its line in index.ts.
// See docs/method-notes.md for the formulas.
import type * as tf from '@tensorflow/tfjs';
import type { TargetContext } from '../../../src-shared/method/targets';
import type { RunConfig } from '../../../src-shared/method/run-config';
import type { Rng } from '../../../src-shared/prng';
import type { CallCounter } from '../counters';
import type { BatchSampler } from '../data/sampler';
import type { NetSpec, TrmNet } from '../model/trm';
import type { PuzzleTable } from '../model/puzzle-table';
import type { AdamOptimizer } from '../optim/adam';
import type { Ema } from '../optim/ema';
import type { StepRunner } from './executor';
import type { TrainMethod } from './types';

/** The parts of a run's config a method's step reads. */
export type MethodConfig = Pick<RunConfig, 'method' | 'model' | 'dis'>;

/**
 * The state carried from one supervision step to the next, by name (TRM: zH, zL; DIS adds the
 * re-fed tokens). Every tensor has the batch rows as its first axis; the executor detaches it
 * between steps, restarts rows, splits it across shards and saves it in checkpoints by these names.
 */
export type Carry = Record<string, tf.Tensor>;

/** Shape (batch axis first) and dtype of each carry tensor, for B rows. */
export type CarryShapes = Record<string, { shape: number[]; dtype: 'float32' | 'int32' }>;

/** What the executor needs of a method's network. */
export interface RecursiveNet {
  readonly counter: CallCounter;
  /** trainable weights, by name, in a fixed order */
  trainable(): Array<[string, tf.Tensor]>;
  /** fixed tensors saved with the weights but never trained (H_init, L_init) */
  buffers(): Array<[string, tf.Tensor]>;
  dispose(): void;
}

/** The data of one supervision step for the rows on this thread. */
export interface StepBatch {
  /** int32 [B, S]: the rows' puzzle inputs */
  tokens: tf.Tensor2D;
  /** int32 [B, S]: what this step's prediction is trained towards (TRM: final labels; DIS: frame F_s) */
  target: tf.Tensor2D;
  /** supervision step of the trajectory, 1..N_sup (DIS: the step-table row) */
  s: number;
  /** the step's loss weight w_s */
  w: number;
}

export interface StepLoss {
  total: tf.Scalar;
  lm: tf.Scalar;
  qHalt: tf.Scalar | null;
}

/** The heads' outputs: logits [B, S, V] (prefix dropped) and Q logits [B, 2] = (halt, continue). */
export interface Readout {
  logits: tf.Tensor3D;
  q: tf.Tensor2D;
}

/** Everything the loss may look at; it runs on the gradient tape. */
export interface LossInput<N> {
  net: N;
  /** the input embedding this step used */
  x: tf.Tensor3D;
  /** the carry after the step (still on the tape) */
  carry: Carry;
  readout: Readout;
  batch: StepBatch;
}

/** The trainable state a step updates. */
export interface TrainParts<N extends RecursiveNet = TrmNet> {
  net: N;
  table: PuzzleTable | null;
  optimizer: AdamOptimizer;
  ema: Ema | null;
  opt: RunConfig['optimizer'];
}

/** What a method's training loop is built from. */
export interface TrainingSetup<N extends RecursiveNet = TrmNet> {
  parts: TrainParts<N>;
  config: RunConfig;
  sampler: BatchSampler;
  rng: { halting: Rng; targets: Rng };
  ctx: TargetContext;
  /** where the steps run (this thread, or data-parallel shards) */
  runner: StepRunner;
}

export interface MethodDef<N extends RecursiveNet = TrmNet> {
  readonly name: RunConfig['method'];
  /** the network from its spec, weights and buffers (shard workers rebuild it this way) */
  createNet(spec: NetSpec, params: Record<string, Float32Array>, buffers: Record<string, Float32Array>): N;
  carryShapes(net: N, B: number): CarryShapes;
  /** the carry a trajectory starts from, for the rows with these inputs */
  initialCarry(net: N, tokens: tf.Tensor2D, cfg: MethodConfig): Carry;
  /** x for step s from the carry and the rows' puzzle-embedding rows [B, dim] (or null) */
  input(net: N, carry: Carry, tokens: tf.Tensor2D, s: number, rows: tf.Tensor2D | null, cfg: MethodConfig): tf.Tensor3D;
  /** true when x does not change between steps (inference builds it once) */
  fixedInput(cfg: MethodConfig): boolean;
  /** the part of a step outside the tape; `x` is built on first use */
  noGrad(net: N, carry: Carry, x: () => tf.Tensor3D, cfg: MethodConfig): Carry;
  /** the part of a step on the tape */
  withGrad(net: N, carry: Carry, x: tf.Tensor3D, cfg: MethodConfig): Carry;
  readout(net: N, carry: Carry): Readout;
  /** carry entries computed from the step's prediction, outside the tape (DIS re-feeding), or none */
  afterStep(logits: tf.Tensor3D, cfg: MethodConfig): Carry;
  loss(o: LossInput<N>, cfg: MethodConfig): StepLoss;
  /** the training loop of the method (rows, halting, trajectories) over a step runner */
  train(setup: TrainingSetup<N>): TrainMethod;
}
