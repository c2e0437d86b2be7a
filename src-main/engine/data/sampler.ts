// The training iterator of docs/method-notes.md#sampling (`puzzle_dataset.py`): an epoch is a random permutation of
// the groups (tasks); for each group one version is picked uniformly (the original included), all of
// its examples are taken in random order and appended to the batch, which is cut at the batch size
// (the rest of that version is dropped; the next batch starts with the next group). Only full batches
// are yielded.
//
// Epochs follow each other as one continuous stream. The reference restarts the stream at every
// evaluation and drops the partial batch at its end; here a batch may run on into the next epoch
// instead, which loses no data and lets a set smaller than one batch (a user's three drawn puzzles)
// still train: its batch is filled by cycling through further epochs.
//
// Everything is drawn from one Rng, whose state (with the position in the current epoch) is the
// sampler's state, so a restored sampler continues with exactly the batches the original would yield.

import { Rng, type RngState } from '../../../src-shared/prng';
import type { TrainingSet } from './training-set';

export interface Batch {
  size: number;
  /** B·S tokens, row-major */
  inputs: Int32Array;
  /** B·S labels, −100 = ignored */
  labels: Int32Array;
  /** B puzzle ids */
  puzzleIds: Int32Array;
}

/** JSON-serialisable; goes into checkpoints. */
export interface SamplerState {
  rng: number[];
  /** the current epoch's group order */
  order: number[];
  /** next position in `order` */
  pos: number;
}

export class BatchSampler {
  private readonly seqLen: number;
  private order: number[] = [];
  private pos = 0;

  constructor(
    private readonly set: TrainingSet,
    private readonly batchSize: number,
    private readonly rng: Rng,
  ) {
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`BatchSampler: batch size must be a positive integer, got ${batchSize}`);
    if (set.totalExamples === 0 || set.groups.length === 0) throw new Error('BatchSampler: the training set has no examples');
    for (const g of set.groups) {
      if (g.versions.length === 0 || g.versions.some((v) => v.examples.length === 0)) {
        throw new Error(`BatchSampler: group ${g.taskId} has a version without examples`);
      }
    }
    this.seqLen = set.encoding.seqLen;
  }

  /** The next full batch. */
  next(): Batch {
    const B = this.batchSize;
    const S = this.seqLen;
    const inputs = new Int32Array(B * S);
    const labels = new Int32Array(B * S);
    const puzzleIds = new Int32Array(B);
    let row = 0;
    while (row < B) {
      if (this.pos >= this.order.length) {
        this.order = this.rng.permutation(this.set.groups.length);
        this.pos = 0;
      }
      const group = this.set.groups[this.order[this.pos++] as number];
      if (group === undefined) throw new Error('BatchSampler: epoch order points past the groups (corrupt state?)');
      const version = this.rng.pick(group.versions);
      for (const i of this.rng.permutation(version.examples.length)) {
        if (row >= B) break;
        const ex = version.examples[i];
        if (ex === undefined) break;
        inputs.set(ex.inputs, row * S);
        labels.set(ex.labels, row * S);
        puzzleIds[row] = ex.puzzleId;
        row++;
      }
    }
    return { size: B, inputs, labels, puzzleIds };
  }

  state(): SamplerState {
    return { rng: [...this.rng.state()], order: this.order.slice(), pos: this.pos };
  }

  /** A sampler that continues exactly where the one that produced `state` stopped. */
  static restore(set: TrainingSet, batchSize: number, state: SamplerState): BatchSampler {
    const G = set.groups.length;
    if (!Array.isArray(state.rng) || state.rng.length !== 4) throw new Error('BatchSampler.restore: rng state must be four uint32 values');
    if (!Array.isArray(state.order) || (state.order.length !== 0 && state.order.length !== G)) {
      throw new Error(`BatchSampler.restore: the saved epoch order has ${state.order?.length} groups but the training set has ${G}`);
    }
    const seen = new Set(state.order);
    if (seen.size !== state.order.length || state.order.some((g) => !Number.isInteger(g) || g < 0 || g >= G)) {
      throw new Error('BatchSampler.restore: the saved epoch order is not a permutation of the groups');
    }
    if (!Number.isInteger(state.pos) || state.pos < 0 || state.pos > state.order.length) {
      throw new Error(`BatchSampler.restore: position ${state.pos} is outside the epoch of ${state.order.length} groups`);
    }
    const s = new BatchSampler(set, batchSize, new Rng(state.rng as unknown as RngState));
    s.order = state.order.slice();
    s.pos = state.pos;
    return s;
  }
}
