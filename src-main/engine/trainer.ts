// The training loop: data → model → N optimizer steps of TRM or DIS, with progress, snapshots,
// evaluations and checkpoints as EngineEvents. A plain async function: no process.* side effects, so
// the CLI and the engine process both call it (through api.ts).
//
// Randomness: one Rng(config.seed) derives the dataset seed and forks for init, sampling, DIS targets
// and TRM halting exploration; their states (and the sampler's) go into checkpoints, so a resumed run
// continues with exactly the steps an uninterrupted run would take (on the same backend).
// Host reads: losses and metrics stay tensors and are read in one tf.stack(...).data() every few
// steps (docs/engine-interfaces.md#host-reads). A NaN/Inf loss stops the run as 'diverged' without writing a checkpoint,
// so the last checkpoint on disk is the last good one.
// Checkpoints: TRM saves the carry (rows are always mid-trajectory with halting); DIS takes periodic
// and pause checkpoints at the next trajectory boundary (at most N_sup − 1 steps later), and saves its
// carry only if the budget ends mid-trajectory.
import * as tf from '@tensorflow/tfjs';
import type { CallCounts, EngineEvent, TrainJob } from '../../src-shared/method/protocol';
import { parseRunConfig, type RunConfig } from '../../src-shared/method/run-config';
import { VoteBook } from '../../src-shared/method/voting';
import { Rng } from '../../src-shared/prng';
import { initBackend } from './backend';
import { latestCheckpoint, pruneCheckpoints, readCheckpoint, writeCheckpoint, type CheckpointPayload } from './checkpoint-io';
import { BatchSampler } from './data/sampler';
import { buildDatasets, encodingForSource, usesBlankPuzzleIds } from './data/training-set';
import { evaluateRun, probeExamples, probeSnapshots } from './evaluate';
import { LocalRunner, type StepRunner } from './methods/executor';
import { methodDef } from './methods/index';
import type { TrainParts } from './methods/method';
import type { StepRecord, TrainMethod } from './methods/types';
import { PuzzleTable } from './model/puzzle-table';
import { netSpec, TrmNet } from './model/trm';
import { AdamOptimizer } from './optim/adam';
import { Ema } from './optim/ema';
import { capturePayload, parseMeta, restoreModel, restoreTrainingState, type CheckpointMeta } from './checkpoint-state';

export type Control = { stopRequested(): 'cancel' | 'pause' | null };

export interface TrainerHooks {
  /** each optimizer step's losses, once read from the device (tests and benches) */
  onStepLosses?: (step: number, lm: number, qHalt: number | null) => void;
  /** each optimizer step's finished trajectories and how many of them were exactly right (cost-to-accuracy bench) */
  onStepAccuracy?: (step: number, finishedRows: number, exactRows: number) => void;
  /** after every batched read, when no step tensors are pending (leak checks) */
  onFlush?: (step: number) => void;
  /** minimum milliseconds between progress events (default 400) */
  progressIntervalMs?: number;
}

/** Steps between batched reads of the step scalars. */
export const READ_EVERY = 16;
/** Checkpoints kept on disk per run. */
export const KEEP_CHECKPOINTS = 3;

/** The seeds of a run, all derived from config.seed. */
export function runSeeds(seed: number): { dataSeed: number; init: Rng; sampler: Rng; targets: Rng; halting: Rng } {
  const root = new Rng(seed);
  const dataSeed = root.nextUint32() >>> 1;
  return { dataSeed, init: root.fork(), sampler: root.fork(), targets: root.fork(), halting: root.fork() };
}

/** The fields a resumed run must share with its checkpoint. */
function checkResumable(config: RunConfig, meta: CheckpointMeta, where: string): void {
  const keys = ['method', 'model', 'dis', 'halting', 'data', 'batchSize', 'seed'] as const;
  for (const k of keys) {
    if (JSON.stringify(config[k]) !== JSON.stringify(meta.config[k])) {
      throw new Error(`cannot resume from ${where}: config.${k} differs from the checkpoint's`);
    }
  }
}

class Diverged extends Error {}

