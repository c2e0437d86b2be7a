// `npx tsx bench/cost-to-accuracy.ts [--setting quick-start|small] [--backend wasm] [--preset tiny] [--threshold 0.9] [--max-steps 800] [--window 128] [--seed 0]`
// Cost to accuracy, TRM against DIS: both methods train on the same tasks with the same backbone,
// batch and optimiser settings until the exact accuracy of the trajectories that finished in the last
// `window` rows of training batches reaches `threshold`, or `max-steps` runs out. It prints the
// optimizer steps, network calls and forward equivalents (no-grad calls + 3 × grad calls, per row)
// each needed, and their ratios. This is a different number from the per-example cost of the bench's
// "DIS vs TRM" section: a cheaper example is worth less if more of them are needed.
// Settings: 'quick-start' = run setup's quick start (8 recolour tasks up to 6×6 on an 8×8 canvas,
// 16-position prefix, 4 augmented versions, batch 32, lr 1e-3, 50 warm-up steps); 'small' = the
// learning test's (4 recolour tasks up to 3×3 on a 4×4 canvas, 1-position prefix, 2 versions,
// batch 16, lr 1e-3, 20 warm-up steps), ~10× cheaper a step. TRM and DIS keep their own recursion
// (TRM T3 n4 N_sup 16 with halting, DIS T1 n2 N_sup 6). Every 50 steps it prints the windowed
// accuracy, so a run cut short still shows what it measured.
// Bounded by steps, so its wall time depends on the machine (a few minutes on 2 wasm cores at tiny).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { forwardEquivalentsPerStep, callsPerStep } from '../src-shared/method/compute';
import { defaultRunConfig, type Preset, type RunConfig } from '../src-shared/method/run-config';
import { generateTasks } from '../src-shared/generators';
import { train } from '../src-main/engine/trainer';
import { machineInfo } from './machine';

/** Tracks the exact accuracy of the last `window` finished trajectories; reports the step that first reaches the threshold. */
export class AccuracyWindow {
  private readonly steps: Array<{ finished: number; exact: number }> = [];
  private finished = 0;
  private exact = 0;
  reachedAt: number | null = null;

  constructor(
    readonly window: number,
    readonly threshold: number,
  ) {}

  /** One optimizer step's finished trajectories and exact ones; returns the windowed accuracy (null until the window is full). */
  add(step: number, finished: number, exact: number): number | null {
    if (finished <= 0) return this.current();
    this.steps.push({ finished, exact });
    this.finished += finished;
    this.exact += exact;
    // Drop whole old steps while the window stays full without them.
    while (this.steps.length > 1 && this.finished - this.steps[0]!.finished >= this.window) {
      const old = this.steps.shift()!;
      this.finished -= old.finished;
      this.exact -= old.exact;
    }
    const acc = this.current();
    if (acc !== null && acc >= this.threshold && this.reachedAt === null) this.reachedAt = step;
    return acc;
  }

  current(): number | null {
    return this.finished >= this.window ? this.exact / this.finished : null;
  }
}

/** Network calls and forward equivalents per row to reach step `steps` of a config (every row computes every step). */
export function costAt(config: RunConfig, steps: number): { calls: number; forwardEquivalents: number } {
  return { calls: steps * callsPerStep(config.model.T, config.model.n).total, forwardEquivalents: steps * forwardEquivalentsPerStep(config.model.T, config.model.n) };
}

export type Setting = 'quick-start' | 'small';

export function quickStartConfig(method: 'trm' | 'dis', preset: Preset, maxSteps: number, seed: number, backend: RunConfig['backend'], setting: Setting = 'quick-start'): RunConfig {
  const c = defaultRunConfig(method, preset);
  const small = setting === 'small';
  return {
    ...c,
    model: { ...c.model, puzzleEmbLen: small ? 1 : c.model.puzzleEmbLen },
    data: {
      ...c.data,
      source: { kind: 'family', family: 'recolour', tasks: small ? 4 : 8, minSide: small ? 2 : 3, maxSide: small ? 3 : 6, difficulty: 1, seed: 0 },
      canvas: small ? 4 : 8,
      augmentations: small ? 2 : 4,
    },
    optimizer: { ...c.optimizer, lr: 1e-3, warmupSteps: small ? 20 : 50 },
    batchSize: small ? 16 : 32,
    budget: { optimizerSteps: maxSteps, trajectories: 0 },
    eval: { ...c.eval, interval: 0, augmentations: 0, maxTasks: 1 },
    snapshotInterval: 0,
    probes: 0,
    checkpointInterval: 0,
    seed,
    backend,
  };
}

