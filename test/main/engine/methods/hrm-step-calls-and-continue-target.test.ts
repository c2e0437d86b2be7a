import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { BatchSampler } from '../../../../src-main/engine/data/sampler';
import { hrmStep, HrmTraining } from '../../../../src-main/engine/methods/hrm';
import type { TrainParts } from '../../../../src-main/engine/methods/supervision-step';
import { hrmCallsPerForward, hrmForward } from '../../../../src-main/engine/model/hrm';
import { PuzzleTable } from '../../../../src-main/engine/model/puzzle-table';
import { netSpec, TrmNet, type Level } from '../../../../src-main/engine/model/trm';
import { AdamOptimizer } from '../../../../src-main/engine/optim/adam';
import type { RunConfig } from '../../../../src-shared/engine/run-config';
import { Rng } from '../../../../src-shared/prng';
import { tinyConfig, tinyTrainingSet } from '../fixtures';
import { useWasm } from '../helpers';

beforeAll(useWasm);

/** Keeps the weights fixed (so a second forward sees the weights the step used). */
class NoUpdate extends AdamOptimizer {
  override step(): void {}
}

function parts(config: RunConfig, optimizer?: AdamOptimizer): TrainParts {
  const set = tinyTrainingSet();
  const net = TrmNet.init(netSpec(config.model, set.encoding.vocab, set.encoding.seqLen, config.method), new Rng(config.seed));
  return { net, table: new PuzzleTable(set.numPuzzleIds, config.model.puzzleEmbDim), optimizer: optimizer ?? new AdamOptimizer({ ...config.optimizer }), ema: null, opt: config.optimizer };
}

/** Records each network call's level, with '*' when it ran on the gradient tape. */
function traceLevels(net: TrmNet): string[] {
  const seen: string[] = [];
  const call = net.net.bind(net);
  net.net = (h: tf.Tensor3D, inj: tf.Tensor3D, level: Level | null = null) => {
    seen.push(`${level}${tf.engine().isTapeOn() ? '*' : ''}`);
    return call(h, inj, level);
  };
  return seen;
}

describe('HRM network calls per supervision step, measured on the tape', () => {
  it('one inner forward is T·n z_L- and T z_H-updates in the authors’ order, only the last z_L and z_H with gradient', async () => {
    const config = tinyConfig('hrm', { T: 2, n: 3, Nsup: 2 }, { halting: { enabled: false, exploreProb: 0 } });
    const p = parts(config);
    const seen = traceLevels(p.net);
    const hrm = new HrmTraining(p, config, new BatchSampler(tinyTrainingSet(), 4, new Rng(2)), new Rng(3));
    const r = await hrm.step(1);
    // h = 1: L L L H; h = 2: L L (the third L is the taped one), no H; then the taped L and H.
    expect(seen).toEqual(['L', 'L', 'L', 'H', 'L', 'L', 'L*', 'H*']);
    expect(r.qContinue).toBeNull();
    tf.dispose([r.lm, r.qHalt!, r.exactSum, r.tokenAccSum]);
    hrm.dispose();
    p.net.dispose();
  });

  it('without the continue target (halting off) a trajectory costs (T·n + T)·N_sup calls, 2·N_sup with gradient', async () => {
    const config = tinyConfig('hrm', { T: 2, n: 3, Nsup: 3 }, { halting: { enabled: false, exploreProb: 0 } });
    const p = parts(config);
    const hrm = new HrmTraining(p, config, new BatchSampler(tinyTrainingSet(), 4, new Rng(2)), new Rng(3));
    for (let t = 1; t <= 3; t++) {
      const r = await hrm.step(t);
      expect(r.finishedRows).toBe(t === 3 ? 4 : 0);
      tf.dispose([r.lm, r.qHalt!, r.exactSum, r.tokenAccSum]);
    }
    const per = hrmCallsPerForward(2, 3);
    expect(per).toEqual({ total: 8, grad: 2, noGrad: 6 });
    expect(p.net.counter.snapshot()).toEqual({ noGrad: 6 * 3, grad: 2 * 3 });
    hrm.dispose();
    p.net.dispose();
  });

  it('with the continue target every step adds a whole gradient-free inner forward (T·n + T more no-grad calls)', async () => {
    const config = tinyConfig('hrm', { T: 2, n: 3, Nsup: 3 }, { halting: { enabled: true, exploreProb: 0.5 } });
    const p = parts(config);
    const hrm = new HrmTraining(p, config, new BatchSampler(tinyTrainingSet(), 4, new Rng(2)), new Rng(3));
    for (let t = 1; t <= 3; t++) {
      const r = await hrm.step(t);
      expect(r.qContinue).not.toBeNull();
      tf.dispose([r.lm, r.qHalt!, r.qContinue!, r.exactSum, r.tokenAccSum]);
    }
    // Every row computes every step, halted or not: the count does not depend on halting.
    expect(p.net.counter.snapshot()).toEqual({ noGrad: (6 + 8) * 3, grad: 2 * 3 });
    hrm.dispose();
    p.net.dispose();
  });
});

