// What a method's training loop exposes to the trainer.
import type * as tf from '@tensorflow/tfjs';

/** Tensors of one optimizer step, read later in one batch (eng-anchors §1.6: reads force a sync). */
export interface StepRecord {
  lm: tf.Scalar;
  qHalt: tf.Scalar | null;
  /** sums over the rows whose trajectory ended at this step, against the FINAL labels */
  exactSum: tf.Scalar;
  tokenAccSum: tf.Scalar;
  finishedRows: number;
  /** trajectories (rows) started at this step */
  started: number;
  lr: number;
}

/** The carry as checkpoint content (only needed mid-trajectory). */
export interface CarryState {
  json: Record<string, unknown>;
  arrays: Record<string, Float32Array | Int32Array>;
}

export interface TrainMethod {
  /** one supervision step = one optimizer step; t is the optimizer step (1-based) */
  step(t: number): Promise<StepRecord>;
  /** true when no trajectory is in flight: a checkpoint needs no carry */
  atBoundary(): boolean;
  /** true when a checkpoint may be taken now (TRM: always, with its carry; DIS: at a trajectory boundary) */
  canCheckpoint(): boolean;
  /** async: GPU read-backs (WebGPU) and data-parallel workers cannot answer synchronously */
  exportCarry(): Promise<CarryState | null>;
  importCarry(c: CarryState): void;
  dispose(): void;
}
