// Micro-batched steps (a batch too big for memory split into row blocks, src-main/engine/micro-batch.ts)
// against the whole-batch step: the same full-batch gradient, updated weights, puzzle rows, losses and
// carry, step after step — and the memory plan that decides when to split.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { microBatchRanges } from '../../../src-main/engine/micro-batch';
import { type RunConfig } from '../../../src-shared/method/run-config';
import { tinyConfig } from './fixtures';
import { rel, useWasm } from './helpers';
import { disposeParts, expectSameSteps, makeParts, trainOn as train } from './step-equivalence';

beforeAll(useWasm);

async function compare(config: RunConfig, rows: number, steps: number): Promise<void> {
  const whole = makeParts(config);
  const micro = makeParts(config, rows);
  const one = train(config, whole);
  const two = train(config, micro);
  try {
    await expectSameSteps(one, whole, two, micro, steps, config.seed);
    // The carry the next step starts from is the whole batch's too.
    const ca = await one.exportCarry();
    const cb = await two.exportCarry();
    expect(cb === null).toBe(ca === null);
    if (ca && cb) for (const k of ['carry/zH', 'carry/zL']) expect(rel(cb.arrays[k]!, ca.arrays[k]!), k).toBeLessThan(1e-4);
  } finally {
    one.dispose();
    two.dispose();
    disposeParts(whole, micro);
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
      disposeParts(p);
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