describe('the HRM step loss', () => {
  it('is lm + 0.5·(q_halt BCE + q_continue BCE) with the target sigmoid(last ? q_halt′ : max(q_halt′, q_continue′)) of a second forward from the new carry', async () => {
    const config = tinyConfig('hrm', { T: 2, n: 2, Nsup: 4 });
    const p = parts(config, new NoUpdate({ ...config.optimizer }));
    const B = 4;
    const S = 9;
    const tokens = tf.tensor2d(Int32Array.from({ length: B * S }, (_, i) => 1 + ((i * 7) % 2)), [B, S], 'int32');
    const labels = tf.tensor2d(Int32Array.from({ length: B * S }, (_, i) => 1 + ((i * 5) % 3 === 0 ? 1 : 0)), [B, S], 'int32');
    const ids = Int32Array.from([1, 2, 3, 1]);
    // Non-zero Q weights, so q_halt′ and q_continue′ differ and the max matters.
    (p.net.weights['q_head.w'] as tf.Variable).assign(tf.randomNormal([16, 2], 0, 0.5, 'float32', 7));
    const start = p.net.initialCarry(B);
    const isLast = tf.tensor1d([0, 1, 0, 1]);
    // The rows as the step reads them (its sign-SGD update changes the table afterwards).
    const rowValues = p.table!.gather(ids);
    const out = await hrmStep(p, { zH: start.zH, zL: start.zL, tokens, labels, puzzleIds: ids, isLast, T: 2, n: 2 }, 1);

    const expected = tf.tidy(() => {
      const rows = tf.tensor2d(rowValues, [B, 16]);
      const x = p.net.inputEmbedding(tokens, rows, null);
      const next = hrmForward(p.net, out.zH, out.zL, x, 2, 2);
      const qn = p.net.qHead(next.zH);
      const halt = tf.reshape(tf.slice(qn, [0, 0], [B, 1]), [B]);
      const cont = tf.reshape(tf.slice(qn, [0, 1], [B, 1]), [B]);
      const target = tf.sigmoid(tf.where(tf.cast(isLast, 'bool'), halt, tf.maximum(halt, cont)));
      const q = p.net.qHead(out.zH);
      const qc = tf.reshape(tf.slice(q, [0, 1], [B, 1]), [B]);
      // BCE with logits, per row, summed and divided by B as the lab's losses do.
      const bce = tf.add(tf.sub(tf.relu(qc), tf.mul(qc, target)), tf.log1p(tf.exp(tf.neg(tf.abs(qc)))));
      return tf.div(tf.sum(bce), B);
    });
    expect((await out.qContinueLoss!.data())[0]).toBeCloseTo((await expected.data())[0]!, 5);
    tf.dispose([expected, out.zH, out.zL, out.logits, out.haltMargin, out.lm, out.qHaltLoss, out.qContinueLoss!, tokens, labels, isLast, start.zH, start.zL]);
    p.net.dispose();
  });
});
