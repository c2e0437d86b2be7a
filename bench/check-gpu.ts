// `npm run check:gpu -- [--backend auto|webgpu|tensorflow-gpu] [--quick] [--out DIR]`: the check a
// person runs on a GPU machine. It reports the backend chosen and why, parity with wasm, ms per
// optimizer step and examples/s for tiny/compact/full at 80 and 916 tokens with batches up to 512,
// memory in use (tf.memory()), a 1,000-step leak check and the measured DIS/TRM cost ratio, against
// wasm measured in the same run; it writes a markdown table.
// The target on a real GPU: compact TRM at 916 tokens, batch 64, ≥ 10× wasm's examples/s on a 2-core
// CPU. `--quick` runs every part at toy sizes (it proves the script works, e.g. on SwiftShader in CI);
// its figures mean nothing.
import * as tf from '@tensorflow/tfjs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { initBackend } from '../src-main/engine/backend';
import { netSpec, TrmNet } from '../src-main/engine/model/trm';
import { BACKENDS, type BackendChoice, type RunConfig } from '../src-shared/method/run-config';
import type { BackendInfo } from '../src-shared/method/protocol';
import { Rng } from '../src-shared/prng';
import { machineInfo } from './machine';
import { fmt } from './report';
import { measureMatmul } from './matmul';
import { benchConfig, makeSetup, oneStep, workloadName, type ConfigOptions, type Workload } from './setup';
import { measureTraining, type Effort, type TrainRow } from './train-bench';

interface Args {
  backend: BackendChoice;
  quick: boolean;
  out: string;
}

function parse(argv: string[]): Args {
  const a: Args = { backend: 'auto', quick: false, out: 'bench/results' };
  for (let i = 0; i < argv.length; i++) {
    const f = argv[i]!;
    const value = (): string => {
      const v = f.includes('=') ? f.slice(f.indexOf('=') + 1) : argv[++i];
      if (v === undefined) throw new Error(`${f} needs a value`);
      return v;
    };
    if (f === '--quick') a.quick = true;
    else if (f.startsWith('--backend')) {
      const b = value();
      if (!(BACKENDS as readonly string[]).includes(b)) throw new Error(`--backend: unknown backend ${b} (one of ${BACKENDS.join(', ')})`);
      a.backend = b as BackendChoice;
    } else if (f.startsWith('--out')) a.out = value();
    else if (f === '--help' || f === '-h') {
      console.log('npm run check:gpu -- [--backend auto|webgpu|tensorflow-gpu] [--quick] [--out bench/results]');
      process.exit(0);
    } else throw new Error(`unknown flag ${f}`);
  }
  return a;
}

const log = (m: string): void => console.log(`[check:gpu] ${m}`);

/** Forward logits and halting logits of one TRM network call sequence; the same seed on any backend. */
async function forward(model: Partial<RunConfig['model']>): Promise<Float32Array> {
  const c = benchConfig({ method: 'trm', preset: 'tiny', workload: { kind: 'nqueens', n: 4 }, batch: 2, model });
  const spec = netSpec(c.model, 3, 16, 'trm');
  const net = TrmNet.init(spec, new Rng(11));
  const rng = new Rng(5);
  const tokens = tf.tensor2d(Int32Array.from({ length: 2 * 16 }, () => rng.int(1, 2)), [2, 16], 'int32');
  const rows = tf.tensor2d(Float32Array.from({ length: 2 * spec.puzzleEmbDim }, () => rng.normal() * 0.1), [2, spec.puzzleEmbDim]);
  const out = tf.tidy(() => {
    const x = net.inputEmbedding(tokens, rows);
    let { zH, zL } = net.initialCarry(2);
    for (let t = 0; t < c.model.T; t++) ({ zH, zL } = net.cycle(zH, zL, x, c.model.n));
    return tf.concat([net.logits(zH).flatten(), net.qHead(zH).flatten()]);
  });
  const v = (await out.data()) as Float32Array;
  tf.dispose([out, tokens, rows]);
  net.dispose();
  return v;
}

function relErr(a: Float32Array, b: Float32Array): number {
  let d = 0;
  let m = 0;
  for (let i = 0; i < b.length; i++) {
    d = Math.max(d, Math.abs(a[i]! - b[i]!));
    m = Math.max(m, Math.abs(b[i]!));
  }
  return d / Math.max(m, 1e-12);
}

interface Plan {
  presets: Array<'tiny' | 'compact' | 'full'>;
  workloads: Array<{ tokens: number; w: Workload }>;
  batches: number[];
  model?: Partial<RunConfig['model']>;
  effort: Effort;
  leakSteps: number;
  /** the target configuration and wasm's reference for it */
  target: ConfigOptions;
  wasmRef: ConfigOptions;
}

