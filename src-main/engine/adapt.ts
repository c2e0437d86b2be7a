// Adapting a checkpoint to a task it never trained on (method-spec §1.2, §1.5, §2.3).
//
// TRM and DIS know which task they solve only through the learned per-puzzle embedding. A new task
// (or one whose demonstrations were edited) has none, so adaptTask learns one: the task's
// demonstration pairs are built into versions exactly as the run's data pipeline builds a task (the
// run's data.augmentations, translation setting and data seed; its test pairs never train), one new
// zero-initialised row per version (§1.5), and those rows alone are trained with the network FROZEN,
// under the method's own loss:
//   TRM: deep supervision, N_sup supervision steps per trajectory from H_init/L_init with the carry
//        detached between steps, loss lm + 0.5·BCE(q_halt, exact) per step. Halting/ACT only decides
//        when a row restarts; with a frozen network every row simply runs its N_sup steps.
//   DIS: N_sup steps per trajectory against the target generator's frames F_1..F_Nsup, step index
//        into the step table, x re-fed from the previous argmax (dis.xSource), loss w_s·lm.
// One optimizer step per supervision step, as in training. The rows are updated by the training's
// sign-SGD (lr/wd = the run's puzzleEmbLr/puzzleEmbWeightDecay, no warm-up) or by Adam (the run's
// betas, same decoupled decay). In mode 'embedding+network' a second phase then trains the rows and
// the whole network together (test-time training; the run's weight optimizer and lr, from the
// inference weights); those weights are saved with the rows, never into the checkpoint.
// The result is saved beside the run's checkpoints (adaptation/store.ts), so runInference picks it up for
// this task ('adapted') and a second adaptTask with the same settings trains nothing. The test inputs
// are then solved through runInference itself, with the usual augmentation voting.
import * as tf from '@tensorflow/tfjs';
import type { AdaptProgress, AdaptRequest, AdaptResult, TaskEvalResult, VoteExplanation } from '../../src-shared/engine/protocol';
import { batchFrames, getTargetGenerator } from '../../src-shared/engine/targets';
import { Rng } from '../../src-shared/prng';
import { parseVersionName } from '../../src-shared/puzzle/augment';
import { IDENTITY_COLOURS } from '../../src-shared/puzzle/colours';
import { IGNORE } from '../../src-shared/puzzle/tokens';
import type { Task } from '../../src-shared/puzzle/types';
import { explainVotes as explainPredictions } from './adaptation/explain';
import { RowAdam } from './adaptation/row-adam';
import {
  adaptationDir,
  adaptationInfo,
  ADAPTATION_FORMAT,
  cleanAdaptationLeftovers,
  findAdaptation,
  saveAdaptation,
  trainedRelation,
  type Adaptation,
  type AdaptationMeta,
  type AdaptedVersion,
  type AdaptSettings,
} from './adaptation/store';
import { ensureBackend } from './backend';
import { readCheckpoint, readCheckpointMeta } from './checkpoint-io';
import { buildDatasets, usesBlankPuzzleIds } from './data/training-set';
import { runInference } from './infer';
import { stepWeight } from './losses';
import { disposeCarry } from './methods/carry';
import { freshCarry, supervisionStep, type StepResult } from './methods/executor';
import { methodDef } from './methods/index';
import { rollout } from './methods/rollout';
import { PuzzleTable } from './model/puzzle-table';
import type { TrmNet } from './model/trm';
import { AdamOptimizer } from './optim/adam';
import { encodingOf, parseMeta, restoreModel, type CheckpointMeta } from './state';

export { classifyTask } from './adaptation/store';

/** Row optimizer steps when the request does not say (a multiple of the usual N_sup values). */
export const DEFAULT_ADAPT_STEPS = 192;
/** Adam's row learning rate when the request does not say: the same step size sign-SGD starts with. */
export const DEFAULT_ADAM_ROW_LR = 1e-2;
const MAX_STEPS = 100_000;

export type AdaptControl = { stopRequested(): 'cancel' | 'pause' | null };