interface Outcome {
  method: 'trm' | 'dis';
  reachedAt: number | null;
  finalAccuracy: number | null;
  stepsRun: number;
  seconds: number;
  config: RunConfig;
}

async function measure(config: RunConfig, window: number, threshold: number): Promise<Outcome> {
  const dir = await mkdtemp(path.join(tmpdir(), 'puzzle-lab-cost-'));
  const acc = new AccuracyWindow(window, threshold);
  let stepsRun = 0;
  let stopAt: number | null = null;
  const started = Date.now();
  const src = config.data.source;
  if (src.kind !== 'family') throw new Error('cost-to-accuracy uses a family source');
  const tasks = generateTasks(src.family, { count: src.tasks, minSide: src.minSide, maxSide: src.maxSide, difficulty: src.difficulty, seed: src.seed });
  try {
    await train(
      { runId: 'cost', config, tasks, runDir: dir, resume: false },
      (e) => {
        if (e.type === 'finished' && e.status === 'failed') throw new Error(`${config.method} run failed: ${e.error ?? ''}`);
      },
      // Stop a few reads after the threshold is reached (steps are read in batches of 16).
      { stopRequested: () => (stopAt !== null ? 'cancel' : null) },
      {
        progressIntervalMs: 0,
        onStepAccuracy: (step, finished, exact) => {
          stepsRun = step;
          const a = acc.add(step, finished, exact);
          if (step % 50 === 0) console.log(`  ${config.method.toUpperCase()} step ${step}: window accuracy ${a === null ? 'not full yet' : a.toFixed(3)}, ${((Date.now() - started) / 1000).toFixed(0)} s`);
          if (acc.reachedAt !== null && stopAt === null) stopAt = step;
        },
      },
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return { method: config.method, reachedAt: acc.reachedAt, finalAccuracy: acc.current(), stepsRun, seconds: (Date.now() - started) / 1000, config };
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const opt = (name: string, fallback: string): string => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1]! : fallback;
  };
  const backend = opt('backend', 'wasm') as RunConfig['backend'];
  const preset = opt('preset', 'tiny') as Preset;
  const threshold = Number(opt('threshold', '0.9'));
  const maxSteps = Number(opt('max-steps', '800'));
  const window = Number(opt('window', '128'));
  const seed = Number(opt('seed', '0'));
  const setting = opt('setting', 'quick-start') as Setting;
  if (setting !== 'quick-start' && setting !== 'small') throw new Error(`--setting must be quick-start or small, got ${setting}`);
  const machine = machineInfo();
  console.log(`cost to ${Math.round(threshold * 100)}% exact on training batches (window ${window} trajectories), setting ${setting}, ${preset}, backend ${backend}, ≤ ${maxSteps} steps each`);
  console.log(`machine: ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}, tfjs ${machine.tfjs}, load ${machine.loadAvgStart.join(' ')}`);
  const results: Outcome[] = [];
  for (const method of ['dis', 'trm'] as const) {
    const r = await measure(quickStartConfig(method, preset, maxSteps, seed, backend, setting), window, threshold);
    results.push(r);
    const m = r.config.model;
    const reached = r.reachedAt !== null ? costAt(r.config, r.reachedAt) : null;
    console.log(
      `${method.toUpperCase()} T${m.T} n${m.n} N_sup ${m.Nsup}: ` +
        (reached
          ? `reached at step ${r.reachedAt}: ${reached.calls} network calls, ${reached.forwardEquivalents} forward equivalents per row`
          : `not reached in ${r.stepsRun} steps (last window ${r.finalAccuracy === null ? 'not full' : r.finalAccuracy.toFixed(3)})`) +
        `; ${r.seconds.toFixed(0)} s wall`,
    );
  }
  const [dis, trm] = results as [Outcome, Outcome];
  if (dis.reachedAt !== null && trm.reachedAt !== null) {
    const d = costAt(dis.config, dis.reachedAt);
    const t = costAt(trm.config, trm.reachedAt);
    console.log(`TRM ÷ DIS to the threshold: ${(t.forwardEquivalents / d.forwardEquivalents).toFixed(2)}× forward equivalents, ${(t.calls / d.calls).toFixed(2)}× network calls, ${(trm.reachedAt / dis.reachedAt).toFixed(2)}× optimizer steps`);
  } else {
    console.log('No ratio: at least one method did not reach the threshold within the step budget.');
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename ?? '')) {
  main().catch((e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  });
}
