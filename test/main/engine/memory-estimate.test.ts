// The memory plan made before a run starts (src-main/engine/memory-estimate.ts): which batches run
// whole, which in micro-batches, and that the estimate is not below what a real step allocates.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { BatchSampler } from '../../../src-main/engine/data/sampler';
import { LocalRunner } from '../../../src-main/engine/methods/executor';
import { methodDef } from '../../../src-main/engine/methods/index';
import { memoryLimit, planMicroBatches, SAFETY, stepBytes, WASM_HEAP_BYTES } from '../../../src-main/engine/memory-estimate';
import { PuzzleTable } from '../../../src-main/engine/model/puzzle-table';
import { netSpec, TrmNet } from '../../../src-main/engine/model/trm';
import { AdamOptimizer } from '../../../src-main/engine/optim/adam';
import { defaultRunConfig } from '../../../src-shared/method/run-config';
import { Rng } from '../../../src-shared/prng';
import { tinyConfig, tinyTrainingSet } from './fixtures';
import { useWasm } from './helpers';

beforeAll(useWasm);

const ARC_TOKENS = 16 + 900;

describe('planning micro-batches before a run', () => {
  it('splits DIS compact at 916 tokens with batch 16 on wasm (the setting that aborted in XNNPACK) into micro-batches that fit', () => {
    const m = defaultRunConfig('dis', 'compact').model;
    const plan = planMicroBatches(m, ARC_TOKENS, 16, 'wasm');
    expect(plan.fullBatchBytes).toBeGreaterThan(WASM_HEAP_BYTES);
    expect(plan.count).toBeGreaterThan(1);
    expect(plan.rows * plan.count).toBeGreaterThanOrEqual(16);
    expect(plan.estimateBytes).toBeLessThanOrEqual(memoryLimit('wasm')!.bytes);
    expect(plan.note).toMatch(/micro-batches of ≤\d+ rows/);
  });

  it('runs small batches whole', () => {
    const plan = planMicroBatches(defaultRunConfig('dis', 'tiny').model, 80, 16, 'wasm');
    expect(plan).toMatchObject({ count: 1, rows: 16 });
    expect(plan.note).toMatch(/whole batch of 16/);
  });

  it('plans every preset and method at 916 tokens on wasm at the largest batch the run form accepts, except TRM full, which it refuses with the reason', () => {
    for (const method of ['dis', 'trm'] as const) {
      for (const preset of ['tiny', 'small', 'compact', 'full'] as const) {
        const m = defaultRunConfig(method, preset).model;
        if (method === 'trm' && preset === 'full') {
          // measured: one row's step peaks at 3.8 GB of tensors, the heap holds 4 GiB
          expect(() => planMicroBatches(m, ARC_TOKENS, 4096, 'wasm')).toThrow(/one batch row needs an estimated .* wasm heap; use a smaller preset or shorter puzzles/);
          continue;
        }
        const plan = planMicroBatches(m, ARC_TOKENS, 4096, 'wasm');
        expect(plan.rows * plan.count).toBeGreaterThanOrEqual(4096);
        if (plan.rows > 1) expect(plan.estimateBytes, `${method} ${preset}`).toBeLessThanOrEqual(memoryLimit('wasm')!.bytes);
        else expect(plan.estimateBytes / SAFETY, `${method} ${preset}`).toBeLessThanOrEqual(WASM_HEAP_BYTES);
      }
    }
  });

  it('honours a configured cap on the rows and splits into equal-as-possible micro-batches', () => {
    const plan = planMicroBatches(defaultRunConfig('dis', 'tiny').model, 80, 10, 'wasm', 4);
    expect(plan).toMatchObject({ count: 3, rows: 4 });
    expect(plan.note).toMatch(/as configured/);
  });

  it('refuses, with the reason, a model whose single row cannot fit', () => {
    const m = { ...defaultRunConfig('dis', 'full').model, hidden: 2048, layers: 8, heads: 32 };
    expect(() => planMicroBatches(m, ARC_TOKENS, 1, 'wasm')).toThrow(/one batch row needs an estimated .* GiB .* wasm heap/);
  });

  it('has no limit on backends that manage their own memory', () => {
    const plan = planMicroBatches(defaultRunConfig('dis', 'compact').model, ARC_TOKENS, 64, 'tensorflow');
    expect(plan).toMatchObject({ count: 1, limitBytes: null });
  });
});

describe('the estimate against a real step', () => {
  const set = tinyTrainingSet(3, 3);
  for (const method of ['dis', 'trm'] as const) {
    it(`is not below the tensor-memory peak of a ${method.toUpperCase()} step (tf.profile)`, async () => {
      const config = tinyConfig(method, method === 'trm' ? { T: 2, n: 2 } : {}, { batchSize: 6 });
      const net = TrmNet.init(netSpec(config.model, set.encoding.vocab, set.encoding.seqLen, config.method), new Rng(1));
      const parts = { net, table: new PuzzleTable(set.numPuzzleIds, config.model.puzzleEmbDim), optimizer: new AdamOptimizer({ ...config.optimizer }), ema: null, opt: config.optimizer };
      const def = methodDef(method);
      const m = def.train({
        parts,
        config,
        sampler: new BatchSampler(set, 6, new Rng(5)),
        rng: { halting: new Rng(6), targets: new Rng(7) },
        ctx: { encoding: 'nqueens', side: 3, vocab: 3 },
        runner: new LocalRunner(parts, def, config, 6),
      });
      try {
        const drop = (r: object) => tf.dispose(Object.values(r).filter((x): x is tf.Tensor => x instanceof tf.Tensor));
        drop(await m.step(1));
        const base = tf.memory().numBytes;
        const info = await tf.profile(async () => {
          drop(await m.step(2));
          return tf.scalar(0);
        });
        expect(stepBytes(config.model, net.totalLen, 6)).toBeGreaterThanOrEqual(info.peakBytes - base);
      } finally {
        m.dispose();
        net.dispose();
        parts.optimizer.dispose();
      }
    });
  }
});
