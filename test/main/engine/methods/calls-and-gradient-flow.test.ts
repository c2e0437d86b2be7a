import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { BatchSampler } from '../../../../src-main/engine/data/sampler';
import { DisTraining } from '../../../../src-main/engine/methods/dis';
import { applyUpdate, gatherRows, supervisionStep, type StepResult } from '../../../../src-main/engine/methods/executor';
import type { Carry, MethodDef, StepLoss, TrainParts } from '../../../../src-main/engine/methods/method';
import { cycles, TRM, TrmTraining } from '../../../../src-main/engine/methods/trm';
import { lmLoss } from '../../../../src-main/engine/losses';
import { PuzzleTable } from '../../../../src-main/engine/model/puzzle-table';
import { netSpec, TrmNet } from '../../../../src-main/engine/model/trm';
import { AdamOptimizer } from '../../../../src-main/engine/optim/adam';
import type { RunConfig } from '../../../../src-shared/method/run-config';
import { Rng } from '../../../../src-shared/prng';
import { tinyConfig, tinyTrainingSet } from '../fixtures';
import { relErr, useWasm } from '../helpers';

beforeAll(useWasm);

/** Records the gradients it is given instead of applying them. */
class CapturingOptimizer extends AdamOptimizer {
  captured: Record<string, Float32Array> = {};
  override step(params: ReadonlyArray<[string, tf.Variable]>, grads: Record<string, tf.Tensor | null>): void {
    for (const [name] of params) {
      const g = grads[name];
      if (g) this.captured[name] = g.dataSync() as Float32Array;
    }
  }
}

function parts(config: RunConfig, optimizer?: AdamOptimizer, set = tinyTrainingSet()): TrainParts {
  const net = TrmNet.init(netSpec(config.model, set.encoding.vocab, set.encoding.seqLen, config.method), new Rng(config.seed));
  return {
    net,
    table: new PuzzleTable(set.numPuzzleIds, config.model.puzzleEmbDim),
    optimizer: optimizer ?? new AdamOptimizer({ ...config.optimizer }),
    ema: null,
    opt: config.optimizer,
  };
}

describe('network calls per trajectory (docs/method-notes.md#compute-accounting), measured on the tape', () => {
  it('a DIS trajectory costs exactly 18 calls = T(n+1)N_sup = 1·3·6, all with gradient', async () => {
    const config = tinyConfig('dis');
    const p = parts(config);
    const set = tinyTrainingSet();
    const dis = new DisTraining(p, config, new BatchSampler(set, 4, new Rng(2)), new Rng(3), { encoding: 'nqueens', side: 3, vocab: 3 });
    for (let t = 1; t <= 6; t++) {
      const r = await dis.step(t);
      expect(r.started).toBe(t === 1 ? 4 : 0);
      expect(r.finishedRows).toBe(t === 6 ? 4 : 0);
      tf.dispose([r.lm, r.exactSum, r.tokenAccSum]);
    }
    expect(dis.atBoundary()).toBe(true);
    expect(p.net.counter.snapshot()).toEqual({ grad: 18, noGrad: 0 });
    dis.dispose();
    p.net.dispose();
  });

  it('a TRM trajectory with halting off costs T(n+1)N_sup calls: (T−1)(n+1)N_sup without and (n+1)N_sup with gradient', async () => {
    const config = tinyConfig('trm', { T: 3, n: 2, Nsup: 3 }, { halting: { enabled: false, exploreProb: 0.1 } });
    const p = parts(config);
    const trm = new TrmTraining(p, config, new BatchSampler(tinyTrainingSet(), 4, new Rng(2)), new Rng(4));
    for (let t = 1; t <= 3; t++) {
      const r = await trm.step(t);
      expect(r.finishedRows).toBe(t === 3 ? 4 : 0);
      tf.dispose([r.lm, r.qHalt!, r.exactSum, r.tokenAccSum]);
    }
    expect(trm.atBoundary()).toBe(true);
    expect(p.net.counter.snapshot()).toEqual({ noGrad: 2 * 3 * 3, grad: 3 * 3 });
    trm.dispose();
    p.net.dispose();
  });
});

/** One supervision step of `method` (TRM's recursion with the given loss) and its update, as a training step applies them. */
async function trainStep(p: TrainParts, config: RunConfig, loss: (logits: tf.Tensor3D) => StepLoss, carry: Carry, tokens: tf.Tensor2D, ids: Int32Array, t: number): Promise<StepResult> {
  const method: MethodDef = { ...TRM, loss: ({ readout }) => loss(readout.logits) };
  const rows = gatherRows(p.table, ids);
  const out = supervisionStep(method, p.net, config, carry, { tokens, target: tokens, s: 1, w: 1 }, rows);
  await applyUpdate(p, out.grads, out.rowsGrad, ids, t);
  tf.dispose([rows!, ...(out.rowsGrad ? [out.rowsGrad] : []), ...Object.values(out.grads).filter((g): g is tf.Tensor => g !== null)]);
  return out;
}

