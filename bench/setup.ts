// A training setup built exactly as the trainer builds one (src-main/engine/trainer.ts): real data
// sources through buildDatasets, the TRM network, puzzle table, optimizer, EMA, sampler and the TRM,
// DIS or HRM method, so that a benchmarked step is the engine's step and nothing else.
import * as tf from '@tensorflow/tfjs';
import type { Method } from '../src-shared/method/methods';
import { defaultRunConfig, parseRunConfig, type Preset, type RunConfig } from '../src-shared/method/run-config';
import type { Task } from '../src-shared/puzzle/types';
import { BatchSampler } from '../src-main/engine/data/sampler';
import { buildDatasets, encodingForSource, usesBlankPuzzleIds, type EvalSet, type TrainingSet } from '../src-main/engine/data/training-set';
import { resolveSource } from '../src-main/engine/data/resolve-source';
import { LocalRunner } from '../src-main/engine/methods/executor';
import { methodDef } from '../src-main/engine/methods/index';
import type { TrainParts } from '../src-main/engine/methods/method';
import type { StepRecord, TrainMethod } from '../src-main/engine/methods/types';
import { PuzzleTable } from '../src-main/engine/model/puzzle-table';
import { netSpec, TrmNet } from '../src-main/engine/model/trm';
import { AdamOptimizer } from '../src-main/engine/optim/adam';
import { Ema } from '../src-main/engine/optim/ema';
import { runSeeds } from '../src-main/engine/trainer';
import { planMicroBatches, type MicroBatchPlan } from '../src-main/engine/memory-estimate';
import { initBackend } from '../src-main/engine/backend';
import { planCores, type CorePlan } from '../src-main/engine/cores';
import type { StepRunner } from '../src-main/engine/methods/executor';

/** Which puzzles: N-Queens 8×8 (64 grid tokens) or an ARC canvas (side² grid tokens; 30 → 900). */
export type Workload = { kind: 'nqueens'; n: number } | { kind: 'arc'; canvas: number };

export const NQUEENS8: Workload = { kind: 'nqueens', n: 8 };
export const ARC30: Workload = { kind: 'arc', canvas: 30 };

export function workloadName(w: Workload): string {
  return w.kind === 'nqueens' ? `N-Queens ${w.n}×${w.n}` : `ARC ${w.canvas}×${w.canvas}`;
}

export interface ConfigOptions {
  method: Method;
  preset: Preset;
  workload: Workload;
  batch: number;
  /** overrides of the model config (T, n, Nsup, hidden, …) */
  model?: Partial<RunConfig['model']>;
  evalAugmentations?: number;
}

/** The method's faithful default config at a preset, sized for a benchmark. */
export function benchConfig(o: ConfigOptions): RunConfig {
  const c = defaultRunConfig(o.method, o.preset);
  c.batchSize = o.batch;
  c.model = { ...c.model, ...(o.model ?? {}) };
  if (o.model && Object.keys(o.model).some((k) => ['hidden', 'layers', 'hLayers', 'heads', 'expansion', 'puzzleEmbDim'].includes(k))) c.model.preset = 'custom';
  // Evaluation versions are drawn from the training versions, so there must be at least as many.
  c.data.augmentations = Math.max(2, o.evalAugmentations ?? 0);
  c.data.source =
    o.workload.kind === 'nqueens'
      ? { kind: 'nqueens', n: o.workload.n, train: 64, test: 8, seed: 1 }
      : { kind: 'family', family: 'recolour', tasks: 4, minSide: Math.min(3, o.workload.canvas), maxSide: Math.min(o.workload.canvas, 10), difficulty: 1, seed: 1 };
  c.data.canvas = o.workload.kind === 'arc' ? o.workload.canvas : 30;
  c.eval = { ...c.eval, augmentations: o.evalAugmentations ?? 0, maxTasks: 0 };
  c.backend = 'auto';
  return parseRunConfig(c);
}

export interface BenchSetup {
  config: RunConfig;
  tasks: Task[];
  train: TrainingSet;
  evalSet: EvalSet;
  net: TrmNet;
  table: PuzzleTable | null;
  parts: TrainParts;
  method: TrainMethod;
  /** tokens per row the network sees (puzzle prefix + grid) */
  totalLen: number;
  vocab: number;
  plan: MicroBatchPlan;
  /** the cores plan the trainer would choose (cores.ts); with `cores: 'default'` the steps follow it */
  cores: CorePlan;
  /** data-parallel workers really stepping (1 = this thread) */
  workers: number;
  dispose(): void;
}

