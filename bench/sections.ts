// The benchmark's sections, one function each, run on whichever backend is current.
import * as tf from '@tensorflow/tfjs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { flopsPerCall, trainCallsPerStep, trainForwardEquivalentsPerStep } from '../src-shared/method/compute';
import { METHOD_INFO, METHODS } from '../src-shared/method/methods';
import { swigluWidth, type Preset } from '../src-shared/method/run-config';
import { VoteBook } from '../src-shared/method/voting';
import type { EngineEvent } from '../src-shared/method/protocol';
import { evaluateModel } from '../src-main/engine/evaluate';
import { runInference } from '../src-main/engine/infer';
import { train } from '../src-main/engine/trainer';
import { rollout } from '../src-main/engine/methods/inference';
import { gatherRows } from '../src-main/engine/methods/executor';
import { setAttentionMode } from '../src-main/engine/ops/attention';
import type { Level } from './args';
import { fmt, type Table } from './report';
import { ARC30, benchConfig, makeSetup, NQUEENS8, oneStep, workloadName, type ConfigOptions, type Workload } from './setup';
import { describe, measureTraining, type Effort, type Skipped, type TrainRow } from './train-bench';
import { median } from './timing';

export interface Ctx {
  level: Level;
  backend: string;
  /** step-time budget and reps for this backend and level */
  effort: Effort;
  /** efficiency assumed by the skip rule (wasm ≈ 0.5 of matMul speed, others ≈ 0.7) */
  assumeEff: number;
  /** GFLOPS of one plain [512,256]×[256,512] matMul on this backend, for the skip rule */
  probeGflops: number;
  log: (msg: string) => void;
}

export interface SectionResult {
  tables: Table[];
  raw: unknown;
}

const PRESETS: Preset[] = ['tiny', 'compact', 'full'];

function batchFor(ctx: Ctx, preset: Preset, w: Workload): number {
  if (w.kind === 'arc') return 1;
  if (ctx.backend === 'cpu') return 2;
  return preset === 'tiny' ? 16 : preset === 'compact' ? 8 : 4;
}

async function run(ctx: Ctx, o: ConfigOptions, skipped: Skipped[], effort: Effort = ctx.effort): Promise<TrainRow | null> {
  ctx.log(`  ${describe(o)} …`);
  const r = await measureTraining(o, effort, ctx.assumeEff, ctx.probeGflops);
  if ('skipped' in r) {
    skipped.push(r.skipped);
    ctx.log(`    skipped: ${r.skipped.why}`);
    return null;
  }
  ctx.log(`    ${fmt(r.row.msPerStep, 0)} ms/step, ${fmt(r.row.stepGflops, 2)} GFLOPS (matMul ${fmt(r.row.matmulGflops, 1)})`);
  return r.row;
}

const TRAIN_COLUMNS = [
  'method',
  'preset',
  'puzzles',
  'tokens',
  'B',
  'ms/step (median)',
  'reps ms',
  'row-steps/s',
  'examples/s',
  'GFLOP/step',
  'step GFLOPS',
  'matMul GFLOPS (same shapes, same run)',
  'efficiency',
  'calls/step grad+no-grad (measured)',
  'fwd-equiv/example (measured)',
  'calls/example',
];

function trainRow(r: TrainRow): Array<string | number> {
  return [
    `${METHOD_INFO[r.method].label} T${r.T} n${r.n} N${r.Nsup}`,
    r.preset,
    r.workload,
    r.tokens,
    r.batch,
    fmt(r.msPerStep, 0),
    r.stepReps.join(', '),
    fmt(r.rowStepsPerSec, 2),
    fmt(r.examplesPerSec, 3),
    fmt(r.gflopPerStep, 2),
    fmt(r.stepGflops, 2),
    fmt(r.matmulGflops, 1),
    `${fmt(r.efficiency * 100, 0)}%`,
    `${r.callsGradPerStep}+${r.callsNoGradPerStep}`,
    fmt(r.fwdEquivPerExample, 0),
    fmt(r.callsPerExample, 0),
  ];
}

