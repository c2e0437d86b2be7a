// HRM training (sapientinc/HRM models/hrm/hrm_act_v1.py + models/losses.py ACTLossHead). Rows halt on
// their own as in TRM (./trm.ts: admitRows, restartCarry): a halted row takes the next batch's row
// and restarts from H_init/L_init. One supervision step for every row:
//   1. no grad: the inner forward's first T·n + T − 2 updates (../model/hrm.ts);
//   2. on the tape: x, the last z_L- and z_H-update, the heads, the loss;
//   3. the Q-continue target, with no gradient, from a SECOND whole inner forward on the new carry:
//        target = sigmoid(is_last ? q_halt' : max(q_halt', q_continue'))      is_last: steps + 1 ≥ N_sup
//      (only in training with halting on and N_sup > 1, as the authors compute it; its T·n + T calls
//      are counted as no-grad calls);
//   4. loss = lm + 0.5·(BCE(q_halt, exact_match) + BCE(q_continue, target)), per-row sums / B as TRM;
//   5. halting: steps ≥ N_sup OR (q_halt > q_continue AND steps ≥ min_steps), min_steps as TRM's
//      exploration (U{2..N_sup} with probability exploreProb, else 0). TRM's rule is q_halt > 0
//      because TRM switched the continue output off (no_ACT_continue); HRM compares the two.
// The carry is detached between steps (it leaves the tape as kept clones).
import * as tf from '@tensorflow/tfjs';
import type { RunConfig } from '../../../src-shared/engine/run-config';
import type { Rng } from '../../../src-shared/prng';
import type { BatchSampler } from '../data/sampler';
import { exactMatch, lmLoss, qHaltLoss } from '../losses';
import { hrmForward, hrmLastUpdates, hrmNoGradUpdates } from '../model/hrm';
import type { TrmNet } from '../model/trm';
import { withoutGradient } from '../ops/stop-gradient';
import { learningRate } from '../optim/schedule';
import { gatherRows, type TrainParts } from './supervision-step';
import { admitRows, haltRows, restartCarry, type TrmRows } from './trm';
import type { CarryState, StepRecord, TrainMethod } from './types';

/** Column `i` of q [B, 2] as [B]. */
function qColumn(q: tf.Tensor2D, i: 0 | 1): tf.Tensor1D {
  return tf.reshape(tf.slice(q, [0, i], [q.shape[0], 1]), [q.shape[0]]) as tf.Tensor1D;
}

/**
 * The Q-continue target from a second, gradient-free inner forward on the new carry: constants with
 * respect to everything on the tape (withoutGradient runs it outside the tape, so its calls count as
 * no-grad calls). isLast: float [B], 1 where the row's trajectory ends at this step by depth.
 */
export function continueTarget(net: TrmNet, zH: tf.Tensor3D, zL: tf.Tensor3D, x: tf.Tensor3D, isLast: tf.Tensor1D, T: number, n: number): tf.Tensor1D {
  return withoutGradient(zH, () => {
    const next = hrmForward(net, zH, zL, x, T, n);
    const q = net.qHead(next.zH);
    const halt = qColumn(q, 0);
    const best = tf.where(tf.cast(isLast, 'bool'), halt, tf.maximum(halt, qColumn(q, 1)));
    return tf.sigmoid(best) as tf.Tensor1D;
  });
}

export interface HrmStepOutput {
  zH: tf.Tensor3D;
  zL: tf.Tensor3D;
  logits: tf.Tensor3D;
  /** q_halt − q_continue per row [B]: the halting signal (> 0 halts) */
  haltMargin: tf.Tensor1D;
  lm: tf.Scalar;
  qHaltLoss: tf.Scalar;
  qContinueLoss: tf.Scalar | null;
  lr: number;
}

/**
 * One HRM supervision step and optimizer update. `isLast` (float [B]) marks rows at their last step;
 * null leaves the continue target out (halting off, or N_sup = 1).
 */
