import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { BatchSampler } from '../../../../src-main/engine/data/sampler';
import { freshCarry, LocalRunner, supervisionStep } from '../../../../src-main/engine/methods/executor';
import { HRM } from '../../../../src-main/engine/methods/hrm';
import type { TrainParts } from '../../../../src-main/engine/methods/method';
import { TrmTraining } from '../../../../src-main/engine/methods/trm';
import { hrmCallsPerForward, hrmForward } from '../../../../src-main/engine/model/hrm';
import { PuzzleTable } from '../../../../src-main/engine/model/puzzle-table';
import { netSpec, TrmNet, type Level } from '../../../../src-main/engine/model/trm';
import { AdamOptimizer } from '../../../../src-main/engine/optim/adam';
import type { RunConfig } from '../../../../src-shared/method/run-config';
import { Rng } from '../../../../src-shared/prng';
import { tinyConfig, tinyTrainingSet } from '../fixtures';
import { useWasm } from '../helpers';

beforeAll(useWasm);

function parts(config: RunConfig): TrainParts {
  const set = tinyTrainingSet();
  const net = TrmNet.init(netSpec(config.model, set.encoding.vocab, set.encoding.seqLen, config.method), new Rng(config.seed));
  return { net, table: new PuzzleTable(set.numPuzzleIds, config.model.puzzleEmbDim), optimizer: new AdamOptimizer({ ...config.optimizer }), ema: null, opt: config.optimizer };
}

/** HRM's training loop as the trainer builds it: TRM's per-row loop over a runner of HRM steps. */
function hrmTraining(p: TrainParts, config: RunConfig): TrmTraining {
  return HRM.train({ parts: p, config, sampler: new BatchSampler(tinyTrainingSet(), 4, new Rng(2)), rng: { halting: new Rng(3), targets: new Rng(4) }, ctx: { encoding: 'nqueens', side: 3, vocab: 3 }, runner: new LocalRunner(p, HRM, config, 4) }) as TrmTraining;
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
  it('one inner forward is T·n z_L- and T z_H-updates in the authors’ order, only the last z_L and z_H with gradient; the continue target’s forward follows off the tape', async () => {
    const config = tinyConfig('hrm', { T: 2, n: 3, Nsup: 2 });
    const p = parts(config);
    const seen = traceLevels(p.net);
    const hrm = hrmTraining(p, config);
    const r = await hrm.step(1);
    // h = 1: L L L H; h = 2: L L (the third L is the taped one), no H; the taped L and H; then the
    // second forward (all eight, no gradient) for the continue target.
    expect(seen).toEqual(['L', 'L', 'L', 'H', 'L', 'L', 'L*', 'H*', 'L', 'L', 'L', 'H', 'L', 'L', 'L', 'H']);
    expect(r.qContinue).not.toBeNull();
    tf.dispose([r.lm, r.qHalt!, r.qContinue!, r.exactSum, r.tokenAccSum]);
    hrm.dispose();
    p.net.dispose();
  });

  it('with the continue target (N_sup > 1, halting on or off) a trajectory costs 2(T·n + T)·N_sup calls, 2·N_sup with gradient', async () => {
    for (const enabled of [true, false]) {
      const config = tinyConfig('hrm', { T: 2, n: 3, Nsup: 3 }, { halting: { enabled, exploreProb: 0.5 } });
      const p = parts(config);
      const hrm = hrmTraining(p, config);
      for (let t = 1; t <= 3; t++) {
        const r = await hrm.step(t);
        expect(r.qContinue).not.toBeNull();
        tf.dispose([r.lm, r.qHalt!, r.qContinue!, r.exactSum, r.tokenAccSum]);
      }
      expect(hrmCallsPerForward(2, 3)).toEqual({ total: 8, grad: 2, noGrad: 6 });
      // Every row computes every step, halted or not: the count does not depend on halting.
      expect(p.net.counter.snapshot()).toEqual({ noGrad: (6 + 8) * 3, grad: 2 * 3 });
      hrm.dispose();
      p.net.dispose();
    }
  });

  it('without the continue target (N_sup = 1, nothing to continue to) a step costs T·n + T calls, 2 with gradient', async () => {
    const config = tinyConfig('hrm', { T: 2, n: 3, Nsup: 1 });
    const p = parts(config);
    const hrm = hrmTraining(p, config);
    for (let t = 1; t <= 2; t++) {
      const r = await hrm.step(t);
      expect(r.qContinue).toBeNull();
      expect(r.finishedRows).toBe(4);
      tf.dispose([r.lm, r.qHalt!, r.exactSum, r.tokenAccSum]);
    }
    expect(p.net.counter.snapshot()).toEqual({ noGrad: 6 * 2, grad: 2 * 2 });
    hrm.dispose();
    p.net.dispose();
  });
});