function plan(quick: boolean): Plan {
  if (quick) {
    const toy = { hidden: 16, heads: 2, puzzleEmbDim: 16, T: 1, n: 2, Nsup: 2 };
    const w: Workload = { kind: 'nqueens', n: 4 };
    return {
      presets: ['tiny'],
      workloads: [{ tokens: 32, w }],
      batches: [2],
      model: toy,
      effort: { warmup: 1, reps: 1, maxStepSec: 600, matmulReps: 1, matmulMinMs: 0 },
      leakSteps: 5,
      target: { method: 'trm', preset: 'tiny', workload: w, batch: 2, model: toy },
      wasmRef: { method: 'trm', preset: 'tiny', workload: w, batch: 2, model: toy },
    };
  }
  const arc30: Workload = { kind: 'arc', canvas: 30 };
  return {
    presets: ['tiny', 'compact', 'full'],
    workloads: [
      { tokens: 80, w: { kind: 'nqueens', n: 8 } },
      { tokens: 916, w: arc30 },
    ],
    batches: [1, 8, 64, 512],
    effort: { warmup: 2, reps: 3, maxStepSec: 20, matmulReps: 3, matmulMinMs: 100 },
    leakSteps: 1000,
    target: { method: 'trm', preset: 'compact', workload: arc30, batch: 64 },
    // wasm is compute-bound on 2 cores: examples/s do not grow with the batch, so B = 1 stands for B = 64
    wasmRef: { method: 'trm', preset: 'compact', workload: arc30, batch: 1 },
  };
}