export async function hrmStep(
  parts: TrainParts,
  input: { zH: tf.Tensor3D; zL: tf.Tensor3D; tokens: tf.Tensor2D; labels: tf.Tensor2D; puzzleIds: Int32Array; isLast: tf.Tensor1D | null; T: number; n: number },
  t: number,
): Promise<HrmStepOutput> {
  const { net, table, optimizer, ema, opt } = parts;
  const { tokens, labels, puzzleIds, isLast, T, n } = input;
  const lr = learningRate(opt.lr, opt.warmupSteps, t);
  const rows = gatherRows(table, puzzleIds);
  const x0 = tf.tidy(() => net.inputEmbedding(tokens, rows, null));
  const pre = hrmNoGradUpdates(net, input.zH, input.zL, x0, T, n);
  x0.dispose();

  const params = net.trainable();
  const xs: tf.Tensor[] = params.map(([, p]) => p);
  if (rows) xs.push(rows);
  let kept: Omit<HrmStepOutput, 'lr'> | null = null;
  const { value, grads } = tf.engine().gradients(
    () => {
      const x = net.inputEmbedding(tokens, rows, null);
      const c = hrmLastUpdates(net, pre.zH, pre.zL, x);
      const logits = net.logits(c.zH);
      const q = net.qHead(c.zH);
      const qHalt = qColumn(q, 0);
      const qCont = qColumn(q, 1);
      const lm = lmLoss(logits, labels);
      const correct = withoutGradient(logits, (l) => exactMatch(l as tf.Tensor3D, labels).correct);
      const qh = qHaltLoss(qHalt, correct);
      const qc = isLast ? qHaltLoss(qCont, continueTarget(net, c.zH, c.zL, x, isLast, T, n)) : null;
      kept = {
        zH: tf.keep(c.zH.clone()),
        zL: tf.keep(c.zL.clone()),
        logits: tf.keep(logits.clone()),
        haltMargin: tf.keep(tf.sub(qHalt, qCont) as tf.Tensor1D),
        lm: tf.keep(lm.clone()),
        qHaltLoss: tf.keep(qh.clone()),
        qContinueLoss: qc ? tf.keep(qc.clone()) : null,
      };
      return tf.add(lm, tf.mul(qc ? tf.add(qh, qc) : qh, 0.5)) as tf.Scalar;
    },
    xs,
    undefined,
    true,
  );
  value.dispose();
  tf.dispose([pre.zH, pre.zL]);
  if (!kept) throw new Error('HRM step: the loss did not run');

  const byName: Record<string, tf.Tensor | null> = {};
  params.forEach(([name], i) => (byName[name] = grads[i] ?? null));
  const vars = params as Array<[string, tf.Variable]>;
  optimizer.step(vars, byName, lr);
  const rowsGrad = rows ? (grads[params.length] ?? null) : null;
  if (rows && table) {
    if (rowsGrad) table.signSgd(puzzleIds, await rowsGrad.data(), learningRate(opt.puzzleEmbLr, opt.warmupSteps, t), opt.puzzleEmbWeightDecay);
    rows.dispose();
  }
  tf.dispose(grads);
  ema?.update(vars, t);
  return { ...(kept as Omit<HrmStepOutput, 'lr'>), lr };
}

export class HrmTraining implements TrainMethod {
  private zH: tf.Tensor3D | null = null;
  private zL: tf.Tensor3D | null = null;
  private readonly rows: TrmRows;
  private readonly B: number;
  private readonly S: number;

  constructor(
    private readonly parts: TrainParts,
    private readonly config: RunConfig,
    private readonly sampler: BatchSampler,
    /** exploration draws of the halting rule */
    private readonly haltRng: Rng,
  ) {
    this.B = config.batchSize;
    this.S = parts.net.spec.seqLen;
    this.rows = {
      steps: new Int32Array(this.B),
      halted: new Uint8Array(this.B).fill(1),
      inputs: new Int32Array(this.B * this.S),
      labels: new Int32Array(this.B * this.S),
      puzzleIds: new Int32Array(this.B),
    };
  }

