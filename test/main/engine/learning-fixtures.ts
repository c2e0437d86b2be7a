// Shared by dis-learns and trm-learns (one file each, so the two long runs use both test workers).
// Both methods really learn: the tiny preset on a small built-in task family. The evaluation set is
// the tasks' own demonstration pairs (test = train), so the score is the training exact accuracy after
// voting over the original and 2 augmented versions. Runs are deterministic for the seed; the
// thresholds leave a margin below what these settings reach here (DIS ≈ 0.75 after 400 steps, TRM
// 1.0 after 200 steps).
import { expect } from 'vitest';
import type { EngineEvent } from '../../../src-shared/method/protocol';
import { defaultRunConfig, type RunConfig } from '../../../src-shared/method/run-config';
import { generateTasks } from '../../../src-shared/generators';
import { train } from '../../../src-main/engine/trainer';
import { tempRunDir } from './trainer-fixtures';

export function tinyRecolourRun(method: 'trm' | 'dis', steps: number, model: Partial<RunConfig['model']>): RunConfig {
  const c = defaultRunConfig(method, 'tiny');
  return {
    ...c,
    // A 1-position prefix (instead of 16) keeps the sequence short: 1 + 16 tokens on a 4×4 canvas.
    model: { ...c.model, puzzleEmbLen: 1, ...model },
    optimizer: { ...c.optimizer, lr: 1e-3, warmupSteps: 20, ema: false },
    data: { ...c.data, source: { kind: 'family', family: 'recolour', tasks: 4, minSide: 2, maxSide: 3, difficulty: 1, seed: 0 }, augmentations: 2, canvas: 4 },
    batchSize: 16,
    budget: { optimizerSteps: steps, trajectories: 0 },
    eval: { interval: 0, augmentations: 2, clearVotes: true, maxTasks: 0 },
    snapshotInterval: 0,
    probes: 0,
    checkpointInterval: 0,
    backend: 'wasm',
  };
}

export async function finalEval(config: RunConfig): Promise<Extract<EngineEvent, { type: 'eval' }>['report']> {
  const src = config.data.source;
  if (src.kind !== 'family') throw new Error('family source expected');
  const tasks = generateTasks(src.family, { count: src.tasks, minSide: src.minSide, maxSide: src.maxSide, difficulty: src.difficulty, seed: src.seed })
    // Score the training pairs themselves.
    .map((t) => ({ ...t, test: t.train.map((p) => ({ input: p.input, output: p.output })) }));
  const events: EngineEvent[] = [];
  await train({ runId: 'learn', config, tasks, runDir: await tempRunDir(), resume: false }, (e) => events.push(e), undefined, { progressIntervalMs: 1e9 });
  const fin = events.find((e) => e.type === 'finished');
  expect(fin).toMatchObject({ status: 'completed' });
  const ev = events.filter((e) => e.type === 'eval').pop();
  if (ev?.type !== 'eval') throw new Error('no evaluation');
  return ev.report;
}