describe('the HRM step loss', () => {
  it('is lm + 0.5·(q_halt BCE + q_continue BCE) with the target sigmoid(last ? q_halt′ : max(q_halt′, q_continue′)) of a second forward from the new carry', async () => {
    const config = tinyConfig('hrm', { T: 2, n: 2, Nsup: 2 });
    const p = parts(config);
    const B = 4;
    const S = 9;
    const tokens = tf.tensor2d(Int32Array.from({ length: B * S }, (_, i) => 1 + ((i * 7) % 2)), [B, S], 'int32');
    const labels = tf.tensor2d(Int32Array.from({ length: B * S }, (_, i) => 1 + ((i * 5) % 3 === 0 ? 1 : 0)), [B, S], 'int32');
    // Non-zero Q weights, so q_halt′ and q_continue′ differ and the max matters.
    (p.net.weights['q_head.w'] as tf.Variable).assign(tf.randomNormal([16, 2], 0, 0.5, 'float32', 7));
    const rows = tf.tensor2d(p.table!.gather([1, 2, 3, 1]), [B, 16]);
    // Rows 1 and 3 are one step from N_sup = 2: this step is their last.
    const start = freshCarry(HRM, p.net, tokens, config);
    const carry = { ...start, depth: tf.tensor1d([0, 1, 0, 1]) };
    const out = supervisionStep(HRM, p.net, config, carry, { tokens, target: labels, s: 0, w: 1 }, rows);
    expect(Array.from(await out.carry['depth']!.data())).toEqual([1, 2, 1, 2]);

    const expected = tf.tidy(() => {
      const x = p.net.inputEmbedding(tokens, rows, null);
      const next = hrmForward(p.net, out.carry['zH'] as tf.Tensor3D, out.carry['zL'] as tf.Tensor3D, x, 2, 2);
      const qn = p.net.qHead(next.zH);
      const halt = tf.reshape(tf.slice(qn, [0, 0], [B, 1]), [B]);
      const cont = tf.reshape(tf.slice(qn, [0, 1], [B, 1]), [B]);
      const target = tf.sigmoid(tf.where(tf.tensor1d([false, true, false, true], 'bool'), halt, tf.maximum(halt, cont)));
      const qc = tf.reshape(tf.slice(out.q, [0, 1], [B, 1]), [B]);
      // BCE with logits, per row, summed and divided by B as the lab's losses do.
      const bce = tf.add(tf.sub(tf.relu(qc), tf.mul(qc, target)), tf.log1p(tf.exp(tf.neg(tf.abs(qc)))));
      return tf.div(tf.sum(bce), B);
    });
    expect((await out.loss.qContinue!.data())[0]).toBeCloseTo((await expected.data())[0]!, 5);
    const total = (await out.loss.total.data())[0]!;
    const parts3 = [(await out.loss.lm.data())[0]!, (await out.loss.qHalt!.data())[0]!, (await out.loss.qContinue!.data())[0]!];
    expect(total).toBeCloseTo(parts3[0]! + 0.5 * (parts3[1]! + parts3[2]!), 5);
    // Gradients reach the Q head's continue column through the continue loss.
    const gq = await out.grads['q_head.w']!.data();
    expect(Array.from(gq).some((v, i) => i % 2 === 1 && v !== 0)).toBe(true);
    tf.dispose([expected, tokens, labels, rows, out.logits, out.q, out.loss.total, out.loss.lm, out.loss.qHalt!, out.loss.qContinue!, ...Object.values(out.carry), ...Object.values(start)]);
    tf.dispose([carry['depth']!, ...Object.values(out.grads).filter((g): g is tf.Tensor => g !== null), ...(out.rowsGrad ? [out.rowsGrad] : [])]);
    p.net.dispose();
  });
});