async function main(): Promise<void> {
  const args = parse(process.argv.slice(2));
  const p = plan(args.quick);
  const md: string[] = [];
  const started = new Date();
  md.push(`# GPU check${args.quick ? ' (--quick: toy sizes, figures meaningless)' : ''}`, '');
  const m = machineInfo();
  md.push(`${started.toISOString()} · ${m.cpu}, ${m.cores} cores, ${m.memGiB} GiB, ${m.platform}, Node ${m.node}`, '');

  // 1. wasm reference first (parity and the 10× target), then the backend under test.
  await initBackend('wasm');
  log('wasm: reference forward pass and step');
  const model = p.model ?? { hidden: 32, heads: 2, puzzleEmbDim: 32, T: 2, n: 2 };
  const wasmForward = await forward(model);
  const wasmRef = await measureTraining(p.wasmRef, p.effort, 0.5, 10);

  let info: BackendInfo;
  try {
    info = await initBackend(args.backend);
  } catch (e) {
    md.push(`**Backend ${args.backend}: not available.** ${(e as Error).message}`, '', 'Run `npx puzzle-lab doctor` for the reason and the fix.');
    await finish(args, md, started);
    return;
  }
  const software = info.adapter?.software === true;
  md.push('## Backend', '', '| | |', '|---|---|');
  md.push(`| asked for | ${args.backend} |`, `| chosen | **${info.name}**${software ? ' (software adapter)' : ''} |`, `| device | ${info.device} |`);
  for (const n of info.notes) md.push(`| why not faster | ${n} |`);
  md.push('');
  if (info.name !== 'webgpu' && info.name !== 'tensorflow-gpu') md.push('> No GPU backend is in use: the figures below are for a CPU backend. `npx puzzle-lab doctor` says why.', '');
  if (software) md.push('> A software adapter (CPU emulation): correct, never fast. These figures say nothing about a GPU.', '');

  // 2. parity
  log(`${info.name}: parity with wasm`);
  const gotForward = await forward(model);
  const err = relErr(gotForward, wasmForward);
  md.push('## Parity with wasm', '', '| check | max relative error | tolerance | result |', '|---|---|---|---|');
  md.push(`| TRM forward + halting logits (D ${model.hidden}, T ${model.T}, n ${model.n}) | ${err.toExponential(2)} | 1e-4 | ${err < 1e-4 ? 'ok' : '**FAIL**'} |`, '');

  // 3. speed matrix
  /** each measured row with the options it was asked for (a --quick row's preset reads 'custom') */
  const rows: Array<TrainRow & { asked: ConfigOptions }> = [];
  const skipped: string[] = [];
  md.push('## Speed', '', '| method | preset | tokens | batch | ms/step | examples/s | step GFLOPS |', '|---|---|---|---|---|---|---|');
  // the skip rule's speed estimate: one plain matMul, as `npm run bench` does
  const probeGflops = args.quick ? 1e9 : (await measureMatmul(512, 256, 512, 3, 50)).gflops;
  for (const preset of p.presets) {
    for (const { w } of p.workloads) {
      for (const method of ['trm', 'dis'] as const) {
        for (const batch of p.batches) {
          const o: ConfigOptions = { method, preset, workload: w, batch, ...(p.model ? { model: p.model } : {}) };
          log(`${info.name}: ${method} ${preset} ${JSON.stringify(w)} B=${batch}`);
          let r;
          try {
            r = await measureTraining(o, p.effort, 0.5, probeGflops);
          } catch (e) {
            // out of GPU memory at a large batch is a result, not a crash
            skipped.push(`${method} ${preset} B=${batch}: ${(e as Error).message.split('\n')[0]}`);
            break;
          }
          if ('skipped' in r) {
            skipped.push(`${r.skipped.what}: ${r.skipped.why}`);
            break; // larger batches only take longer
          }
          rows.push({ ...r.row, asked: o });
          const x = r.row;
          md.push(`| ${method.toUpperCase()} | ${preset} | ${x.tokens} | ${x.batch} | ${fmt(x.msPerStep, 1)} | ${fmt(x.examplesPerSec, 2)} | ${fmt(x.stepGflops, 2)} |`);
        }
      }
    }
  }
  md.push('');
  if (skipped.length) md.push('Not measured (predicted over the per-step budget, or failed):', '', ...skipped.map((s) => `- ${s}`), '');

  // 4. DIS/TRM ratio at equal settings
  md.push('## DIS / TRM cost per training example', '', '| preset | tokens | batch | TRM ms/example | DIS ms/example | TRM ÷ DIS |', '|---|---|---|---|---|---|');
  for (const t of rows.filter((r) => r.method === 'trm')) {
    const d = rows.find((r) => r.method === 'dis' && r.asked.preset === t.asked.preset && r.tokens === t.tokens && r.batch === t.batch);
    if (d) md.push(`| ${t.asked.preset} | ${t.tokens} | ${t.batch} | ${fmt(t.msPerExample, 1)} | ${fmt(d.msPerExample, 1)} | ${fmt(t.msPerExample / d.msPerExample, 2)} |`);
  }
  md.push('');

  // 5. the target
  md.push(`## Target: compact TRM at 916 tokens, batch 64, ≥ 10× wasm examples/s${args.quick ? ' (--quick: a toy stand-in)' : ''}`, '');
  const tgt = rows.find((r) => r.method === p.target.method && r.asked.preset === p.target.preset && r.batch === p.target.batch && r.workload === workloadName(p.target.workload));
  if ('row' in wasmRef && tgt) {
    const ratio = tgt.examplesPerSec / wasmRef.row.examplesPerSec;
    md.push(`${info.name}: ${fmt(tgt.examplesPerSec, 3)} examples/s; wasm (B=${wasmRef.row.batch}, same run): ${fmt(wasmRef.row.examplesPerSec, 3)} examples/s → **${fmt(ratio, 1)}×** (${ratio >= 10 ? 'target met' : 'target NOT met'})`, '');
  } else md.push(`Not measured (${'skipped' in wasmRef ? `wasm: ${wasmRef.skipped.why}` : 'the target configuration was skipped'}).`, '');

  // 6. memory and leak check
  log(`${info.name}: ${p.leakSteps}-step leak check`);
  const cfg = benchConfig({ method: 'trm', preset: 'tiny', workload: p.workloads[0]!.w, batch: args.quick ? 2 : 8, ...(p.model ? { model: { ...p.model, Nsup: 2 } } : { model: { Nsup: 4 } }) });
  const s = await makeSetup(cfg);
  const samples: Array<{ step: number; mem: tf.MemoryInfo }> = [];
  const every = Math.max(1, Math.floor(p.leakSteps / 5));
  try {
    for (let t = 1; t <= p.leakSteps; t++) {
      await oneStep(s, t);
      if (t === 1 || t % every === 0) samples.push({ step: t, mem: tf.memory() });
    }
  } finally {
    s.dispose();
  }
  const gpuBytes = (mi: tf.MemoryInfo): string => {
    const g = (mi as tf.MemoryInfo & { numBytesInGPU?: number; numBytesInGPUAllocated?: number }).numBytesInGPU;
    return g === undefined ? '–' : fmt(g / 2 ** 20, 1);
  };
  md.push(`## Memory and a ${p.leakSteps}-step leak check (TRM tiny, B=${cfg.batchSize})`, '', '| step | numTensors | tensor MiB | GPU MiB in use |', '|---|---|---|---|');
  for (const x of samples) md.push(`| ${x.step} | ${x.mem.numTensors} | ${fmt(x.mem.numBytes / 2 ** 20, 2)} | ${gpuBytes(x.mem)} |`);
  const after = samples.filter((x) => x.step > 1).map((x) => x.mem.numTensors);
  md.push('', `numTensors ${after.every((n) => n === after[0]) ? 'constant' : '**NOT constant**'} after the first step.`, '');
  await finish(args, md, started);
}

async function finish(args: Args, md: string[], started: Date): Promise<void> {
  await mkdir(args.out, { recursive: true });
  const file = path.join(args.out, `gpu-check-${started.toISOString().replace(/[:]/g, '-').replace(/\..*$/, '')}${args.quick ? '-quick' : ''}.md`);
  const text = `${md.join('\n')}\n`;
  await writeFile(file, text);
  console.log(`\n${text}`);
  log(`wrote ${file}`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
