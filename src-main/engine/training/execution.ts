// How a run's steps execute: micro-batches when a batch's step would not fit in memory, and opt-in
// data-parallel shard workers; plus what the run view says about it.
import type { BackendInfo, ExecutionInfo } from '../../../src-shared/method/protocol';
import type { RunConfig } from '../../../src-shared/method/run-config';
import { computeThreads } from '../backend';
import { planMicroBatches, type MicroBatchPlan } from '../memory-estimate';
import type { StepRunner } from '../methods/executor';
import type { TrainParts } from '../methods/method';

export type ExecutionPlan = {
  plan: MicroBatchPlan;
  /** the data-parallel runner, or null when steps run in this thread */
  runner: StepRunner | null;
  /** why workers were or were not used, for the run's log */
  parallelNote: { level: 'info' | 'warn'; message: string } | null;
};

/** Plans memory and threads before the first step; sets parts.microBatchRows when micro-batching. */
export async function planExecution(parts: TrainParts, config: RunConfig, backend: BackendInfo): Promise<ExecutionPlan> {
  // Memory before the first step: a batch whose step would not fit runs in micro-batches (#16.3).
  const plan = planMicroBatches(config.model, parts.net.totalLen, config.batchSize, backend.name, config.microBatch);
  if (plan.count > 1) parts.microBatchRows = plan.rows;
  let runner: StepRunner | null = null;
  let parallelNote: { level: 'info' | 'warn'; message: string } | null = null;
  if (config.workers > 1 && plan.count > 1) {
    // Shard workers run their rows whole; a batch that needs micro-batches trains in this thread.
    parallelNote = { level: 'warn', message: `workers = ${config.workers} ignored: the step runs in micro-batches (${plan.note}); training in one thread` };
  } else if (config.workers > 1) {
    // Opt-in data-parallel gradient computation (loaded only then); see parallel/runner.ts.
    const { parallelRunner } = await import('../parallel/runner');
    const p = await parallelRunner(parts, config, backend);
    if ('reason' in p) {
      parallelNote = { level: 'warn', message: p.reason };
    } else {
      runner = p.runner;
      parallelNote = { level: 'info', message: `data-parallel training: ${p.workers} worker threads, each with its own ${backend.name} engine` };
    }
  }
  return { plan, runner, parallelNote };
}

/** What the run view says about how steps execute: threads really computing and micro-batches. */
export function executionInfo(backend: BackendInfo, workers: number, plan: MicroBatchPlan): ExecutionInfo {
  const perEngine = computeThreads(backend.name);
  const threads = perEngine * workers;
  const parts: string[] = [];
  if (threads > 0) parts.push(`${threads} compute thread${threads === 1 ? '' : 's'}${workers > 1 ? ` (${workers} data-parallel workers × ${perEngine})` : ''}`);
  parts.push(plan.note);
  return { threads, workers, microBatches: plan.count, microBatchRows: plan.rows, estimatedStepBytes: Math.round(plan.estimateBytes), summary: parts.join(' · ') };
}