const skipNotes = (s: Skipped[]): string[] => s.map((x) => `skipped ${x.what}: ${x.why}`);

/** Every preset × method at 64 (N-Queens 8×8) and 900 (ARC 30×30) grid tokens. */
export async function matrix(ctx: Ctx): Promise<SectionResult & { rows: TrainRow[] }> {
  const rows: TrainRow[] = [];
  const skipped: Skipped[] = [];
  for (const workload of [NQUEENS8, ARC30]) {
    for (const preset of PRESETS) {
      for (const method of METHODS) {
        const r = await run(ctx, { method, preset, workload, batch: batchFor(ctx, preset, workload) }, skipped);
        if (r) rows.push(r);
      }
    }
  }
  return {
    rows,
    raw: { rows, skipped },
    tables: [
      {
        title: 'Training step per preset and method',
        caption:
          'One optimizer step = one supervision step of the engine (methods/dis.ts, methods/trm.ts, methods/hrm.ts: no-grad cycles, taped cycle, loss, Adam/AdamATan2, EMA for TRM, sign-SGD puzzle rows; HRM adds its continue target\'s second no-grad forward), on data built by buildDatasets. ' +
          'FLOPs per compute.ts (docs/method-notes.md#compute-accounting, forward + 2× backward for grad calls, tokens incl. the 16-position prefix). ' +
          'matMul GFLOPS: plain 2-D products of the step\'s own shapes (projections, MLP, per-head QKᵀ/PV) timed just before, combined time-weighted. efficiency = step GFLOPS ÷ that. ' +
          'examples/s counts full training examples (N_sup steps each).',
        columns: TRAIN_COLUMNS,
        rows: rows.map(trainRow),
        notes: skipNotes(skipped),
      },
    ],
  };
}

/** Attention's share of step time at 916 tokens against its share of FLOPs, and the batched form for comparison. */
export async function attentionShare(ctx: Ctx): Promise<SectionResult> {
  const skipped: Skipped[] = [];
  const out: Array<Record<string, unknown>> = [];
  const rows: Array<Array<string | number>> = [];
  const presets: Preset[] = ctx.level === 'full' ? ['tiny', 'compact', 'full'] : ['tiny', 'compact'];
  for (const preset of presets) {
    const o: ConfigOptions = { method: 'dis', preset, workload: ARC30, batch: 1 };
    const res: Record<string, TrainRow | null> = {};
    const modes = ctx.level === 'full' || preset === 'tiny' ? (['default', 'skip', 'batched'] as const) : (['default', 'skip'] as const);
    for (const mode of modes) {
      setAttentionMode(mode === 'default' ? null : mode);
      try {
        res[mode] = await run(ctx, o, skipped);
      } finally {
        setAttentionMode(null);
      }
    }
    const base = res['default'];
    const skip = res['skip'];
    if (!base || !skip) continue;
    const cfg = benchConfig(o);
    const S = base.tokens;
    const D = cfg.model.hidden;
    const I = swigluWidth(D, cfg.model.expansion);
    const attnFlopShare = (4 * S * S * D) / (2 * S * (4 * D * D + 3 * D * I) + 4 * S * S * D);
    const timeShare = (base.msPerStep - skip.msPerStep) / base.msPerStep;
    const batched = res['batched'] ?? null;
    out.push({ preset, base, skip, batched, attnFlopShare, timeShare });
    rows.push([
      preset,
      S,
      fmt(base.msPerStep, 0),
      fmt(skip.msPerStep, 0),
      `${fmt(timeShare * 100, 0)}%`,
      `${fmt(attnFlopShare * 100, 0)}%`,
      timeShare <= attnFlopShare + 0.05 ? 'yes' : 'no',
      batched ? fmt(batched.msPerStep, 0) : '—',
      batched ? `${fmt(batched.msPerStep / base.msPerStep, 2)}×` : '—',
    ]);
  }
  return {
    raw: { rows: out, skipped },
    tables: [
      {
        title: 'Attention at 916 tokens (DIS, B = 1)',
        caption:
          'Attention time = step time − step time with attention replaced by a pass-through of v (same shapes, no S² work; a measurement device only). Its FLOP share is 4·S²·D of the per-call FLOPs (docs/method-notes.md#compute-accounting). ' +
          '"batched" is the plain tfjs form (3-D matMuls), which the wasm backend runs on a scalar fallback.',
        columns: ['preset', 'tokens', 'step ms (auto attention)', 'step ms (attention skipped)', 'attention share of time', 'attention share of FLOPs', 'time share ≤ FLOP share (+5 pts)', 'step ms (batched attention)', 'batched ÷ auto'],
        rows,
        notes: [`auto attention on ${ctx.backend} = per-(batch·head) 2-D products with a hand-written gradient on wasm, batched elsewhere (ops/attention.ts).`, ...skipNotes(skipped)],
      },
    ],
  };
}

