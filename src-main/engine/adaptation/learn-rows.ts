// Learning a task's puzzle-embedding rows with the network frozen (docs/method-notes.md#adaptation):
// the task's demonstration pairs are built into versions exactly as the run's data pipeline builds a
// task (the run's data.augmentations, translation setting and data seed; its test pairs never
// train), one new zero-initialised row per version, and those rows alone are trained under the
// method's own supervision steps and loss, through the step executor:
//   TRM: deep supervision, N_sup supervision steps per trajectory from H_init/L_init with the carry
//        detached between steps, loss lm + 0.5·BCE(q_halt, exact) per step. Halting/ACT only decides
//        when a row restarts; with a frozen network every row simply runs its N_sup steps.
//   DIS: N_sup steps per trajectory against the target generator's frames F_1..F_Nsup, step index
//        into the step table, x re-fed from the previous argmax (dis.xSource), loss w_s·lm.
// One optimizer step per supervision step, as in training. The rows are updated by the training's
// sign-SGD (lr/wd = the run's puzzleEmbLr/puzzleEmbWeightDecay, no warm-up) or by Adam (the run's
// betas, same decoupled decay). In mode 'embedding+network' a second phase then trains the rows and
// the whole network together (test-time training; the run's weight optimizer and lr, from the
// inference weights).
import * as tf from '@tensorflow/tfjs';
import type { AdaptProgress } from '../../../src-shared/method/protocol';
import { batchFrames, getTargetGenerator } from '../../../src-shared/method/targets';
import { Rng } from '../../../src-shared/prng';
import { parseVersionName } from '../../../src-shared/puzzle/augment';
import { IDENTITY_COLOURS } from '../../../src-shared/puzzle/colours';
import { IGNORE } from '../../../src-shared/puzzle/tokens';
import type { Task } from '../../../src-shared/puzzle/types';
import { encodingOf, type CheckpointMeta } from '../checkpoint-state';
import { buildDatasets } from '../data/training-set';
import { stepWeight } from '../losses';
import { disposeCarry } from '../methods/carry';
import { freshCarry, supervisionStep, type StepResult } from '../methods/executor';
import { methodDef } from '../methods/index';
import { rollout } from '../methods/inference';
import { PuzzleTable } from '../model/puzzle-table';
import type { TrmNet } from '../model/trm';
import { AdamOptimizer } from '../optim/adam';
import { RowAdam } from './row-adam';
import type { AdaptedVersion, AdaptSettings } from './store';

export type AdaptControl = { stopRequested(): 'cancel' | 'pause' | null };

/** What adaptTask trains on: every demonstration example of every version, and the versions. */
export interface AdaptData {
  versions: AdaptedVersion[];
  examples: Array<{ inputs: Int32Array; labels: Int32Array; row: number }>;
}

/** The task's demonstrations as the run's data pipeline would build them (method notes, "Data"); row = version index. */
export function adaptData(meta: CheckpointMeta, task: Task): AdaptData {
  const config = meta.config;
  const enc = encodingOf(meta);
  const { train } = buildDatasets([task], {
    encoding: enc,
    augmentations: config.data.augmentations,
    evalAugmentations: 0,
    translate: config.data.translate,
    // Test pairs never train: they are what the adapted task is asked to solve.
    trainOnTestPairs: false,
    seed: meta.dataSeed,
    blankPuzzleIds: false,
  });
  const group = train.groups[0];
  if (!group) throw new Error(`task ${task.id} has no demonstration pairs to adapt to`);
  const versions: AdaptedVersion[] = [];
  const examples: AdaptData['examples'] = [];
  group.versions.forEach((v, row) => {
    const name = train.versionNames[v.puzzleId]!;
    const parsed = name.includes('|||') ? parseVersionName(name) : { dihedral: 0, colours: [...IDENTITY_COLOURS] };
    versions.push({ name, dihedral: parsed.dihedral, colours: [...parsed.colours] });
    for (const e of v.examples) examples.push({ inputs: e.inputs, labels: e.labels, row });
  });
  return { versions, examples };
}

export interface LearnedRows {
  rows: Float32Array;
  params: Record<string, Float32Array> | null;
  losses: number[];
  demoExact: number;
}

/**
 * Trains the rows (and, in the second phase of 'embedding+network', the network) on the task's
 * demonstrations. `net` is the checkpoint's inference network; in 'embedding+network' mode its
 * weights are changed in place (the caller owns and disposes it).
 */
