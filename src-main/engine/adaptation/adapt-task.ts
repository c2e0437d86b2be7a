// Adapting a checkpoint to a task it never trained on (docs/method-notes.md#adaptation).
//
// TRM and DIS know which task they solve only through the learned per-puzzle embedding. A new task
// (or one whose demonstrations were edited) has none, so adaptTask learns one (adaptation/
// learn-rows.ts: the task's demonstrations, new rows, the network frozen, the method's own loss).
// The result is saved beside the run's checkpoints (adaptation/store.ts), so runInference picks it up for
// this task ('adapted') and a second adaptTask with the same settings trains nothing. The test inputs
// are then solved through runInference itself, with the usual augmentation voting; 'embedding+network'
// weights are saved with the rows, never into the checkpoint.
import type { AdaptProgress, AdaptRequest, AdaptResult, TaskEvalResult, VoteExplanation } from '../../../src-shared/method/protocol';
import { IDENTITY_COLOURS } from '../../../src-shared/puzzle/colours';
import type { Task } from '../../../src-shared/puzzle/types';
import { explainVotes as explainPredictions } from './explain';
import { adaptData, learnRows, type AdaptControl, type LearnedRows } from './learn-rows';
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
  type AdaptSettings,
} from './store';
import { ensureBackend } from '../backend';
import { readCheckpoint, readCheckpointMeta } from '../checkpoint-io';
import { encodingOf, parseMeta, restoreModel, type CheckpointMeta } from '../checkpoint-state';
import { usesBlankPuzzleIds } from '../data/training-set';
import { runInference } from '../infer';

export { classifyTask } from './store';

/** Row optimizer steps when the request does not say (a multiple of the usual N_sup values). */
export const DEFAULT_ADAPT_STEPS = 192;
/** Adam's row learning rate when the request does not say: the same step size sign-SGD starts with. */
export const DEFAULT_ADAM_ROW_LR = 1e-2;
const MAX_STEPS = 100_000;

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
