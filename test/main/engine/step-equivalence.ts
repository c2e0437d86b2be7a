// Shared by the tests that run one training step two ways and require the same result (micro-batched
// vs whole batch, data-parallel vs one thread): the parts of a tiny run, the method over a runner, and
// the comparison of everything a step changes — records, full-batch gradients, weights, puzzle rows.
import * as tf from '@tensorflow/tfjs';
import { expect } from 'vitest';
import { BatchSampler } from '../../../src-main/engine/data/sampler';
import { LocalRunner, type StepRunner } from '../../../src-main/engine/methods/executor';
import { methodDef } from '../../../src-main/engine/methods/index';
import type { TrainParts } from '../../../src-main/engine/methods/method';
import type { StepRecord, TrainMethod } from '../../../src-main/engine/methods/types';
import { PuzzleTable } from '../../../src-main/engine/model/puzzle-table';
import { netSpec, TrmNet } from '../../../src-main/engine/model/trm';
import type { RunConfig } from '../../../src-shared/method/run-config';
import { Rng } from '../../../src-shared/prng';
import { tinyTrainingSet } from './fixtures';
import { RecordingOptimizer, rel } from './helpers';

export const set = tinyTrainingSet(3, 3);
const ctx = { encoding: 'nqueens' as const, side: 3, vocab: 3 };

export type RecordedParts = TrainParts & { optimizer: RecordingOptimizer };

export function makeParts(config: RunConfig, microBatchRows?: number): RecordedParts {
  const net = TrmNet.init(netSpec(config.model, set.encoding.vocab, set.encoding.seqLen, config.method), new Rng(config.seed));
  return {
    net,
    table: new PuzzleTable(set.numPuzzleIds, config.model.puzzleEmbDim),
    optimizer: new RecordingOptimizer({ ...config.optimizer }),
    ema: null,
    opt: config.optimizer,
    ...(microBatchRows === undefined ? {} : { microBatchRows }),
  };
}

/** The method of `config` on `p`, stepping through `runner` (default: the local one), with fixed seeds. */
export function trainOn(config: RunConfig, p: TrainParts, runner?: StepRunner): TrainMethod {
  const def = methodDef(config.method);
  return def.train({
    parts: p,
    config,
    sampler: new BatchSampler(set, config.batchSize, new Rng(5)),
    rng: { halting: new Rng(6), targets: new Rng(7) },
    ctx,
    runner: runner ?? new LocalRunner(p, def, config, config.batchSize),
  });
}

/** lm, q-halt, exact, token accuracy and q-continue of a step (NaN where absent); disposes the record. */
async function values(r: StepRecord): Promise<number[]> {
  const out = [(await r.lm.data())[0]!, r.qHalt ? (await r.qHalt.data())[0]! : NaN, (await r.exactSum.data())[0]!, (await r.tokenAccSum.data())[0]!, r.qContinue ? (await r.qContinue.data())[0]! : NaN];
  tf.dispose([r.lm, r.exactSum, r.tokenAccSum, ...(r.qHalt ? [r.qHalt] : []), ...(r.qContinue ? [r.qContinue] : [])]);
  return out;
}

/**
 * Steps `one` (on parts `a`) and `two` (on parts `b`) `steps` times and requires the same records and
 * full-batch gradients at every step, then the same weights (which moved) and puzzle rows.
 */
export async function expectSameSteps(one: TrainMethod, a: RecordedParts, two: TrainMethod, b: RecordedParts, steps: number, seed: number): Promise<void> {
  for (let t = 1; t <= steps; t++) {
    const ra = await one.step(t);
    const rb = await two.step(t);
    expect([rb.started, rb.finishedRows, rb.lr]).toEqual([ra.started, ra.finishedRows, ra.lr]);
    const [va, vb] = [await values(ra), await values(rb)];
    for (let i = 0; i < va.length; i++) {
      if (Number.isNaN(va[i]!)) expect(vb[i]).toBeNaN();
      else expect(Math.abs(vb[i]! - va[i]!)).toBeLessThanOrEqual(1e-4 * Math.max(1, Math.abs(va[i]!)));
    }
    // The gradient is the full batch's (not a sum of means or a single part's: Adam would hide a scale error in the weights).
    const ga = a.optimizer.grads[t - 1]!;
    const gb = b.optimizer.grads[t - 1]!;
    expect(Object.keys(gb).sort()).toEqual(Object.keys(ga).sort());
    for (const name of Object.keys(ga)) expect(rel(gb[name]!, ga[name]!), `gradient of ${name} at step ${t}`).toBeLessThan(1e-4);
    expect(one.atBoundary()).toBe(two.atBoundary());
  }
  const wa = a.net.trainable();
  const wb = b.net.trainable();
  wa.forEach(([name, p], i) => expect(rel(wb[i]![1].dataSync(), p.dataSync()), `weights ${name}`).toBeLessThan(1e-4));
  // and the weights did move: the comparison is not between two untouched copies
  const init = TrmNet.init(a.net.spec, new Rng(seed));
  expect(rel(init.trainable()[0]![1].dataSync(), wa[0]![1].dataSync())).toBeGreaterThan(1e-3);
  init.dispose();
  expect(rel(b.table!.data, a.table!.data)).toBeLessThan(1e-4);
  expect(a.table!.data.some((x) => x !== 0)).toBe(true);
}

export function disposeParts(...parts: RecordedParts[]): void {
  for (const p of parts) {
    p.net.dispose();
    p.optimizer.dispose();
  }
}