  atBoundary(): boolean {
    return this.rows.halted.every((h) => h === 1);
  }

  private admit(): number {
    const { reset, started } = admitRows(this.sampler.next(), this.rows, this.S);
    if (started > 0) {
      const next = restartCarry(this.parts.net, this.zH, this.zL, reset, started);
      this.zH?.dispose();
      this.zL?.dispose();
      this.zH = next.zH;
      this.zL = next.zL;
    }
    return started;
  }

  async step(t: number): Promise<StepRecord> {
    const { B, S, config } = this;
    const { T, n, Nsup } = config.model;
    const started = this.admit();
    const tokens = tf.tensor2d(this.rows.inputs, [B, S], 'int32');
    const labels = tf.tensor2d(this.rows.labels, [B, S], 'int32');
    // The authors compute the continue target only in training with ACT on (halt_max_steps > 1).
    const withContinue = config.halting.enabled && Nsup > 1;
    const isLast = withContinue ? tf.tensor1d(Float32Array.from(this.rows.steps, (s) => (s + 1 >= Nsup ? 1 : 0))) : null;
    const out = await hrmStep(this.parts, { zH: this.zH!, zL: this.zL!, tokens, labels, puzzleIds: this.rows.puzzleIds, isLast, T, n }, t);
    isLast?.dispose();
    this.zH!.dispose();
    this.zL!.dispose();
    this.zH = out.zH;
    this.zL = out.zL;

    const margin = await out.haltMargin.data();
    const { finished, finishedRows } = haltRows(this.rows, margin, config, this.haltRng);
    const sums = tf.tidy(() => {
      const m = exactMatch(out.logits, labels);
      const mask = tf.tensor1d(finished);
      return { exactSum: tf.sum(tf.mul(m.correct, mask)) as tf.Scalar, tokenAccSum: tf.sum(tf.mul(m.tokenAcc, mask)) as tf.Scalar };
    });
    tf.dispose([tokens, labels, out.logits, out.haltMargin]);
    return { lm: out.lm, qHalt: out.qHaltLoss, qContinue: out.qContinueLoss, ...sums, finishedRows, started, lr: out.lr };
  }

  async exportCarry(): Promise<CarryState | null> {
    if (this.atBoundary() || !this.zH || !this.zL) return null;
    const r = this.rows;
    return {
      json: { method: 'hrm' },
      arrays: {
        'carry/zH': (await this.zH.data()) as Float32Array,
        'carry/zL': (await this.zL.data()) as Float32Array,
        'carry/steps': r.steps.slice(),
        'carry/halted': Int32Array.from(r.halted),
        'carry/inputs': r.inputs.slice(),
        'carry/labels': r.labels.slice(),
        'carry/puzzleIds': r.puzzleIds.slice(),
      },
    };
  }

  importCarry(c: CarryState): void {
    if (c.json['method'] !== 'hrm') throw new Error(`checkpoint carry is not an HRM state (it says ${String(c.json['method'])})`);
    const a = c.arrays;
    const { B, S } = this;
    const L = this.parts.net.totalLen;
    const D = this.parts.net.spec.hidden;
    const need = (k: string, len: number) => {
      const v = a[k];
      if (!v || v.length !== len) throw new Error(`checkpoint carry ${k} is missing or does not fit batch ${B}`);
      return v;
    };
    this.zH?.dispose();
    this.zL?.dispose();
    this.zH = tf.tensor3d(need('carry/zH', B * L * D) as Float32Array, [B, L, D]);
    this.zL = tf.tensor3d(need('carry/zL', B * L * D) as Float32Array, [B, L, D]);
    this.rows.steps.set(need('carry/steps', B));
    this.rows.halted.set(need('carry/halted', B));
    this.rows.inputs.set(need('carry/inputs', B * S));
    this.rows.labels.set(need('carry/labels', B * S));
    this.rows.puzzleIds.set(need('carry/puzzleIds', B));
  }

  dispose(): void {
    this.zH?.dispose();
    this.zL?.dispose();
    this.zH = this.zL = null;
  }
}