export async function learnRows(
  net: TrmNet,
  meta: CheckpointMeta,
  data: AdaptData,
  s: AdaptSettings,
  onProgress?: (p: AdaptProgress) => void,
  control?: AdaptControl,
): Promise<LearnedRows> {
  const config = meta.config;
  const Nsup = config.model.Nsup;
  const method = methodDef(config.method);
  const dis = config.method === 'dis';
  const enc = encodingOf(meta);
  const S = enc.seqLen;
  const dim = config.model.puzzleEmbDim;
  const table = new PuzzleTable(data.versions.length, dim);
  const rowAdam = s.optimizer === 'adam' ? new RowAdam(table, config.optimizer.beta1, config.optimizer.beta2, 1e-8) : null;
  const netOpt = s.mode === 'embedding+network' ? new AdamOptimizer({ ...config.optimizer }) : null;
  const rng = new Rng(s.seed);
  const frameRng = rng.fork();
  const gen = dis ? getTargetGenerator(config.dis.targets) : null;
  const ctx = { encoding: enc.kind, side: enc.side, vocab: enc.vocab };
  const N = data.examples.length;
  const B = s.batchSize;
  let order = Int32Array.from({ length: N }, (_, i) => i);
  let cursor = N;
  const nextBatch = (): number[] => {
    if (B === N) return Array.from(order);
    const out: number[] = [];
    while (out.length < B) {
      if (cursor >= N) {
        order = Int32Array.from(rng.permutation(N));
        cursor = 0;
      }
      out.push(order[cursor++]!);
    }
    return out;
  };
  const total = s.steps + s.networkSteps;
  const losses: number[] = [];
  const owned: Array<{ dispose(): void }> = [];
  if (netOpt) owned.push(netOpt);
  let t = 0;
  try {
    while (t < total) {
      const picked = nextBatch();
      const inputs = new Int32Array(B * S);
      const labels = new Int32Array(B * S);
      const ids = new Int32Array(B);
      picked.forEach((e, b) => {
        const ex = data.examples[e]!;
        inputs.set(ex.inputs, b * S);
        labels.set(ex.labels, b * S);
        ids[b] = ex.row;
      });
      const frames = gen ? batchFrames(gen, inputs, labels, B, S, Nsup, frameRng, ctx, { eligibility: config.dis.eligibility }) : null;
      const original = tf.tensor2d(inputs, [B, S], 'int32');
      const finalLabels = tf.tensor2d(labels, [B, S], 'int32');
      let carry = freshCarry(method, net, original, config);
      try {
        for (let step = 1; step <= Nsup && t < total; step++) {
          if (control?.stopRequested()) throw new Error(`adaptation stopped at step ${t} of ${total}; nothing was saved`);
          t++;
          const withNetwork = netOpt !== null && t > s.steps;
          const target = frames ? tf.tensor2d(frames[step]!, [B, S], 'int32') : finalLabels;
          const rows = tf.tensor2d(table.gather(ids), [B, dim]);
          const w = stepWeight(config.dis.stepWeights, step, Nsup);
          let out: StepResult;
          try {
            out = supervisionStep(method, net, config, carry, { tokens: original, target, s: step, w }, rows, withNetwork);
          } finally {
            rows.dispose();
            if (frames) target.dispose();
          }
          disposeCarry(carry);
          carry = out.carry;
          const [grad, lossValue] = await Promise.all([out.rowsGrad!.data(), out.loss.total.data()]);
          if (!Number.isFinite(lossValue[0]!)) throw new Error(`adaptation diverged: the loss is not finite at step ${t}; nothing was saved`);
          if (rowAdam) rowAdam.step(ids, grad, s.lr, s.weightDecay);
          else table.signSgd(ids, grad, s.lr, s.weightDecay);
          if (withNetwork && netOpt) netOpt.step(net.trainable() as Array<[string, tf.Variable]>, out.grads, config.optimizer.lr);
          tf.dispose([
            out.rowsGrad!,
            out.logits,
            out.q,
            out.loss.total,
            out.loss.lm,
            ...(out.loss.qHalt ? [out.loss.qHalt] : []),
            ...Object.values(out.grads).filter((g): g is tf.Tensor => g !== null),
          ]);
          losses.push(lossValue[0]!);
          onProgress?.({ step: t, total, loss: lossValue[0]! });
          // Let the engine process read its messages (a stop command) between steps.
          await new Promise<void>((resolve) => setImmediate(resolve));
        }
      } finally {
        disposeCarry(carry);
        tf.dispose([original, finalLabels]);
      }
    }
    const demoExact = await demonstrationExact(net, meta, data, table, B);
    const params = netOpt ? Object.fromEntries(await Promise.all(net.trainable().map(async ([name, p]) => [name, (await p.data()) as Float32Array] as const))) : null;
    return { rows: table.data, params, losses, demoExact };
  } finally {
    for (const o of owned) o.dispose();
  }
}

/** Fraction of the demonstration examples (all versions) whose last refinement step is exactly right. */
async function demonstrationExact(net: TrmNet, meta: CheckpointMeta, data: AdaptData, table: PuzzleTable, maxBatch: number): Promise<number> {
  const S = meta.encoding.seqLen;
  const Nsup = meta.config.model.Nsup;
  let exact = 0;
  for (let start = 0; start < data.examples.length; start += maxBatch) {
    const chunk = data.examples.slice(start, start + maxBatch);
    const B = chunk.length;
    const inputs = new Int32Array(B * S);
    chunk.forEach((e, b) => inputs.set(e.inputs, b * S));
    const tokens = tf.tensor2d(inputs, [B, S], 'int32');
    const rows = tf.tensor2d(table.gather(chunk.map((e) => e.row)), [B, table.dim]);
    try {
      await rollout(net, meta.config, tokens, rows, {
        withLu: false,
        onStep: async (st) => {
          if (st.step !== Nsup) return;
          const preds = await st.preds.data();
          chunk.forEach((e, b) => {
            let ok = true;
            for (let i = 0; i < S && ok; i++) {
              const y = e.labels[i]!;
              if (y !== IGNORE && preds[b * S + i] !== y) ok = false;
            }
            if (ok) exact++;
          });
        },
      });
    } finally {
      tokens.dispose();
      rows.dispose();
    }
  }
  return data.examples.length > 0 ? exact / data.examples.length : 0;
}