describe('gradients reach only the last T-cycle, and the carry is detached between steps', () => {
  const config = tinyConfig('trm', { T: 3, n: 2, Nsup: 4 });
  const B = 4;
  const ids = Int32Array.from([1, 2, 3, 1]);
  const tokenData = Int32Array.from({ length: B * 9 }, (_, i) => 1 + ((i * 7) % 2));
  const labelData = Int32Array.from({ length: B * 9 }, (_, i) => 1 + ((i * 5) % 3 === 0 ? 1 : 0));

  /** Gradients of the step's loss with respect to every weight, from a tape over `cycles` cycles from the given carry. */
  function tapedGradients(p: TrainParts, zH: tf.Tensor3D, zL: tf.Tensor3D, cycles: number, loss: (l: tf.Tensor3D) => tf.Scalar): Record<string, Float32Array> {
    const vars = p.net.trainable().map(([, v]) => v as tf.Variable);
    const rows = tf.tensor2d(p.table!.gather(ids), [B, 16]);
    const tokens = tf.tensor2d(tokenData, [B, 9], 'int32');
    const { grads } = tf.variableGrads(() => {
      const x = p.net.inputEmbedding(tokens, rows);
      let h = zH;
      let l = zL;
      for (let c = 0; c < cycles; c++) ({ zH: h, zL: l } = p.net.cycle(h, l, x, config.model.n));
      return loss(p.net.logits(h));
    }, vars);
    const out: Record<string, Float32Array> = {};
    for (const [name, v] of p.net.trainable()) {
      const g = grads[(v as tf.Variable).name];
      // The Q-head is not in this loss: no gradient, as the step's optimizer also sees.
      if (g) out[name] = g.dataSync() as Float32Array;
    }
    tf.dispose([rows, tokens, ...Object.values(grads)]);
    return out;
  }

  function maxRelDiff(a: Record<string, Float32Array>, b: Record<string, Float32Array>): number {
    let worst = 0;
    expect(Object.keys(a).sort()).toEqual(Object.keys(b).sort());
    for (const name of Object.keys(b)) worst = Math.max(worst, tf.tidy(() => relErr(tf.tensor(a[name]!), tf.tensor(b[name]!))));
    return worst;
  }

  it('the step gradients equal those of the last cycle alone from the no-grad cycles’ output as a constant, not those of a tape over all T cycles', async () => {
    const capture = new CapturingOptimizer({ ...config.optimizer });
    const p = parts(config, capture);
    // Non-zero puzzle rows, so the prefix matters.
    p.table!.data.forEach((_, i) => (p.table!.data[i] = Math.sin(i)));
    const labels = tf.tensor2d(labelData, [B, 9], 'int32');
    const lossFn = (logits: tf.Tensor3D): StepLoss => {
      const lm = lmLoss(logits, labels);
      return { total: lm, lm, qHalt: null };
    };
    const init = p.net.initialCarry(B);
    const tokens = tf.tensor2d(tokenData, [B, 9], 'int32');
    const table0 = p.table!.data.slice();
    const out = await trainStep(p, config, lossFn, init, tokens, ids, 1);
    expect(p.net.counter.snapshot()).toEqual({ noGrad: 6, grad: 3 });
    // The references are computed with the puzzle rows the step saw (sign-SGD has moved them since).
    p.table!.data.set(table0);

    // Reference: run the T−1 cycles as plain computation, copy the result into fresh constants, tape the last cycle.
    const x0 = p.net.inputEmbedding(tokens, tf.tensor2d(p.table!.gather(ids), [B, 16]));
    const pre = cycles(p.net, init, x0, 2, 2) as { zH: tf.Tensor3D; zL: tf.Tensor3D };
    const constH = tf.tensor3d(pre.zH.dataSync() as Float32Array, pre.zH.shape);
    const constL = tf.tensor3d(pre.zL.dataSync() as Float32Array, pre.zL.shape);
    const lastOnly = tapedGradients(p, constH, constL, 1, (l) => lmLoss(l, labels));
    const leaky = tapedGradients(p, init.zH, init.zL, 3, (l) => lmLoss(l, labels));
    expect(maxRelDiff(capture.captured, lastOnly)).toBeLessThan(1e-4);
    // The test has power: a tape over all cycles gives clearly different gradients.
    expect(maxRelDiff(capture.captured, leaky)).toBeGreaterThan(1e-2);

    // Next step from the returned carry: again only that step's last cycle, the carry a constant.
    capture.captured = {};
    const out2 = await trainStep(p, { ...config, model: { ...config.model, T: 1 } }, lossFn, out.carry, tokens, ids, 2);
    const zH = out.carry['zH'] as tf.Tensor3D;
    const zL = out.carry['zL'] as tf.Tensor3D;
    p.table!.data.set(table0);
    const fromConstCarry = tapedGradients(
      p,
      tf.tensor3d(zH.dataSync() as Float32Array, zH.shape),
      tf.tensor3d(zL.dataSync() as Float32Array, zL.shape),
      1,
      (l) => lmLoss(l, labels),
    );
    expect(maxRelDiff(capture.captured, fromConstCarry)).toBeLessThan(1e-4);
    tf.dispose([labels, tokens, x0, pre.zH, pre.zL, constH, constL, init.zH, init.zL, ...Object.values(out.carry), out.logits, out.q, out.loss.lm, ...Object.values(out2.carry), out2.logits, out2.q, out2.loss.lm]);
    p.net.dispose();
  });

  it('sign-SGD updates exactly the batch’s puzzle rows', async () => {
    const p = parts(config);
    const before = p.table!.data.slice();
    const labels = tf.tensor2d(labelData, [B, 9], 'int32');
    const tokens = tf.tensor2d(tokenData, [B, 9], 'int32');
    const init = p.net.initialCarry(B);
    const onlyTwo = Int32Array.from([2, 2, 3, 3]);
    const out = await trainStep(p, { ...config, model: { ...config.model, T: 1 } }, (l) => { const lm = lmLoss(l, labels); return { total: lm, lm, qHalt: null }; }, init, tokens, onlyTwo, 1);
    const changed = (row: number) => p.table!.data.subarray(row * 16, row * 16 + 16).some((v, j) => v !== before[row * 16 + j]);
    expect([0, 1, 2, 3].map(changed)).toEqual([false, false, true, true]);
    // From zero, one sign-SGD step moves every touched coordinate by exactly ±lr (or 0 where the gradient is 0).
    for (const v of p.table!.data.subarray(2 * 16, 4 * 16)) expect([0, 1e-2].some((m) => Math.abs(Math.abs(v) - m) < 1e-9)).toBe(true);
    tf.dispose([labels, tokens, init.zH, init.zL, ...Object.values(out.carry), out.logits, out.q, out.loss.lm]);
    p.net.dispose();
  });
});

