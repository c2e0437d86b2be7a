// Data-parallel gradient computation (config.workers > 1) against the single-thread methods: the same
// batch gives the same full-batch gradient, the same updated weights and puzzle rows, the same losses
// and network-call counts, step after step (the carry stays with the shards).
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TrainParts } from '../../../src-main/engine/methods/method';
import { combineShards, shardRanges } from '../../../src-main/engine/parallel/combine';
import { parallelRunner } from '../../../src-main/engine/parallel/runner';
import { ensureBackend } from '../../../src-main/engine/backend';
import { parseArgs } from '../../../src-main/command-line/args';
import { configFromArgs, spec } from '../../../src-main/cli/commands/train';
import { defaultRunConfig, parseRunConfig, type RunConfig } from '../../../src-shared/method/run-config';
import { tinyConfig } from './fixtures';
import { useWasm } from './helpers';
import { disposeParts, expectSameSteps, makeParts, trainOn } from './step-equivalence';

beforeAll(useWasm);

async function compare(config: RunConfig, steps: number, prepare?: (p: TrainParts) => void): Promise<void> {
  const single = makeParts(config);
  const para = makeParts(config);
  prepare?.(single);
  prepare?.(para);
  const one = trainOn(config, single);
  const setup = await parallelRunner(para, config, await ensureBackend());
  if ('reason' in setup) throw new Error(setup.reason);
  expect(setup.workers).toBe(2);
  const two = trainOn(config, para, setup.runner);
  try {
    await expectSameSteps(one, single, two, para, steps, config.seed);
    expect(para.net.counter.snapshot()).toEqual(single.net.counter.snapshot());
  } finally {
    one.dispose();
    two.dispose();
    disposeParts(single, para);
  }
}

describe('data-parallel training with 2 workers matches the single-thread step', () => {
  it('DIS (a whole trajectory, 5 rows split 2 + 3, linear step weights)', async () => {
    const config = tinyConfig('dis', { Nsup: 3 }, { batchSize: 5, workers: 2 });
    config.dis = { ...config.dis, stepWeights: 'linear' };
    await compare(config, 4);
  });

  it('TRM (T = 2 with a no-grad cycle, Q-halting with exploration, rows restarting)', async () => {
    const config = tinyConfig('trm', { T: 2, n: 1, Nsup: 3 }, { batchSize: 5, workers: 2, halting: { enabled: true, exploreProb: 0.5 } });
    await compare(config, 5);
  });

  it('HRM (two networks, the continue target’s second forward in every shard, halting on q_halt − q_continue)', async () => {
    const config = tinyConfig('hrm', { T: 2, n: 1, Nsup: 3 }, { batchSize: 5, workers: 2, halting: { enabled: true, exploreProb: 0.5 } });
    // From the zero Q weights the continue loss's gradient is exactly 0 up to rounding (the target
    // equals the prediction), which AdamATan2 turns into ±lr steps of either sign: start both copies
    // from the same non-zero Q weights so the comparison is of gradients, not of rounding.
    const q = tf.randomNormal([16, 2], 0, 0.3, 'float32', 9);
    await compare(config, 4, (p) => (p.net.weights['q_head.w'] as tf.Variable).assign(q));
    q.dispose();
  });
});

describe('combining shard gradients', () => {
  it('weights each shard by its share of the rows and lays the puzzle-row gradients out in batch order', () => {
    const ranges = shardRanges(3, 2);
    expect(ranges).toEqual([{ start: 0, end: 1 }, { start: 1, end: 3 }]);
    const calls = { grad: 1, noGrad: 0 };
    const c = combineShards(
      [
        { grads: { w: Float32Array.of(3, 0), q: null }, rowsGrad: Float32Array.of(6), lm: 3, qHaltLoss: null, q: Float32Array.of(0), correct: null, tokenAcc: null, calls },
        { grads: { w: Float32Array.of(0, 3), q: null }, rowsGrad: Float32Array.of(3, -3), lm: 6, qHaltLoss: null, q: Float32Array.of(0, 0), correct: null, tokenAcc: null, calls },
      ],
      ranges,
      3,
    );
    expect(Array.from(c.grads['w']!)).toEqual([1, 2]);
    expect(c.grads['q']).toBeNull();
    expect(Array.from(c.rowsGrad!)).toEqual([2, 2, -2]);
    expect(c.lm).toBe(5);
    expect(() => shardRanges(2, 3)).toThrow(/cannot split 2 batch rows into 3 shards/);
  });
});

describe('the workers option', () => {
  it('defaults to 0 = auto (1 for configs saved before it existed), is set by --workers and limited to 0..8', async () => {
    const cli = (...argv: string[]) => configFromArgs(parseArgs(spec, argv));
    expect((await cli()).workers).toBe(0);
    expect((await cli('--workers', '2')).workers).toBe(2);
    expect((await cli('--workers', '1')).workers).toBe(1);
    await expect(cli('--workers', '-1')).rejects.toThrow(/invalid run config at workers|--workers/);
    await expect(cli('--workers', '9')).rejects.toThrow(/invalid run config at workers/);
    const { workers: _, ...older } = defaultRunConfig('dis');
    expect(parseRunConfig(older).workers).toBe(1);
  });
});
