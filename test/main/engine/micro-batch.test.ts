// Micro-batched steps (a batch too big for memory split into row blocks, src-main/engine/micro-batch.ts)
// against the whole-batch step: the same full-batch gradient, updated weights, puzzle rows, losses and
// carry, step after step — and the memory plan that decides when to split.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { BatchSampler } from '../../../src-main/engine/data/sampler';
import { LocalRunner } from '../../../src-main/engine/methods/executor';
import { methodDef } from '../../../src-main/engine/methods/index';
import type { TrainParts } from '../../../src-main/engine/methods/method';
import type { StepRecord, TrainMethod } from '../../../src-main/engine/methods/types';
import { microBatchRanges } from '../../../src-main/engine/micro-batch';
import { PuzzleTable } from '../../../src-main/engine/model/puzzle-table';
import { netSpec, TrmNet } from '../../../src-main/engine/model/trm';
import { type RunConfig } from '../../../src-shared/method/run-config';
import { Rng } from '../../../src-shared/prng';
import { tinyConfig, tinyTrainingSet } from './fixtures';
import { RecordingOptimizer, rel, useWasm } from './helpers';

beforeAll(useWasm);

const set = tinyTrainingSet(3, 3);
const ctx = { encoding: 'nqueens' as const, side: 3, vocab: 3 };

function makeParts(config: RunConfig, microBatchRows?: number): TrainParts & { optimizer: RecordingOptimizer } {
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

async function values(r: StepRecord): Promise<number[]> {
  const out = [(await r.lm.data())[0]!, r.qHalt ? (await r.qHalt.data())[0]! : NaN, (await r.exactSum.data())[0]!, (await r.tokenAccSum.data())[0]!];
  tf.dispose([r.lm, r.exactSum, r.tokenAccSum, ...(r.qHalt ? [r.qHalt] : [])]);
  return out;
}

function train(config: RunConfig, p: TrainParts): TrainMethod {
  const def = methodDef(config.method);
  return def.train({ parts: p, config, sampler: new BatchSampler(set, config.batchSize, new Rng(5)), rng: { halting: new Rng(6), targets: new Rng(7) }, ctx, runner: new LocalRunner(p, def, config, config.batchSize) });
}

async function compare(config: RunConfig, rows: number, steps: number): Promise<void> {
  const whole = makeParts(config);
  const micro = makeParts(config, rows);
  const method = (p: TrainParts): TrainMethod => train(config, p);
  const one = method(whole);
  const two = method(micro);
  try {
    for (let t = 1; t <= steps; t++) {
      const a = await one.step(t);
      const b = await two.step(t);
      expect([b.started, b.finishedRows, b.lr]).toEqual([a.started, a.finishedRows, a.lr]);
      const [va, vb] = [await values(a), await values(b)];
      for (let i = 0; i < 4; i++) {
        if (Number.isNaN(va[i]!)) expect(vb[i]).toBeNaN();
        else expect(Math.abs(vb[i]! - va[i]!)).toBeLessThanOrEqual(1e-4 * Math.max(1, Math.abs(va[i]!)));
      }
      // The summed gradient is the full batch's (not a sum of means: Adam would hide a scale error in the weights).
      const ga = whole.optimizer.grads[t - 1]!;
      const gb = micro.optimizer.grads[t - 1]!;
      expect(Object.keys(gb).sort()).toEqual(Object.keys(ga).sort());
      for (const name of Object.keys(ga)) expect(rel(gb[name]!, ga[name]!), `gradient of ${name} at step ${t}`).toBeLessThan(1e-4);
    }
    const wa = whole.net.trainable();
    const wb = micro.net.trainable();
    wa.forEach(([name, p], i) => expect(rel(wb[i]![1].dataSync(), p.dataSync()), `weights ${name}`).toBeLessThan(1e-4));
    const init = TrmNet.init(whole.net.spec, new Rng(config.seed));
    expect(rel(init.trainable()[0]![1].dataSync(), wa[0]![1].dataSync())).toBeGreaterThan(1e-3);
    init.dispose();
    expect(rel(micro.table!.data, whole.table!.data)).toBeLessThan(1e-4);
    expect(whole.table!.data.some((x) => x !== 0)).toBe(true);
    // The carry the next step starts from is the whole batch's too.
    const ca = await one.exportCarry();
    const cb = await two.exportCarry();
    expect(cb === null).toBe(ca === null);
    if (ca && cb) for (const k of ['carry/zH', 'carry/zL']) expect(rel(cb.arrays[k]!, ca.arrays[k]!), k).toBeLessThan(1e-4);
  } finally {
    one.dispose();
    two.dispose();
    for (const p of [whole, micro]) {
      p.net.dispose();
      p.optimizer.dispose();
    }
  }
}

describe('a micro-batched step matches the whole-batch step', () => {
  it('DIS: 5 rows as micro-batches of 1 + 2 + 2, linear step weights, over a trajectory', async () => {
    const config = tinyConfig('dis', { Nsup: 3 }, { batchSize: 5 });
    config.dis = { ...config.dis, stepWeights: 'linear' };
    await compare(config, 2, 2);
  });

  it('TRM: T = 2 (micro-batched no-grad cycle), Q-halting with exploration, rows restarting', async () => {
    const config = tinyConfig('trm', { T: 2, n: 1, Nsup: 3 }, { batchSize: 5, halting: { enabled: true, exploreProb: 0.5 } });
    await compare(config, 3, 3);
  });

  it('does not leak tensors across micro-batched steps', async () => {
    const config = tinyConfig('trm', { T: 2, n: 1, Nsup: 2 }, { batchSize: 4 });
    const p = makeParts(config, 1);
    const m = train(config, p);
    try {
      tf.dispose(Object.values(await m.step(1)).filter((x): x is tf.Tensor => x instanceof tf.Tensor));
      const after1 = tf.memory().numTensors;
      for (let t = 2; t <= 4; t++) tf.dispose(Object.values(await m.step(t)).filter((x): x is tf.Tensor => x instanceof tf.Tensor));
      expect(tf.memory().numTensors).toBe(after1);
    } finally {
      m.dispose();
      p.net.dispose();
      p.optimizer.dispose();
    }
  });
});

describe('micro-batch ranges', () => {
  it('cover the batch in order with sizes differing by at most one', () => {
    expect(microBatchRanges(5, 2)).toEqual([{ start: 0, end: 1 }, { start: 1, end: 3 }, { start: 3, end: 5 }]);
    expect(microBatchRanges(16, 16)).toEqual([{ start: 0, end: 16 }]);
    expect(microBatchRanges(16, 100)).toEqual([{ start: 0, end: 16 }]);
  });
});
