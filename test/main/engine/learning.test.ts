// Both methods really learn: the tiny preset on a small built-in task family. The evaluation set is
// the tasks' own demonstration pairs (test = train), so the score is the training exact accuracy after
// voting over the original and 2 augmented versions. Runs are deterministic for the seed; the
// thresholds leave a margin below what these settings reach here (DIS ≈ 0.75 after 400 steps, TRM
// 1.0 after 200 steps).
import { beforeAll, describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../../src-shared/engine/protocol';
import { defaultRunConfig, type RunConfig } from '../../../src-shared/engine/run-config';
import { generateTasks } from '../../../src-shared/generators';
import { train } from '../../../src-main/engine/trainer';
import { useWasm } from './helpers';
import { tempRunDir } from './trainer-fixtures';

beforeAll(useWasm);

function tinyRecolourRun(method: 'trm' | 'dis', steps: number, model: Partial<RunConfig['model']>): RunConfig {
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

async function finalEval(config: RunConfig): Promise<Extract<EngineEvent, { type: 'eval' }>['report']> {
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

describe('learning on a tiny recolour task set (4 tasks × 3 pairs, 4×4 canvas)', () => {
  it('DIS tiny (T=1, n=2, N_sup=6) reaches ≥ 0.5 train exact accuracy at its last step within 400 optimizer steps', async () => {
    const report = await finalEval(tinyRecolourRun('dis', 400, { T: 1, n: 2, Nsup: 6 }));
    expect(report.perStep).toHaveLength(6);
    expect(report.perStep[5]!.exactAccuracy).toBeGreaterThanOrEqual(0.5);
    expect(report.callsPerExample).toBe(18);
  });

  it('TRM tiny (T=2, n=2, N_sup=4, Q-halting) reaches ≥ 0.9 train exact accuracy and pass@1 within 200 optimizer steps', async () => {
    const report = await finalEval(tinyRecolourRun('trm', 200, { T: 2, n: 2, Nsup: 4 }));
    expect(report.perStep[3]!.exactAccuracy).toBeGreaterThanOrEqual(0.9);
    expect(report.passAt1).toBeGreaterThanOrEqual(0.9);
    // The augmented versions' predictions, de-augmented, agree with the original's: 3 votes for one grid.
    const unanimous = report.tasks.filter((t) => t.votes[0] === 3).length / report.tasks.length;
    expect(unanimous).toBeGreaterThanOrEqual(0.8);
    expect(report.callsPerExample).toBe(2 * 3 * 4);
  });
});