export async function train(job: TrainJob, emit: (e: EngineEvent) => void, control?: Control, hooks: TrainerHooks = {}): Promise<void> {
  let step = 0;
  let finished = false;
  const finish = (status: Extract<EngineEvent, { type: 'finished' }>['status'], error?: string) => {
    if (finished) return;
    finished = true;
    emit({ type: 'finished', status, step, ...(error !== undefined ? { error } : {}) });
  };
  const owned: Array<{ dispose(): void }> = [];
  // Step tensors not yet read; disposed on every exit path.
  let pending: StepRecord[] = [];
  try {
    const config = parseRunConfig(job.config);
    const backend = await initBackend(config.backend);
    const seeds = runSeeds(config.seed);

    let resume: { payload: CheckpointPayload; meta: CheckpointMeta; path: string } | null = null;
    if (job.resume) {
      const latest = await latestCheckpoint(job.runDir);
      if (latest) {
        const payload = await readCheckpoint(latest.path);
        const meta = parseMeta(payload.meta, latest.path);
        checkResumable(config, meta, latest.path);
        resume = { payload, meta, path: latest.path };
      }
    }

    const encoding = encodingForSource(config.data.source, config.data.canvas);
    const data = buildDatasets(job.tasks, {
      encoding,
      augmentations: config.data.augmentations,
      evalAugmentations: config.eval.augmentations,
      translate: config.data.translate,
      trainOnTestPairs: config.data.trainOnTestPairs,
      seed: seeds.dataSeed,
      blankPuzzleIds: usesBlankPuzzleIds(encoding),
    });
    if (resume && JSON.stringify(resume.meta.versionNames) !== JSON.stringify(data.train.versionNames)) {
      throw new Error(`cannot resume from ${resume.path}: the tasks differ from those the checkpoint was trained on`);
    }

    const spec = netSpec(config.model, encoding.vocab, encoding.seqLen, config.method);
    let net: TrmNet;
    let table: PuzzleTable | null;
    if (resume) {
      if (resume.meta.imported) {
        throw new Error(`cannot resume from ${resume.path}: it was imported from ${resume.meta.imported.from} and holds no training state (optimizer moments, data order)`);
      }
      const restored = restoreModel(resume.payload, resume.meta, 'raw', resume.path);
      net = restored.net;
      if (restored.table !== null && !(restored.table instanceof PuzzleTable)) throw new Error(`cannot resume from ${resume.path}: its puzzle table is a read-only file`);
      table = restored.table;
    } else {
      net = TrmNet.init(spec, seeds.init);
      table = config.model.puzzleEmbDim > 0 ? new PuzzleTable(data.train.numPuzzleIds, config.model.puzzleEmbDim) : null;
    }
    owned.push(net);
    const optimizer = new AdamOptimizer({ ...config.optimizer });
    owned.push(optimizer);
    const ema = config.optimizer.ema ? new Ema(net.trainable(), config.optimizer.emaDecay, config.optimizer.emaWarmup) : null;
    if (ema) owned.push(ema);
    const targetRng = resume ? new Rng(resume.meta.rng.targets as unknown as [number, number, number, number]) : seeds.targets;
    const haltRng = resume ? new Rng(resume.meta.rng.halting as unknown as [number, number, number, number]) : seeds.halting;
    const sampler = resume ? BatchSampler.restore(data.train, config.batchSize, resume.meta.sampler) : new BatchSampler(data.train, config.batchSize, seeds.sampler);
    const parts: TrainParts = { net, table, optimizer, ema, opt: config.optimizer };
    const def = methodDef(config.method);
    let runner: StepRunner | null = null;
    let parallelNote: { level: 'info' | 'warn'; message: string } | null = null;
    if (config.workers > 1) {
      // Opt-in data-parallel gradient computation (loaded only then); see parallel/runner.ts.
      const { parallelRunner } = await import('./parallel/runner');
      const p = await parallelRunner(parts, config, backend);
      if ('reason' in p) {
        parallelNote = { level: 'warn', message: p.reason };
      } else {
        runner = p.runner;
        parallelNote = { level: 'info', message: `data-parallel training: ${p.workers} worker threads, each with its own ${backend.name} engine` };
      }
    }
    const ctx = { encoding: encoding.kind, side: encoding.side, vocab: encoding.vocab };
    const method: TrainMethod = def.train({
      parts,
      config,
      sampler,
      rng: { halting: haltRng, targets: targetRng },
      ctx,
      runner: runner ?? new LocalRunner(parts, def, config, config.batchSize),
    });
    owned.push(method);
    let trajectories = 0;
    if (resume) {
      const carry = restoreTrainingState(resume.payload, resume.meta, optimizer, ema, net);
      if (carry) method.importCarry(carry);
      step = resume.meta.step;
      trajectories = resume.meta.trajectories;
      net.counter.restore(resume.meta.calls);
    }

    const totalSteps = config.budget.optimizerSteps;
    emit({ type: 'started', backend, trainableParams: net.parameterCount(), puzzleRows: table?.rows ?? 0, startStep: step, totalSteps });
    if (resume) emit({ type: 'log', level: 'info', message: `resumed from ${resume.path} at step ${step}` });
    if (parallelNote) emit({ type: 'log', ...parallelNote });

    const book = new VoteBook();
    const liveBook = new VoteBook();
    const probes = probeExamples(data.eval, config.probes);
    const evalNet = (): TrmNet => (ema ? net.withWeights(ema.shadow) : net);
    const maxBatch = config.batchSize;

    // ---- batched reads and progress ----
    let pendingFirstStep = step + 1;
    const window = { steps: 0, lm: 0, qh: 0, qhSteps: 0, finished: 0, exact: 0, tokenAcc: 0 };
    const last: Record<string, number> = {};
    const sessionStart = Date.now();
    const sessionStartStep = step;
    const sessionStartTraj = trajectories;
    let lastProgress = 0;
    const progressEvery = hooks.progressIntervalMs ?? 400;

    const flush = async (): Promise<void> => {
      if (pending.length === 0) return;
      const scalars = pending.flatMap((r) => [r.lm, r.qHalt ?? r.lm, r.exactSum, r.tokenAccSum]);
      const stacked = tf.stack(scalars);
      const values = await stacked.data();
      stacked.dispose();
      const records = pending;
      pending = [];
      for (const r of records) tf.dispose([r.lm, r.exactSum, r.tokenAccSum, ...(r.qHalt ? [r.qHalt] : [])]);
      let bad: number | null = null;
      records.forEach((r, i) => {
        const lm = values[4 * i]!;
        const qh = r.qHalt ? values[4 * i + 1]! : null;
        if (!Number.isFinite(lm) || (qh !== null && !Number.isFinite(qh))) bad ??= pendingFirstStep + i;
        hooks.onStepLosses?.(pendingFirstStep + i, lm, qh);
        hooks.onStepAccuracy?.(pendingFirstStep + i, r.finishedRows, values[4 * i + 2]!);
        window.steps++;
        window.lm += lm;
        if (qh !== null) {
          window.qh += qh;
          window.qhSteps++;
        }
        window.finished += r.finishedRows;
        window.exact += values[4 * i + 2]!;
        window.tokenAcc += values[4 * i + 3]!;
        last['lr'] = r.lr;
      });
      pendingFirstStep += records.length;
      hooks.onFlush?.(pendingFirstStep - 1);
      if (bad !== null) throw new Diverged(`loss is not finite at step ${bad}`);
    };

    const calls = (): CallCounts => net.counter.snapshot();
    const emitProgress = async (force: boolean): Promise<void> => {
      const now = Date.now();
      if (!force && now - lastProgress < progressEvery) return;
      await flush();
      if (window.steps === 0 && !force) return;
      lastProgress = now;
      if (window.steps > 0) {
        last['lm_loss'] = window.lm / window.steps;
        if (window.qhSteps > 0) last['q_halt_loss'] = window.qh / window.qhSteps;
        if (window.finished > 0) {
          last['exact_accuracy'] = window.exact / window.finished;
          last['token_accuracy'] = window.tokenAcc / window.finished;
        }
      }
      Object.assign(window, { steps: 0, lm: 0, qh: 0, qhSteps: 0, finished: 0, exact: 0, tokenAcc: 0 });
      const wallSec = (now - sessionStart) / 1000;
      const stepsPerSec = wallSec > 0 ? (step - sessionStartStep) / wallSec : 0;
      last['steps_per_sec'] = stepsPerSec;
      last['trajectories_per_sec'] = wallSec > 0 ? (trajectories - sessionStartTraj) / wallSec : 0;
      emit({
        type: 'progress',
        step,
        totalSteps,
        trajectories,
        examplesPerSec: stepsPerSec * config.batchSize,
        etaSec: stepsPerSec > 0 ? (totalSteps - step) / stepsPerSec : 0,
        wallSec,
        metrics: { ...last },
        calls: calls(),
      });
    };

    // ---- checkpoints, evaluations, snapshots ----
    let checkpointPending = false;
    const writeState = async (): Promise<void> => {
      await flush(); // never checkpoint weights that produced a non-finite loss …
      // … nor weights that became non-finite in the last update.
      const finite = tf.tidy(() => tf.all(tf.stack(net.trainable().map(([, p]) => tf.all(tf.isFinite(p))))));
      const ok = (await finite.data())[0] === 1;
      finite.dispose();
      if (!ok) throw new Diverged(`weights are not finite at step ${step}`);
      const payload = await capturePayload({
        config,
        step,
        trajectories,
        calls: calls(),
        dataSeed: seeds.dataSeed,
        encoding,
        versionNames: data.train.versionNames,
        tasks: job.tasks,
        net,
        table,
        optimizer,
        ema,
        rng: { targets: targetRng.state(), halting: haltRng.state() },
        sampler: sampler.state(),
        carry: await method.exportCarry(),
        backend,
      });
      const written = await writeCheckpoint(job.runDir, payload);
      emit({ type: 'checkpoint', step, path: written.path, sha256: written.sha256 });
      await pruneCheckpoints(job.runDir, KEEP_CHECKPOINTS);
      checkpointPending = false;
    };
    const canCheckpointNow = (): boolean => method.canCheckpoint();
    const checkpoint = async (): Promise<void> => {
      if (canCheckpointNow()) await writeState();
      else checkpointPending = true;
    };
    const snapshot = async (): Promise<void> => {
      if (probes.length === 0) return;
      emit({ type: 'snapshot', step, probes: await probeSnapshots(evalNet(), table, config, data.eval, probes) });
    };
    const evaluate = async (): Promise<void> => {
      await flush();
      if (config.eval.clearVotes) {
        book.clear();
        liveBook.clear();
      }
      const report = await evaluateRun(net, ema?.shadow ?? null, table, config, data.eval, step, { maxTasks: config.eval.maxTasks, book, liveBook, maxBatch });
      emit({ type: 'eval', report });
      await snapshot();
    };
    const yieldToEvents = () => new Promise<void>((resolve) => setImmediate(resolve));

    // ---- the loop ----
    let pausing = false;
    const cap = config.budget.trajectories;
    while (step < totalSteps) {
      if (cap > 0 && trajectories >= cap && canCheckpointNow()) break;
      const stop = control?.stopRequested() ?? null;
      if (stop === 'cancel') {
        await emitProgress(true);
        finish('cancelled');
        return;
      }
      if (stop === 'pause') pausing = true;
      if (pausing && canCheckpointNow()) {
        await emitProgress(true);
        await writeState();
        finish('paused');
        return;
      }
      const rec = await method.step(step + 1);
      step++;
      trajectories += rec.started;
      pending.push(rec);
      if (pending.length >= READ_EVERY) await flush();
      await emitProgress(step === 1);
      const atEval = config.eval.interval > 0 && step % config.eval.interval === 0 && step < totalSteps;
      if (atEval) await evaluate();
      else if (config.snapshotInterval > 0 && step % config.snapshotInterval === 0) {
        await flush();
        await snapshot();
      }
      if (atEval || (config.checkpointInterval > 0 && step % config.checkpointInterval === 0)) await checkpoint();
      else if (checkpointPending && canCheckpointNow()) await writeState();
      await yieldToEvents();
    }
    await emitProgress(true);
    await evaluate();
    await writeState();
    finish('completed');
  } catch (e) {
    if (e instanceof Diverged) {
      emit({ type: 'log', level: 'error', message: `${e.message}: training stopped; the last checkpoint on disk is the last good state` });
      finish('diverged');
    } else {
      const message = e instanceof Error ? e.message : String(e);
      emit({ type: 'log', level: 'error', message });
      finish('failed', message);
    }
  } finally {
    for (const r of pending) tf.dispose([r.lm, r.exactSum, r.tokenAccSum, ...(r.qHalt ? [r.qHalt] : [])]);
    for (const o of owned.reverse()) o.dispose();
  }
}
