// Kernels per training step (issue #16.2): at short sequences a step's cost on wasm is largely per-kernel
// overhead, so the number of tfjs kernels one optimizer step issues must not grow with the batch (it
// did: per-(batch·head) attention products). Counts are deterministic; nothing here is timed.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { BatchSampler } from '../../../../src-main/engine/data/sampler';
import { LocalRunner } from '../../../../src-main/engine/methods/executor';
import { methodDef } from '../../../../src-main/engine/methods/index';
import type { TrainParts } from '../../../../src-main/engine/methods/method';
import type { StepRecord } from '../../../../src-main/engine/methods/types';
import { PuzzleTable } from '../../../../src-main/engine/model/puzzle-table';
import { netSpec, TrmNet } from '../../../../src-main/engine/model/trm';
import { AdamOptimizer } from '../../../../src-main/engine/optim/adam';
import { Ema } from '../../../../src-main/engine/optim/ema';
import type { Method } from '../../../../src-shared/method/methods';
import { Rng } from '../../../../src-shared/prng';
import { tinyConfig, tinyTrainingSet } from '../fixtures';
import { useWasm } from '../helpers';

beforeAll(useWasm);

// 8×8 boards behind a 16-token puzzle prefix: the 80 tokens of the bench's N-Queens rows.
const set = tinyTrainingSet(3, 8, 1, 8);
const ctx = { encoding: 'nqueens' as const, side: 8, vocab: 3 };

function dispose(r: StepRecord): void {
  tf.dispose([r.lm, r.exactSum, r.tokenAccSum, ...(r.qHalt ? [r.qHalt] : []), ...(r.qContinue ? [r.qContinue] : [])]);
}

/** Kernels of the second optimizer step (the first starts every row) at batch B. */
async function kernelsPerStep(method: Method, B: number): Promise<number> {
  const config = tinyConfig(method, { puzzleEmbLen: 16, heads: 4 }, { batchSize: B });
  expect(config.model.T * config.model.n).toBeGreaterThan(0);
  const net = TrmNet.init(netSpec(config.model, set.encoding.vocab, set.encoding.seqLen, method), new Rng(1));
  expect(net.totalLen).toBe(80);
  const optimizer = new AdamOptimizer({ ...config.optimizer });
  const ema = new Ema(net.trainable(), 0.999, true);
  const parts: TrainParts = { net, table: new PuzzleTable(set.numPuzzleIds, config.model.puzzleEmbDim), optimizer, ema, opt: config.optimizer };
  const def = methodDef(method);
  const train = def.train({ parts, config, sampler: new BatchSampler(set, B, new Rng(5)), rng: { halting: new Rng(6), targets: new Rng(7) }, ctx, runner: new LocalRunner(parts, def, config, B) });
  try {
    dispose(await train.step(1));
    let record: StepRecord | null = null;
    const prof = await tf.profile(async () => {
      record = await train.step(2);
      await record.lm.data();
      return tf.scalar(0);
    });
    expect(record!.started).toBe(0);
    dispose(record!);
    (prof.result as tf.Tensor).dispose();
    return prof.kernels.length;
  } finally {
    train.dispose();
    ema.dispose();
    optimizer.dispose();
    net.dispose();
  }
}

describe('kernels per training step at 80 tokens', () => {
  for (const method of ['dis', 'trm'] as const) {
    it(`${method.toUpperCase()}: the same number of kernels at batch 2 and batch 12`, async () => {
      const small = await kernelsPerStep(method, 2);
      const large = await kernelsPerStep(method, 12);
      expect(small).toBeGreaterThan(100);
      expect(large).toBe(small);
    });
  }
});
