// What the CLI and the engine process call. Plain async functions: no process.* side effects.
import type { EngineEvent, EvalReport, TrainJob } from '../../src-shared/method/protocol';
import { VoteBook } from '../../src-shared/method/voting';
import type { Task } from '../../src-shared/puzzle/types';
import { ensureBackend } from './backend';
import { readCheckpoint } from './checkpoint-io';
import { buildDatasets, usesBlankPuzzleIds } from './data/training-set';
import { evaluateRun } from './evaluate';
import { encodingOf, parseMeta, restoreModel } from './checkpoint-state';
import { train, type Control } from './trainer';

export { runInference } from './infer';
export { adaptTask, classifyTask, explainVotes } from './adaptation/adapt-task';

/** Trains a job to its end; always ends with a 'finished' event (errors become status 'failed'). */
export async function runTrainJob(job: TrainJob, emit: (e: EngineEvent) => void, control?: Control): Promise<void> {
  await train(job, emit, control);
}

/**
 * Evaluates a checkpoint on tasks (their test pairs) with `augmentations` augmented versions per test
 * pair. Versions get the puzzle ids the checkpoint learned for the same version names; a version it
 * never trained gets the zero vector of the blank id.
 */
export async function evaluateCheckpoint(checkpointDir: string, tasks: Task[], augmentations: number): Promise<EvalReport> {
  await ensureBackend();
  const payload = await readCheckpoint(checkpointDir);
  const meta = parseMeta(payload.meta, checkpointDir);
  const enc = encodingOf(meta);
  const config = { ...meta.config, eval: { ...meta.config.eval, augmentations } };
  const { eval: set } = buildDatasets(tasks, {
    encoding: enc,
    // The run's own build options, so the versions (and their names) are the ones it trained on.
    augmentations: config.data.augmentations,
    evalAugmentations: augmentations,
    translate: config.data.translate,
    trainOnTestPairs: config.data.trainOnTestPairs,
    seed: meta.dataSeed,
    blankPuzzleIds: usesBlankPuzzleIds(enc),
  });
  const ids = new Map(meta.versionNames.map((name, id) => [name, id]));
  const blank = usesBlankPuzzleIds(enc);
  const examples = set.examples.map((e) => ({ ...e, puzzleId: blank ? 0 : (ids.get(e.versionName) ?? 0) }));
  // The live weights, and with EMA the averaged ones too: both are scored (evaluateRun), so a lagging
  // average in a short run cannot pass for what the model has learned.
  const { net, table } = restoreModel(payload, meta, 'raw', checkpointDir);
  const averaged = meta.hasEma ? restoreModel(payload, meta, 'ema', checkpointDir).net : null;
  try {
    return await evaluateRun(net, averaged?.weights ?? null, table, config, { ...set, examples }, meta.step, {
      maxTasks: 0,
      book: new VoteBook(),
      liveBook: new VoteBook(),
      maxBatch: config.batchSize,
    });
  } finally {
    net.dispose();
    averaged?.dispose();
  }
}