const taskCache = new Map<string, Task[]>();

/**
 * A training setup as the trainer builds it. `cores: 'default'` steps through data-parallel workers
 * when the trainer's cores plan picks them (the wasm thread count is the process's: a caller measuring
 * the default starts the process with the plan's threads); 'local' always steps in this thread.
 */
export async function makeSetup(config: RunConfig, cores: 'local' | 'default' = 'local'): Promise<BenchSetup> {
  const key = JSON.stringify(config.data.source);
  let tasks = taskCache.get(key);
  if (!tasks) {
    tasks = await resolveSource(config.data.source);
    taskCache.set(key, tasks);
  }
  const seeds = runSeeds(config.seed);
  const encoding = encodingForSource(config.data.source, config.data.canvas);
  const data = buildDatasets(tasks, {
    encoding,
    augmentations: config.data.augmentations,
    evalAugmentations: config.eval.augmentations,
    translate: config.data.translate,
    trainOnTestPairs: true,
    seed: seeds.dataSeed,
    blankPuzzleIds: usesBlankPuzzleIds(encoding),
  });
  const spec = netSpec(config.model, encoding.vocab, encoding.seqLen, config.method);
  const net = TrmNet.init(spec, seeds.init);
  const table = config.model.puzzleEmbDim > 0 ? new PuzzleTable(data.train.numPuzzleIds, config.model.puzzleEmbDim) : null;
  const optimizer = new AdamOptimizer({ ...config.optimizer });
  const ema = config.optimizer.ema ? new Ema(net.trainable(), config.optimizer.emaDecay, config.optimizer.emaWarmup) : null;
  const sampler = new BatchSampler(data.train, config.batchSize, seeds.sampler);
  const parts: TrainParts = { net, table, optimizer, ema, opt: config.optimizer };
  // The trainer's memory plan (micro-batches where the batch would not fit), so a benchmarked step is the user's.
  const plan = planMicroBatches(config.model, net.totalLen, config.batchSize, tf.getBackend(), config.microBatch);
  if (plan.count > 1) parts.microBatchRows = plan.rows;
  const def = methodDef(config.method);
  const corePlan = planCores(config, net.totalLen, encoding.vocab, plan.count);
  let runner: StepRunner = new LocalRunner(parts, def, config, config.batchSize);
  let workers = 1;
  if (cores === 'default' && corePlan.shards > 1) {
    const { parallelRunner } = await import('../src-main/engine/parallel/runner');
    const p = await parallelRunner(parts, { ...config, workers: corePlan.shards }, await initBackend(tf.getBackend() as 'wasm'));
    if ('reason' in p) throw new Error(`the default cores plan (${corePlan.why}) could not start: ${p.reason}`);
    runner.dispose();
    runner = p.runner;
    workers = p.workers;
  }
  const method: TrainMethod = def.train({
    parts,
    config,
    sampler,
    rng: { halting: seeds.halting, targets: seeds.targets },
    ctx: { encoding: encoding.kind, side: encoding.side, vocab: encoding.vocab },
    runner,
  });
  return {
    config,
    tasks,
    train: data.train,
    evalSet: data.eval,
    net,
    table,
    parts,
    method,
    totalLen: net.totalLen,
    vocab: encoding.vocab,
    plan,
    cores: corePlan,
    workers,
    dispose() {
      method.dispose();
      ema?.dispose();
      optimizer.dispose();
      net.dispose();
    },
  };
}

export function disposeRecord(r: StepRecord): void {
  tf.dispose([r.lm, r.exactSum, r.tokenAccSum, ...(r.qHalt ? [r.qHalt] : []), ...(r.qContinue ? [r.qContinue] : [])]);
}

/** One optimizer step, waited for (its loss read back), as the trainer's loop would. */
export async function oneStep(s: BenchSetup, t: number): Promise<number> {
  const rec = await s.method.step(t);
  const lm = (await rec.lm.data())[0] as number;
  disposeRecord(rec);
  return lm;
}