function scalingTable(title: string, caption: string, key: string, rows: Array<{ x: string | number; r: TrainRow }>, skipped: Skipped[], perTrajectory = false): Table {
  const first = rows[0]?.r;
  const firstMsPerGflop = first ? first.msPerStep / first.gflopPerStep : Number.NaN;
  return {
    title,
    caption,
    columns: [key, 'tokens', 'B', 'GFLOP/step', perTrajectory ? 'ms/example (N_sup steps ÷ B)' : 'ms/step (median)', 'step GFLOPS', 'matMul GFLOPS', 'ms per GFLOP, relative to first row'],
    rows: rows.map(({ x, r }) => [
      x,
      r.tokens,
      r.batch,
      fmt(r.gflopPerStep, 2),
      fmt(perTrajectory ? r.msPerExample : r.msPerStep, 0),
      fmt(r.stepGflops, 2),
      fmt(r.matmulGflops, 1),
      fmt(r.msPerStep / r.gflopPerStep / firstMsPerGflop, 2),
    ]),
    notes: [
      'A value well above 1 in the last column means time grows faster than FLOPs (super-linear); below 1 means larger work amortises per-op overhead.',
      ...skipNotes(skipped),
    ],
  };
}

/** ms/step against sequence length, width, batch and N_sup (DIS, tiny unless the knob is the width). */
export async function scaling(ctx: Ctx): Promise<SectionResult> {
  const quick = ctx.level === 'quick';
  const tables: Table[] = [];
  const raw: Record<string, unknown> = {};
  {
    const skipped: Skipped[] = [];
    const rows: Array<{ x: number; r: TrainRow }> = [];
    for (const canvas of [8, 16, 24, 30]) {
      const r = await run(ctx, { method: 'dis', preset: 'tiny', workload: { kind: 'arc', canvas }, batch: 1 }, skipped);
      if (r) rows.push({ x: canvas * canvas, r });
    }
    raw['seqLen'] = { rows, skipped };
    tables.push(scalingTable('Scaling: sequence length (DIS tiny, B = 1, ARC canvas 8/16/24/30)', 'Grid tokens 64 → 900 (+16 prefix). FLOPs grow as a·S + b·S² (attention).', 'grid tokens', rows, skipped));
  }
  {
    const skipped: Skipped[] = [];
    const rows: Array<{ x: number; r: TrainRow }> = [];
    for (const hidden of [64, 128, 256, 512]) {
      const heads = Math.max(2, hidden / 32);
      const r = await run(ctx, { method: 'dis', preset: 'tiny', workload: NQUEENS8, batch: ctx.backend === 'cpu' ? 2 : 8, model: { hidden, heads, puzzleEmbDim: hidden } }, skipped);
      if (r) rows.push({ x: hidden, r });
    }
    raw['width'] = { rows, skipped };
    tables.push(scalingTable('Scaling: width D (DIS, 1 layer, head dim 32, N-Queens 8×8)', 'D = 64 → 512, SwiGLU width per docs/method-notes.md#block.', 'D', rows, skipped));
  }
  {
    const skipped: Skipped[] = [];
    const rows: Array<{ x: number; r: TrainRow }> = [];
    const batches = ctx.backend === 'cpu' ? [1, 2, 4] : quick ? [1, 4, 16] : [1, 4, 16, 64];
    for (const batch of batches) {
      const r = await run(ctx, { method: 'dis', preset: 'tiny', workload: NQUEENS8, batch }, skipped);
      if (r) rows.push({ x: batch, r });
    }
    raw['batch'] = { rows, skipped };
    tables.push(scalingTable('Scaling: batch (DIS tiny, N-Queens 8×8)', 'FLOPs are linear in B.', 'B', rows, skipped));
  }
  {
    const skipped: Skipped[] = [];
    const rows: Array<{ x: number; r: TrainRow }> = [];
    for (const Nsup of [2, 6, 16]) {
      const r = await run(ctx, { method: 'dis', preset: 'tiny', workload: NQUEENS8, batch: ctx.backend === 'cpu' ? 2 : 8, model: { Nsup } }, skipped);
      if (r) rows.push({ x: Nsup, r });
    }
    raw['Nsup'] = { rows, skipped };
    tables.push(
      scalingTable(
        'Scaling: N_sup (DIS tiny, N-Queens 8×8)',
        'A step costs the same at every N_sup (one supervision step); the cost of a training example is N_sup steps, so it is linear in N_sup.',
        'N_sup',
        rows,
        skipped,
        true,
      ),
    );
  }
  return { tables, raw };
}