describe('TRM halting and row replacement (docs/method-notes.md#halting)', () => {
  it('rows that halted take the corresponding row of the new batch; the others keep their data and depth', async () => {
    const config = tinyConfig('trm', { T: 1, n: 1, Nsup: 4 }, { halting: { enabled: true, exploreProb: 0.5 } });
    const set = tinyTrainingSet(6, 1, 5);
    const p = parts(config, undefined, set);
    // q_halt > 0 for every row: a row halts unless exploration drew a minimum depth ≥ 2.
    (p.net.weights['q_head.b'] as tf.Variable).assign(tf.tensor1d([5, 5]));
    const trm = new TrmTraining(p, config, new BatchSampler(set, 4, new Rng(2)), new Rng(9));
    const mirror = new BatchSampler(set, 4, new Rng(2));
    const batch1 = mirror.next();
    const r1 = await trm.step(1);
    expect(r1.started).toBe(4);
    const c1 = await trm.exportCarry();
    if (!c1) throw new Error('rows should be mid-trajectory after one step');
    const halted = Array.from(c1.arrays['carry/halted']!);
    expect(halted).toContain(1);
    expect(halted).toContain(0); // this seed gives a mix; the test needs both kinds
    expect(Array.from(c1.arrays['carry/inputs']!)).toEqual(Array.from(batch1.inputs));
    const batch2 = mirror.next();
    const r2 = await trm.step(2);
    expect(r2.started).toBe(halted.filter((h) => h === 1).length);
    const c2 = await trm.exportCarry();
    if (!c2) throw new Error('this seed leaves rows mid-trajectory after step 2');
    const inputs2 = c2.arrays['carry/inputs']!;
    const steps2 = c2.arrays['carry/steps']!;
    for (let b = 0; b < 4; b++) {
      const from = halted[b] ? batch2 : batch1;
      expect(Array.from(inputs2.subarray(b * 9, (b + 1) * 9))).toEqual(Array.from(from.inputs.subarray(b * 9, (b + 1) * 9)));
      expect(steps2[b]).toBe(halted[b] ? 1 : 2);
    }
    tf.dispose([r1.lm, r1.qHalt!, r1.exactSum, r1.tokenAccSum, r2.lm, r2.qHalt!, r2.exactSum, r2.tokenAccSum]);
    trm.dispose();
    p.net.dispose();
  });
});

describe('DIS paper variants', () => {
  it('masking targets, original x every step, linear step weights and AdamATan2 train with finite losses', async () => {
    const base = tinyConfig('dis', { Nsup: 3 });
    const config: RunConfig = {
      ...base,
      mode: 'paper',
      dis: { xSource: 'original', targets: 'mask', eligibility: 'label-only', stepWeights: 'linear' },
      optimizer: { ...base.optimizer, kind: 'adam-atan2' },
    };
    const p = parts(config, new AdamOptimizer({ ...config.optimizer }));
    const dis = new DisTraining(p, config, new BatchSampler(tinyTrainingSet(), 4, new Rng(2)), new Rng(3), { encoding: 'nqueens', side: 3, vocab: 3 });
    for (let t = 1; t <= 3; t++) {
      const r = await dis.step(t);
      expect(Number.isFinite(r.lm.dataSync()[0]!)).toBe(true);
      tf.dispose([r.lm, r.exactSum, r.tokenAccSum]);
    }
    // The Q-head gets no gradient in DIS, so the optimizer never touches it.
    expect(Array.from(p.net.weights['q_head.b']!.dataSync())).toEqual([-5, -5]);
    dis.dispose();
    p.net.dispose();
  });
});