/** What adaptTask trains on: every demonstration example of every version, and the versions. */
export interface AdaptData {
  versions: AdaptedVersion[];
  examples: Array<{ inputs: Int32Array; labels: Int32Array; row: number }>;
}

/** The task's demonstrations as the run's data pipeline would build them (§1.3–§1.5); row = version index. */
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

function checkInt(name: string, v: number, lo: number, hi: number): number {
  if (!Number.isInteger(v) || v < lo || v > hi) throw new Error(`adapt: ${name} must be an integer in ${lo}..${hi}, got ${v}`);
  return v;
}

/** The request's settings with the run's defaults filled in. */
export function resolveSettings(req: AdaptRequest, meta: CheckpointMeta, examples: number): AdaptSettings {
  const o = meta.config.optimizer;
  const optimizer = req.optimizer ?? 'sign-sgd';
  if (optimizer !== 'sign-sgd' && optimizer !== 'adam') throw new Error(`adapt: optimizer must be 'sign-sgd' or 'adam', got ${String(optimizer)}`);
  const mode = req.mode ?? 'embedding';
  if (mode !== 'embedding' && mode !== 'embedding+network') throw new Error(`adapt: mode must be 'embedding' or 'embedding+network', got ${String(mode)}`);
  const steps = checkInt('steps', req.steps ?? DEFAULT_ADAPT_STEPS, 1, MAX_STEPS);
  const networkSteps = mode === 'embedding' ? 0 : checkInt('networkSteps', req.networkSteps ?? Math.max(1, Math.round(steps / 4)), 1, MAX_STEPS);
  const lr = req.lr ?? (optimizer === 'adam' ? DEFAULT_ADAM_ROW_LR : o.puzzleEmbLr);
  if (!(lr > 0 && lr <= 10)) throw new Error(`adapt: lr must be in (0, 10], got ${lr}`);
  const batchSize = checkInt('batchSize', req.batchSize ?? Math.min(examples, meta.config.batchSize), 1, 4096);
  const seed = checkInt('seed', req.seed ?? 0, 0, 2 ** 31 - 1);
  return { mode, optimizer, steps, networkSteps, lr, weightDecay: o.puzzleEmbWeightDecay, batchSize: Math.min(batchSize, examples), seed };
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

function sameSettings(a: AdaptSettings, b: AdaptSettings): boolean {
  const keys: Array<keyof AdaptSettings> = ['mode', 'optimizer', 'steps', 'networkSteps', 'lr', 'weightDecay', 'batchSize', 'seed'];
  return keys.every((k) => a[k] === b[k]);
}

/**
 * Learns puzzle-embedding rows for a task the checkpoint never trained on (or reuses the saved ones),
 * saves them with the checkpoint, and solves the task's test inputs with augmentation voting.
 */
export async function adaptTask(req: AdaptRequest, onProgress?: (p: AdaptProgress) => void, control?: AdaptControl): Promise<AdaptResult> {
  const started = Date.now();
  await ensureBackend();
  const where = req.checkpointDir;
  const header = await readCheckpointMeta(where);
  const meta = parseMeta(header.meta, where);
  const config = meta.config;
  const enc = encodingOf(meta);
  const task = req.task;
  if (usesBlankPuzzleIds(enc)) {
    throw new Error(`this run (${enc.kind}) uses one shared puzzle vector for every board: there is no per-task embedding to adapt; run inference directly`);
  }
  if (config.model.puzzleEmbDim === 0 || config.model.puzzleEmbLen === 0) {
    throw new Error('this run has no puzzle-embedding table (model.puzzleEmbDim or puzzleEmbLen is 0): there is nothing to adapt');
  }
  if (task.train.length === 0) throw new Error(`task ${task.id} has no demonstration pairs: adaptation learns from them`);
  if (task.test.length === 0) throw new Error(`task ${task.id} has no test input to solve`);
  const relation = trainedRelation(meta, task);
  if (relation.trainedTaskId !== null) {
    throw new Error(
      `the checkpoint trained on these demonstrations (task ${relation.trainedTaskId}): inference uses their trained embedding, there is nothing to adapt`,
    );
  }
  const augmentations = req.augmentations ?? config.eval.augmentations;
  checkInt('augmentations', augmentations, 0, 100_000);
  const data = adaptData(meta, task);
  const settings = resolveSettings(req, meta, data.examples.length);

  let adaptation: Adaptation | null = req.force === true ? null : await findAdaptation(where, header, relation.fingerprint, true);
  if (adaptation && (!sameSettings(adaptation.meta.settings, settings) || adaptation.meta.versions.length !== data.versions.length)) adaptation = null;
  const reused = adaptation !== null;
  let losses: number[] = [];
  if (!adaptation) {
    await cleanAdaptationLeftovers(where);
    const payload = await readCheckpoint(where);
    const { net } = restoreModel(payload, meta, 'ema', where);
    let learned: LearnedRows;
    try {
      learned = await learnRows(net, meta, data, settings, onProgress, control);
    } finally {
      net.dispose();
    }
    losses = learned.losses;
    const adaptMeta: AdaptationMeta = {
      format: ADAPTATION_FORMAT,
      checkpoint: { step: header.step, sha256: header.sha256 },
      taskId: task.id,
      fingerprint: relation.fingerprint,
      method: config.method,
      settings,
      versions: data.versions,
      losses: learned.losses,
      demoExact: learned.demoExact,
      createdAt: new Date().toISOString(),
    };
    const dir = adaptationDir(where, header.step, relation.fingerprint);
    await saveAdaptation(dir, adaptMeta, learned.rows, learned.params);
    adaptation = { dir, meta: adaptMeta, rows: learned.rows, params: learned.params };
  }

  // Solve every test input through runInference, which finds the saved rows for these demonstrations.
  const tests: AdaptResult['tests'] = [];
  for (let i = 0; i < task.test.length; i++) {
    const r = await runInference({ checkpointDir: where, task, testIndex: i, augmentations });
    if (r.embedding !== 'adapted') throw new Error(`adapt: inference did not find the saved adaptation in ${adaptation.dir} (embedding ${r.embedding})`);
    let voted: { result: TaskEvalResult; explanation: VoteExplanation };
    if (r.votes && r.explanation) voted = { result: r.votes, explanation: r.explanation };
    else {
      // No augmentations: the original version's last step is the answer (one vote).
      const last = r.steps[r.steps.length - 1]!;
      const grid = enc.decode(last.tokens);
      const test = task.test[i]!;
      voted = explainPredictions({ taskId: task.id, testIndex: i, input: test.input, ...(test.output ? { output: test.output } : {}) }, config.method, [
        { transform: { dihedral: 0, colours: [...IDENTITY_COLOURS] }, grid, q: last.qHalt ?? 0 },
      ]);
    }
    tests.push(voted);
  }
  const known = tests.filter((t) => t.explanation.expected !== undefined);
  const rate = (k: 'passAt1' | 'passAt2'): number | null => (known.length > 0 ? known.filter((t) => t.result[k]).length / known.length : null);
  return {
    taskId: task.id,
    reused,
    adaptation: adaptationInfo(adaptation),
    losses,
    tests,
    passAt1: rate('passAt1'),
    passAt2: rate('passAt2'),
    ms: Date.now() - started,
  };
}

/** "Why this answer" for one test input of a task on a checkpoint (the trained, adapted or zero embedding). */
export async function explainVotes(checkpointDir: string, task: Task, testIndex: number, augmentations: number): Promise<VoteExplanation> {
  if (!Number.isInteger(augmentations) || augmentations < 1) throw new Error(`explainVotes: augmentations must be a positive integer (there is nothing to vote over otherwise), got ${augmentations}`);
  const r = await runInference({ checkpointDir, task, testIndex, augmentations });
  if (!r.explanation) throw new Error('explainVotes: inference returned no vote explanation');
  return r.explanation;
}