/** evaluateModel time against the number of augmented versions of each test puzzle (one batched pass per step). */
export async function evalVersions(ctx: Ctx): Promise<SectionResult> {
  const ks = ctx.level === 'quick' ? [1, 2, 4, 8] : [1, 2, 4, 8, 16, 32];
  const preset: Preset = ctx.backend === 'cpu' ? 'tiny' : ctx.level === 'quick' ? 'tiny' : 'compact';
  const workload: Workload = ctx.backend === 'cpu' ? { kind: 'arc', canvas: 10 } : ARC30;
  const rows: Array<Array<string | number>> = [];
  const raw: unknown[] = [];
  let firstPer = Number.NaN;
  for (const K of ks) {
    const cfg = benchConfig({ method: 'dis', preset, workload, batch: 64, evalAugmentations: K - 1 });
    const s = await makeSetup(cfg);
    try {
      // One test pair of one task: its K versions form one chunk (maxBatch ≥ K) → one batched pass per refinement step.
      const taskId = s.evalSet.tests[0]!.taskId;
      const testIndex = s.evalSet.tests[0]!.testIndex;
      const set = { ...s.evalSet, examples: s.evalSet.examples.filter((e) => e.taskId === taskId && e.testIndex === testIndex), tests: [s.evalSet.tests[0]!] };
      const versions = set.examples.length;
      const times: number[] = [];
      let callsPerExample = 0;
      const reps = ctx.level === 'quick' ? 2 : 3;
      for (let i = 0; i < reps + 1; i++) {
        const t0 = performance.now();
        const rep = await evaluateModel(s.net, s.table, cfg, set, 0, { maxTasks: 0, book: new VoteBook(), maxBatch: Math.max(64, versions) });
        if (i > 0) times.push(performance.now() - t0);
        callsPerExample = rep.callsPerExample;
      }
      const ms = median(times);
      const per = ms / versions;
      if (Number.isNaN(firstPer)) firstPer = per;
      raw.push({ K, versions, ms, times, callsPerExample });
      rows.push([K, versions, `DIS ${preset}`, workloadName(workload), fmt(ms, 0), fmt(per, 0), fmt(per / firstPer, 2), fmt(callsPerExample, 0)]);
      ctx.log(`  eval K=${K}: ${fmt(ms, 0)} ms`);
    } finally {
      s.dispose();
    }
  }
  return {
    raw,
    tables: [
      {
        title: 'Evaluation time vs augmented versions',
        caption:
          'evaluateModel (N_sup refinement steps, guidance readouts, decoding, voting) on one test puzzle in K versions (the original + K−1 augmented); all versions go through each step as one batched pass (evaluate.ts chunks by maxBatch ≥ K).',
        columns: ['K requested', 'versions evaluated', 'model', 'puzzles', 'eval ms (median)', 'ms per version', 'per-version cost relative to K=1', 'net calls per example (measured)'],
        rows,
        notes: ['Versions can be fewer than K when augmentations collide (deduplicated by content).'],
      },
    ],
  };
}

