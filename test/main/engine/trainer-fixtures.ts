// Training jobs on tiny N-Queens boards for trainer tests.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { EngineEvent, TrainJob } from '../../../src-shared/method/protocol';
import type { RunConfig } from '../../../src-shared/method/run-config';
import { generateTasks } from '../../../src-shared/generators';
import { nqueensDataset } from '../../../src-shared/generators/nqueens';
import type { Task } from '../../../src-shared/puzzle/types';
import { train, type Control, type TrainerHooks } from '../../../src-main/engine/trainer';
import { tinyConfig } from './fixtures';

export function queensConfig(method: 'trm' | 'dis', steps: number, model: Partial<RunConfig['model']> = {}, rest: Partial<RunConfig> = {}): RunConfig {
  const c = tinyConfig(method, model, rest);
  return {
    ...c,
    data: { ...c.data, source: { kind: 'nqueens', n: 4, train: 12, test: 4, seed: 3 }, augmentations: 0 },
    budget: { optimizerSteps: steps, trajectories: 0 },
    eval: { ...c.eval, interval: 0, augmentations: 0 },
    snapshotInterval: 0,
    probes: 2,
    checkpointInterval: 0,
    ...rest,
  };
}

/** A tiny ARC-style run: `recolour` tasks on a 6×6 canvas with 2 augmented versions. */
export function arcConfig(method: 'trm' | 'dis', steps: number, model: Partial<RunConfig['model']> = {}, rest: Partial<RunConfig> = {}): RunConfig {
  const c = queensConfig(method, steps, model, rest);
  return {
    ...c,
    data: { ...c.data, source: { kind: 'family', family: 'recolour', tasks: 3, minSide: 2, maxSide: 4, difficulty: 1, seed: 0 }, augmentations: 2, canvas: 6 },
    eval: { ...c.eval, augmentations: 2 },
    ...rest,
  };
}

/** The tasks of a config's built-in source. */
export function tasksOf(config: RunConfig): Task[] {
  const src = config.data.source;
  if (src.kind === 'nqueens') return [nqueensDataset({ n: src.n, train: src.train, test: src.test, seed: src.seed })];
  if (src.kind === 'family') return generateTasks(src.family, { count: src.tasks, minSide: src.minSide, maxSide: src.maxSide, difficulty: src.difficulty, seed: src.seed });
  throw new Error(`test fixtures cannot resolve a ${src.kind} source`);
}

export async function tempRunDir(): Promise<string> {
  return mkdtemp(path.join(tmpdir(), 'puzzle-lab-trainer-'));
}

export interface RunRecord {
  events: EngineEvent[];
  losses: Map<number, { lm: number; qHalt: number | null }>;
}

export async function runJob(config: RunConfig, runDir: string, o: { resume?: boolean; control?: Control; hooks?: TrainerHooks } = {}): Promise<RunRecord> {
  const job: TrainJob = { runId: 'test', config, tasks: tasksOf(config), runDir, resume: o.resume ?? false };
  const rec: RunRecord = { events: [], losses: new Map() };
  await train(job, (e) => rec.events.push(e), o.control, {
    ...o.hooks,
    onStepLosses: (step, lm, qHalt) => {
      rec.losses.set(step, { lm, qHalt });
      o.hooks?.onStepLosses?.(step, lm, qHalt);
    },
  });
  return rec;
}

export function finishedOf(rec: RunRecord): Extract<EngineEvent, { type: 'finished' }> {
  const f = rec.events.filter((e) => e.type === 'finished');
  if (f.length !== 1) throw new Error(`expected one finished event, got ${f.length}: ${JSON.stringify(rec.events.slice(-3))}`);
  return f[0] as Extract<EngineEvent, { type: 'finished' }>;
}
