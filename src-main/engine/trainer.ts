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
// Checkpoints: see training/outputs.ts (when TRM and DIS can take one, and what carry they save).
//
// A run, in order: open (or restore) its state (training/run-state.ts), plan memory and execution
// (training/execution.ts), build the method's step loop, announce the start, take steps while
// evaluating, snapshotting and checkpointing at their intervals (training/outputs.ts, with step scalars
// read in batches by training/step-reads.ts), then finish with a last evaluation and checkpoint.
import type { EngineEvent, TrainJob } from '../../src-shared/method/protocol';
import { LocalRunner } from './methods/executor';
import { methodDef } from './methods/index';
import type { TrainMethod } from './methods/types';
import { restoreTrainingState } from './checkpoint-state';
import { executionInfo, planExecution, type ExecutionPlan } from './training/execution';
import { RunOutputs } from './training/outputs';
import { openRun, type RunState } from './training/run-state';
import { Diverged, StepReads, type RunPosition, type TrainerHooks } from './training/step-reads';

export { runSeeds } from './training/run-state';
export { READ_EVERY } from './training/step-reads';
export { KEEP_CHECKPOINTS } from './training/outputs';
export type { TrainerHooks } from './training/step-reads';

export type Control = { stopRequested(): 'cancel' | 'pause' | null };

type FinishStatus = Extract<EngineEvent, { type: 'finished' }>['status'];

export async function train(job: TrainJob, emit: (e: EngineEvent) => void, control?: Control, hooks: TrainerHooks = {}): Promise<void> {
  const at: RunPosition = { step: 0, trajectories: 0 };
  let finished = false;
  const finish = (status: FinishStatus, error?: string) => {
    if (finished) return;
    finished = true;
    emit({ type: 'finished', status, step: at.step, ...(error !== undefined ? { error } : {}) });
  };
  const owned: Array<{ dispose(): void }> = [];
  let reads: StepReads | null = null;
  try {
    const run = await openRun(job, owned);
    const execution = await planExecution(run.parts, run.config, run.backend, run.cores);
    const method = buildMethod(run, execution);
    owned.push(method);
    restorePosition(run, method, at);
    announceStart(run, execution, at, emit);

    const outputs = new RunOutputs(job, run, method, at, () => reads!.flush(), emit);
    reads = new StepReads(at, { totalSteps: run.config.budget.optimizerSteps, batchSize: run.config.batchSize, hooks, emit, calls: () => run.net.counter.snapshot() });
    const stopped = await takeSteps(run, method, at, reads, outputs, control);
    if (stopped) {
      finish(stopped);
      return;
    }
    await reads.progress(true);
    await outputs.evaluate();
    await outputs.writeState();
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
    reads?.dispose();
    for (const o of owned.reverse()) o.dispose();
  }
}

/** The method's training loop over the run's parts, stepping locally or through the parallel runner. */
function buildMethod(run: RunState, execution: ExecutionPlan): TrainMethod {
  const { config, encoding, parts, sampler } = run;
  const def = methodDef(config.method);
  const ctx = { encoding: encoding.kind, side: encoding.side, vocab: encoding.vocab };
  return def.train({
    parts,
    config,
    sampler,
    rng: { halting: run.haltRng, targets: run.targetRng },
    ctx,
    runner: execution.runner ?? new LocalRunner(parts, def, config, config.batchSize),
  });
}

/** A resumed run continues from its checkpoint's step, trajectories, call counts, optimizer and carry. */
function restorePosition(run: RunState, method: TrainMethod, at: RunPosition): void {
  const { resume, optimizer, ema, net } = run;
  if (!resume) return;
  const carry = restoreTrainingState(resume.payload, resume.meta, optimizer, ema, net);
  if (carry) method.importCarry(carry);
  at.step = resume.meta.step;
  at.trajectories = resume.meta.trajectories;
  net.counter.restore(resume.meta.calls);
}

function announceStart(run: RunState, execution: ExecutionPlan, at: RunPosition, emit: (e: EngineEvent) => void): void {
  const { config, backend, net, table, resume } = run;
  const info = executionInfo(backend, execution.workers, execution.plan, execution.why);
  emit({ type: 'started', backend: { ...backend, execution: info }, trainableParams: net.parameterCount(), puzzleRows: table?.rows ?? 0, startStep: at.step, totalSteps: config.budget.optimizerSteps });
  if (resume) emit({ type: 'log', level: 'info', message: `resumed from ${resume.path} at step ${at.step}` });
  if (execution.parallelNote) emit({ type: 'log', ...execution.parallelNote });
}

const yieldToEvents = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Optimizer steps until the step budget (or the trajectory cap) is spent, with evaluations, snapshots
 * and checkpoints at their intervals. Returns how the run stopped early ('cancelled', or 'paused' after
 * a checkpoint at the first step that can take one), or null when the budget was spent.
 */
async function takeSteps(run: RunState, method: TrainMethod, at: RunPosition, reads: StepReads, outputs: RunOutputs, control?: Control): Promise<'cancelled' | 'paused' | null> {
  const { config } = run;
  const totalSteps = config.budget.optimizerSteps;
  let pausing = false;
  const cap = config.budget.trajectories;
  while (at.step < totalSteps) {
    if (cap > 0 && at.trajectories >= cap && outputs.canCheckpointNow()) break;
    const stop = control?.stopRequested() ?? null;
    if (stop === 'cancel') {
      await reads.progress(true);
      return 'cancelled';
    }
    if (stop === 'pause') pausing = true;
    if (pausing && outputs.canCheckpointNow()) {
      await reads.progress(true);
      await outputs.writeState();
      return 'paused';
    }
    const rec = await method.step(at.step + 1);
    at.step++;
    at.trajectories += rec.started;
    await reads.push(rec);
    await reads.progress(at.step === 1);
    const atEval = config.eval.interval > 0 && at.step % config.eval.interval === 0 && at.step < totalSteps;
    if (atEval) await outputs.evaluate();
    else if (config.snapshotInterval > 0 && at.step % config.snapshotInterval === 0) {
      await reads.flush();
      await outputs.snapshot();
    }
    if (atEval || (config.checkpointInterval > 0 && at.step % config.checkpointInterval === 0)) await outputs.checkpoint();
    else await outputs.catchUpCheckpoint();
    await yieldToEvents();
  }
  return null;
}