/** Interactive inference on one 30×30 puzzle with a compact DIS checkpoint, as the playground calls it. */
export async function inference(ctx: Ctx): Promise<SectionResult> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'puzzle-lab-bench-'));
  const rows: Array<Array<string | number>> = [];
  const notes: string[] = [];
  const raw: Record<string, unknown> = {};
  const preset: Preset = ctx.backend === 'cpu' ? 'tiny' : 'compact';
  try {
    const config = benchConfig({ method: 'dis', preset, workload: ARC30, batch: 1 });
    // One inference = N_sup·T·(n+1) forward calls; 3 timed calls per version count, plus the 9-version run.
    const { T, n, Nsup } = config.model;
    const inferFlops = Nsup * T * (n + 1) * flopsPerCall(config.model, config.model.puzzleEmbLen + 900);
    const predictedSec = (inferFlops * (3 + 3 * 9)) / (ctx.probeGflops * ctx.assumeEff * 1e9);
    if (predictedSec > ctx.effort.maxStepSec * 40) {
      throw new Error(`skipped at this level: predicted ${predictedSec.toFixed(0)} s for the inference calls (${(inferFlops / 1e9).toFixed(1)} GFLOP each at ${ctx.probeGflops.toFixed(1)} GFLOPS matMul)`);
    }
    config.budget = { optimizerSteps: 1, trajectories: 0 };
    config.eval = { ...config.eval, interval: 0, maxTasks: 1, augmentations: 0 };
    config.probes = 0;
    config.snapshotInterval = 0;
    config.checkpointInterval = 0;
    config.backend = ctx.backend as typeof config.backend;
    const s = await makeSetup(config);
    const tasks = s.tasks;
    s.dispose();
    let checkpoint: string | null = null;
    let error: string | null = null;
    const t0 = performance.now();
    await train({ runId: 'bench', config, tasks, runDir: dir, resume: false }, (e: EngineEvent) => {
      if (e.type === 'checkpoint') checkpoint = e.path;
      if (e.type === 'finished' && e.status !== 'completed') error = e.error ?? e.status;
    });
    raw['trainMs'] = performance.now() - t0;
    if (!checkpoint || error) throw new Error(`could not train the checkpoint to infer with: ${error ?? 'no checkpoint'}`);
    const task = tasks[0]!;
    for (const augmentations of [0, 8]) {
      const times: number[] = [];
      let steps = 0;
      const reps = ctx.level === 'quick' ? (augmentations > 0 ? 1 : 2) : 5;
      for (let i = 0; i < reps + 1; i++) {
        const t1 = performance.now();
        const res = await runInference({ checkpointDir: checkpoint, task, testIndex: 0, augmentations });
        if (i > 0) times.push(performance.now() - t1);
        steps = res.steps.length;
      }
      const ms = median(times);
      raw[`aug${augmentations}`] = { times, steps };
      rows.push([`DIS ${preset}`, 'runInference (checkpoint load + N_sup steps + readouts)', augmentations + 1, steps, fmt(ms, 0), fmt(ms / Math.max(steps, 1), 0)]);
      ctx.log(`  inference aug=${augmentations}: ${fmt(ms, 0)} ms`);
    }
    // The refinement alone (what a step-by-step playground waits for between predictions).
    const s2 = await makeSetup(config);
    try {
      const ex = s2.evalSet.examples[0]!;
      const tokens = tf.tensor2d(ex.inputs, [1, ex.inputs.length], 'int32');
      const rowsT = gatherRows(s2.table, [ex.puzzleId]);
      const stepTimes: number[] = [];
      for (let rep = 0; rep < 2; rep++) {
        let last = performance.now();
        await rollout(s2.net, config, tokens, rowsT, {
          withLu: true,
          onStep: async (st) => {
            await Promise.all([st.logits.data(), st.lu!.data(), st.preds.data()]);
            const now = performance.now();
            if (rep === 1) stepTimes.push(now - last);
            last = now;
          },
        });
      }
      tokens.dispose();
      rowsT?.dispose();
      raw['perStepMs'] = stepTimes;
      rows.push([`DIS ${preset}`, 'rollout only, time to each step\'s prediction', 1, stepTimes.length, fmt(stepTimes.reduce((a, b) => a + b, 0), 0), fmt(median(stepTimes), 0)]);
    } finally {
      s2.dispose();
    }
  } catch (e) {
    notes.push(`inference not measured: ${(e as Error).message}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return {
    raw,
    tables: [
      {
        title: 'Interactive inference on one 30×30 puzzle (916 tokens)',
        caption: 'A checkpoint written by the real trainer (1 step), then runInference as the playground calls it (ℓ_u and ℓ_c readouts per step), median of repeated calls.',
        columns: ['model', 'what', 'versions', 'steps', 'total ms (median)', 'ms per step'],
        rows,
        notes,
      },
    ],
  };
}

/** Per training example (trajectory of N_sup steps) in training, the forward-equivalents and calls the compute accounting predicts for a row's method. */
function predictedPerExample(r: TrainRow): { forwardEquivalents: number; calls: number } {
  const c = { method: r.method, model: { T: r.T, n: r.n, Nsup: r.Nsup, hidden: r.hidden, layers: r.layers, expansion: 4 } };
  return { forwardEquivalents: trainForwardEquivalentsPerStep(c) * r.Nsup, calls: trainCallsPerStep(c).total * r.Nsup };
}

/** TRM and HRM against DIS: measured cost per training example, with the forward-equivalent ratio the compute accounting predicts (docs/method-notes.md#compute-accounting). */
export async function compare(ctx: Ctx, matrixRows: TrainRow[]): Promise<SectionResult> {
  const skipped: Skipped[] = [];
  const extra: TrainRow[] = [];
  // The TRM paper setting (n = 6) next to the repo's n = 4, at the cheapest shapes of each workload.
  for (const workload of [NQUEENS8, ARC30]) {
    const preset: Preset = 'tiny';
    const r = await run(ctx, { method: 'trm', preset, workload, batch: batchFor(ctx, preset, workload), model: { n: 6 } }, skipped);
    if (r) extra.push(r);
  }
  const rows: Array<Array<string | number>> = [];
  const all = [...matrixRows, ...extra];
  for (const dis of all.filter((r) => r.method === 'dis')) {
    for (const trm of all.filter((r) => r.method !== 'dis' && r.preset === dis.preset && r.workload === dis.workload && r.batch === dis.batch)) {
      const predicted = predictedPerExample(trm).forwardEquivalents / predictedPerExample(dis).forwardEquivalents;
      const calls = predictedPerExample(trm).calls / predictedPerExample(dis).calls;
      const measured = trm.msPerExample / dis.msPerExample;
      rows.push([
        dis.preset,
        dis.workload,
        dis.batch,
        `${METHOD_INFO[trm.method].label} T${trm.T} n${trm.n} N${trm.Nsup}`,
        fmt(dis.msPerExample, 0),
        fmt(trm.msPerExample, 0),
        `${fmt(measured, 1)}×`,
        `${fmt(trm.fwdEquivPerExample / dis.fwdEquivPerExample, 1)}× (${fmt(trm.fwdEquivPerExample, 0)} / ${fmt(dis.fwdEquivPerExample, 0)})`,
        `${fmt(predicted, 1)}×`,
        `${fmt(calls, 1)}×`,
      ]);
    }
  }
  return {
    raw: { extra, skipped },
    tables: [
      {
        title: 'TRM and HRM vs DIS: measured cost per training example',
        caption:
          'ms per training example = ms/step × N_sup ÷ B (a TRM or HRM example runs its maximum N_sup = 16 steps; the halting rule only makes it shorter). DIS = T1 n2 N6. An HRM call is one f_L or f_H application (its L_layers or H_layers blocks); its continue target adds a whole no-grad forward per step. Predicted = forward-equivalents per trajectory of the compute accounting (no-grad calls + 3 × grad calls, × N_sup); calls ratio = the paper\'s 336 / 18 kind of count.',
        columns: ['preset', 'puzzles', 'B', 'setting', 'DIS ms/example', 'ms/example', 'measured ÷ DIS', 'fwd-equivalents ratio (counted)', 'predicted fwd-equiv ratio', 'calls ratio'],
        rows,
        notes: skipNotes(skipped),
      },
    ],
  };
}

/** tf.memory().numTensors and process RSS over many steps. */
export async function leak(ctx: Ctx): Promise<SectionResult> {
  const steps = ctx.level === 'full' ? 5000 : ctx.backend === 'cpu' ? 30 : 100;
  const cfg = benchConfig({ method: 'trm', preset: 'tiny', workload: NQUEENS8, batch: ctx.backend === 'cpu' ? 2 : 8 });
  cfg.model.Nsup = 4; // trajectories end (rows restart) several times, exercising every code path
  const s = await makeSetup(cfg);
  const samples: Array<{ step: number; numTensors: number; numBytes: number; rssMiB: number }> = [];
  const every = Math.max(1, Math.floor(steps / 10));
  const t0 = performance.now();
  try {
    for (let t = 1; t <= steps; t++) {
      await oneStep(s, t);
      if (t % every === 0 || t === 1) {
        const m = tf.memory();
        samples.push({ step: t, numTensors: m.numTensors, numBytes: m.numBytes, rssMiB: Math.round(process.memoryUsage().rss / 2 ** 20) });
      }
    }
  } finally {
    s.dispose();
  }
  const ms = performance.now() - t0;
  const after = samples.filter((x) => x.step > 1);
  const tensorsFlat = after.every((x) => x.numTensors === after[0]!.numTensors);
  const rss = after.map((x) => x.rssMiB);
  const rssGrowth = (rss[rss.length - 1] ?? 0) - (rss[0] ?? 0);
  return {
    raw: { steps, samples, ms },
    tables: [
      {
        title: `Leak check: ${steps} optimizer steps (TRM tiny, N-Queens 8×8, B=${cfg.batchSize}, N_sup 4)`,
        caption: `TRM (carry resets, halting, EMA, AdamATan2) for ${steps} steps in ${fmt(ms / 1000, 0)} s; tf.memory() and process RSS sampled every ${every} steps.`,
        columns: ['step', 'numTensors', 'tensor MiB', 'RSS MiB'],
        rows: samples.map((x) => [x.step, x.numTensors, fmt(x.numBytes / 2 ** 20, 2), x.rssMiB]),
        notes: [
          `numTensors ${tensorsFlat ? 'constant' : 'NOT constant'} after the first step (${after.map((x) => x.numTensors).join(', ')}).`,
          `RSS change from the second sample to the last: ${rssGrowth} MiB.`,
        ],
      },
    ],
  };
}

export { describe };
