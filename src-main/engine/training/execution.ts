// How a run's steps execute: micro-batches when a batch's step would not fit in memory, data-parallel
// shard workers or threaded kernels per the cores plan (cores.ts); plus what the run view says about it.
import type { BackendInfo, ExecutionInfo } from '../../../src-shared/method/protocol';
import type { RunConfig } from '../../../src-shared/method/run-config';
import { computeThreads, wasmThreadsWanted } from '../backend';
import type { CorePlan } from '../cores';
import { planMicroBatches, type MicroBatchPlan } from '../memory-estimate';
import type { StepRunner } from '../methods/executor';
import type { TrainParts } from '../methods/method';

export type ExecutionPlan = {
  plan: MicroBatchPlan;
  /** the data-parallel runner, or null when steps run in this thread */
  runner: StepRunner | null;
  /** data-parallel shard workers really running (1 = none) */
  workers: number;
  /** why the cores are used as they are, for the run view */
  why: string;
  /** why workers were or were not used, for the run's log */
  parallelNote: { level: 'info' | 'warn'; message: string } | null;
};

/** Plans memory and threads before the first step; sets parts.microBatchRows when micro-batching. */
export async function planExecution(parts: TrainParts, config: RunConfig, backend: BackendInfo, cores: CorePlan): Promise<ExecutionPlan> {
  // Memory before the first step: a batch whose step would not fit runs in micro-batches (#16.3).
  const plan = planMicroBatches(config.model, parts.net.totalLen, config.batchSize, backend.name, config.microBatch);
  if (plan.count > 1) parts.microBatchRows = plan.rows;
  let runner: StepRunner | null = null;
  let workers = 1;
  let why = cores.why;
  let parallelNote: { level: 'info' | 'warn'; message: string } | null = null;
  const asked = config.workers >= 2;
  const cpuBackend = backend.name === 'wasm' || backend.name === 'cpu';
  if (cores.shards > 1 && plan.count > 1) {
    // Shard workers run their rows whole; a batch that needs micro-batches trains in this thread.
    why = `one engine: the step runs in micro-batches (${plan.note}), which data-parallel workers do not split`;
    if (asked) parallelNote = { level: 'warn', message: `workers = ${config.workers} ignored: the step runs in micro-batches (${plan.note}); training in one thread` };
  } else if (cores.shards > 1 && !cpuBackend) {
    why = `${backend.name} computes on its own threads`;
    if (asked) parallelNote = { level: 'warn', message: `workers = ${config.workers} ignored: backend ${backend.name} already uses several cores; training in one thread` };
  } else if (cores.shards > 1) {
    // Data-parallel gradient computation (loaded only then); see parallel/runner.ts.
    const { parallelRunner } = await import('../parallel/runner');
    const p = await parallelRunner(parts, { ...config, workers: cores.shards }, backend);
    if ('reason' in p) {
      why = `one thread: ${p.reason}`;
      parallelNote = { level: 'warn', message: p.reason };
    } else {
      runner = p.runner;
      workers = p.workers;
      parallelNote = { level: 'info', message: `data-parallel training: ${p.workers} worker threads, each with its own ${backend.name} engine (${cores.why})` };
    }
  }
  if (!runner) why = engineWhy(backend, cores, why);
  return { plan, runner, workers, why, parallelNote };
}

/** The reason for the trainer's own engine's thread count, as it really started. */
function engineWhy(backend: BackendInfo, cores: CorePlan, why: string): string {
  if (backend.name === 'cpu') return 'plain JavaScript kernels run on one thread';
  if (backend.name !== 'wasm') return `${backend.name} schedules its own threads`;
  const actual = computeThreads('wasm');
  if (actual === cores.threads) return why;
  const env = process.env['PUZZLE_LAB_WASM_THREADS'];
  if (env) return `PUZZLE_LAB_WASM_THREADS=${env} (the plan was: ${cores.why})`;
  return `the wasm backend runs ${actual} thread${actual === 1 ? '' : 's'}${backend.notes.length ? ` (${backend.notes.join('; ')})` : ''}; the plan was: ${cores.why}`;
}

/** What the run view says about how steps execute: threads really computing, why, and micro-batches. */
export function executionInfo(backend: BackendInfo, workers: number, plan: MicroBatchPlan, why = ''): ExecutionInfo {
  // Shard engines start single-threaded unless PUZZLE_LAB_WASM_THREADS says otherwise (backend.ts); the trainer's engine has its own count.
  const perEngine = workers > 1 ? (backend.name === 'wasm' ? wasmThreadsWanted(process.env, undefined, false, null) : 1) : computeThreads(backend.name);
  const threads = perEngine * workers;
  const parts: string[] = [];
  if (threads > 0) parts.push(`${threads} compute thread${threads === 1 ? '' : 's'}${workers > 1 ? ` (${workers} data-parallel workers × ${perEngine})` : ''}${why ? ` — ${why}` : ''}`);
  parts.push(plan.note);
  return { threads, workers, microBatches: plan.count, microBatchRows: plan.rows, estimatedStepBytes: Math.round(plan.estimateBytes), summary: parts.join(' · ') };
}
