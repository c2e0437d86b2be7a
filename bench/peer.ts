// The lab's training step against the same step in PyTorch (bench/torch_step.py), interleaved round by
// round on this machine: each round runs the lab's steps, then PyTorch on 1 thread, then on 2 threads
// (the order rotates every round), so each ratio compares measurements taken under the same load.
// Ratios are per round (median of the round's steps), reported as median and range over the rounds.
// Rows where PyTorch or the lab cannot run say why; nothing is dropped silently.
import * as tf from '@tensorflow/tfjs';
import { execFile, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { trainStepFlops } from '../src-shared/method/compute';
import { swigluWidth, type Preset } from '../src-shared/method/run-config';
import { planCores } from '../src-main/engine/cores';
import { planMicroBatches } from '../src-main/engine/memory-estimate';
import { cpuPeak, findTorch, fmtSpread, roundRatios, spread, targetFor, verdict } from './peer-stats';
import { fmt, type Table } from './report';
import type { Ctx, SectionResult } from './sections';
import { benchConfig, type ConfigOptions } from './setup';
import { median } from './timing';

/**
 * Kernels per step of the same rows before issue #16.2 (per-head attention loop, autograd RMSNorm),
 * measured with this section's count at commit f83a637, for the "before → after" column.
 */
const KERNELS_BEFORE: Record<string, number> = {
  'dis tiny 80 16': 2496,
  'trm tiny 80 16': 6182,
  'dis small 80 8': 1920,
  'trm small 80 8': 4582,
  'dis compact 80 8': 2496,
  'trm compact 80 8': 6182,
  'dis tiny 916 1': 1518,
  'trm tiny 916 1': 3422,
  'dis compact 916 1': 1758,
};

function kernelsCell(r: PeerRow): string {
  if (r.kernels === undefined) return '—';
  const before = KERNELS_BEFORE[`${r.options.method} ${r.options.preset} ${r.tokens} ${r.options.batch}`];
  return before === undefined ? String(r.kernels) : `${before} → ${r.kernels}`;
}

/** Step-time budget of a peer row at any level (seconds, predicted from the probe matMul). */
const PEER_MIN_BUDGET_SEC = 20;

const SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'torch_step.py');

/** A child process answering one JSON line per JSON command (torch_step.py, lab-step-server.ts). */
class LineServer {
  private readonly proc: ChildProcessWithoutNullStreams;
  private readonly lines: string[] = [];
  private waiting: ((line: string) => void) | null = null;
  private stderr = '';
  private exited: string | null = null;

  constructor(
    private readonly name: string,
    command: string,
    args: string[],
    env: NodeJS.ProcessEnv = process.env,
  ) {
    this.proc = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'], env });
    createInterface({ input: this.proc.stdout }).on('line', (l) => {
      if (!l.startsWith('{')) return; // a library's own output, not an answer
      if (this.waiting) {
        const w = this.waiting;
        this.waiting = null;
        w(l);
      } else this.lines.push(l);
    });
    this.proc.stderr.on('data', (d) => (this.stderr = (this.stderr + String(d)).slice(-2000)));
    this.proc.on('exit', (code) => {
      this.exited = `${this.name} exited (code ${code}): ${this.stderr.trim().split('\n').pop() ?? ''}`;
      if (this.waiting) this.waiting(JSON.stringify({ error: this.exited }));
    });
  }

  async request<R>(cmd: Record<string, unknown>): Promise<R> {
    if (this.exited) throw new Error(this.exited);
    this.proc.stdin.write(JSON.stringify(cmd) + '\n');
    const line = this.lines.shift() ?? (await new Promise<string>((resolve) => (this.waiting = resolve)));
    const r = JSON.parse(line) as R & { error?: string };
    if (r.error) throw new Error(`${this.name}: ${r.error}`);
    return r;
  }

  close(): void {
    if (!this.exited) this.proc.stdin.end(JSON.stringify({ cmd: 'quit' }) + '\n');
  }
}

const LAB_SERVER = path.join(path.dirname(fileURLToPath(import.meta.url)), 'lab-step-server.ts');

/** Lab step servers by wasm thread count (one process per count: the count is fixed once wasm starts). */
class LabServers {
  private readonly byThreads = new Map<number, LineServer>();

  get(threads: number): LineServer {
    let s = this.byThreads.get(threads);
    if (!s) {
      s = new LineServer(`lab step server (${threads} thread${threads === 1 ? '' : 's'})`, process.execPath, ['--import', 'tsx', LAB_SERVER], { ...process.env, PUZZLE_LAB_WASM_THREADS: String(threads) });
      this.byThreads.set(threads, s);
    }
    return s;
  }

  close(): void {
    for (const s of this.byThreads.values()) s.close();
  }
}

function probeTorch(python: string): Promise<{ ok: boolean; detail: string }> {
  return new Promise((resolve) => {
    execFile(python, ['-c', 'import torch; print(torch.__version__)'], { timeout: 60_000 }, (err, stdout, stderr) => {
      if (err) resolve({ ok: false, detail: (stderr || err.message).trim().split('\n').pop() ?? 'failed' });
      else resolve({ ok: true, detail: stdout.trim() });
    });
  });
}

export function pythonCandidates(env: NodeJS.ProcessEnv = process.env): string[] {
  const c = [env['PUZZLE_LAB_PYTHON'], 'python3', '/usr/bin/python3'].filter((x): x is string => !!x);
  return [...new Set(c)];
}

interface LabSide {
  /** step times per round */
  ms: number[][];
  /** compute threads in use, and why (the cores plan) */
  threads: number;
  workers: number;
  why: string;
}

interface PeerRow {
  options: ConfigOptions;
  tokens: number;
  note?: string;
  /** the lab as a run would train by default (its cores plan) */
  lab?: LabSide;
  /** the lab on one thread, one engine; absent where that is the default */
  lab1?: LabSide;
  torch1?: number[][];
  torch2?: number[][];
  kernels?: number;
  microBatches?: number;
  flops?: number;
  /** 1-minute load average after the row's rounds, and the cores */
  load?: { avg: number; cores: number };
}

export const PEER_COLUMNS = [
  'method',
  'preset',
  'tokens',
  'B',
  'lab cores (default)',
  'lab ms/step',
  'lab 1-thread ms/step',
  'default vs 1 thread (speed-up, per round)',
  'PyTorch 1t ms/step',
  'PyTorch 2t ms/step',
  'lab ÷ PyTorch 2t (per round)',
  'lab ÷ PyTorch 1t (per round)',
  'lab GFLOPS',
  'lab % of machine peak',
  'PyTorch 2t GFLOPS',
  'lab kernels/step (before #16.2 → now)',
  'micro-batches',
  'target (#16)',
];

export async function peerSection(ctx: Ctx): Promise<SectionResult> {
  const quick = ctx.level === 'quick';
  // --quick leaves out 'full' (minutes per row on a 2-core machine); --full measures every preset.
  const presets: Preset[] = quick ? ['tiny', 'small', 'compact'] : ['tiny', 'small', 'compact', 'full'];
  const rounds = quick ? 3 : 5;
  const steps = quick ? 2 : 3;
  const cores = os.cpus().length;
  let peak: ReturnType<typeof cpuPeak> = null;
  try {
    peak = cpuPeak(readFileSync('/proc/cpuinfo', 'utf8'), cores);
  } catch {
    peak = null;
  }
  const found = await findTorch(pythonCandidates(), probeTorch);
  const torchNote = 'reason' in found ? found.reason : `PyTorch ${found.version} (${found.python})`;
  ctx.log(`  peer: ${torchNote}`);
  const server = 'python' in found ? new LineServer('PyTorch peer', found.python, [SCRIPT]) : null;
  const labs = new LabServers();
  const rows: PeerRow[] = [];
  try {
    for (const tokens of [80, 916]) {
      for (const preset of presets) {
        // tiny at 80 tokens also at batch 32: the size run setup starts with
        const batches = tokens === 80 ? (preset === 'tiny' ? [16, 32] : preset === 'full' ? [4] : [8]) : [1];
        for (const batch of batches) {
          for (const method of ['dis', 'trm'] as const) {
            const o: ConfigOptions = { method, preset, workload: tokens === 80 ? { kind: 'nqueens', n: 8 } : { kind: 'arc', canvas: 30 }, batch };
            rows.push(await measureRow(ctx, o, tokens, server, labs, rounds, steps));
          }
        }
      }
    }
  } finally {
    server?.close();
    labs.close();
  }
  const table: Table = {
    title: 'The lab against PyTorch, same step, interleaved',
    caption:
      `Each round runs ${steps} lab steps as a run trains by default, ${steps} lab steps on one thread (where that is not the default), ${steps} PyTorch steps on 1 thread and ${steps} on 2 threads (order rotating), after one warm-up step each; ${rounds} rounds. ` +
      'Ratios are per round (median of the round\'s steps ÷ median of the peer\'s), shown as median (min–max, rounds). ' +
      'Same step in both: TRM = (T−1)·(n+1) no-grad block applications + (n+1) with gradient, then backward and the optimizer; DIS = T=1, n=2, all with gradient. ' +
      `The lab on ${ctx.backend}, each side in its own process: "lab cores" is the trainer's default cores plan for the row (src-main/engine/cores.ts: data-parallel workers, threaded kernels or one thread). ` +
      'Kernels per step: tfjs kernels of one optimizer step of one engine with the whole batch (a data-parallel worker issues as many: the count does not depend on the batch); "before" is the same count at commit f83a637 (per-head attention loop), where measured. ' +
      `Machine peak: ${peak ? `${fmt(peak.gflops, 0)} GFLOPS fp32 (${peak.how})` : 'unknown (no /proc/cpuinfo)'}. GFLOPS count the FLOPs of docs/method-notes.md#compute-accounting.`,
    columns: PEER_COLUMNS,
    rows: rows.map((r) => peerRow(r, peak?.gflops ?? Number.NaN)),
    notes: [
      `PyTorch: ${torchNote}. Debian's torch uses the reference BLAS (≈0.5–4 GFLOPS) unless libopenblas0-pthread is installed; the ratio is only fair with OpenBLAS.`,
      `Load average at the end of the section: ${os.loadavg().map((x) => x.toFixed(2)).join(' / ')} on ${cores} cores: other jobs share this machine; the interleaving puts both sides under the same load, the absolute times are not quiet-machine figures.`,
      ...rows.filter((r) => r.lab).map((r) => `${r.options.method.toUpperCase()} ${r.options.preset} ${r.tokens}×${r.options.batch}: ${r.lab!.why}`),
    ],
  };
  return { tables: [table], raw: { rows, torch: found, peak } };
}

function coresLabel(l: LabSide): string {
  return l.workers > 1 ? `${l.workers} workers × 1 thread` : `${l.threads} thread${l.threads === 1 ? '' : 's'}`;
}

function peerRow(r: PeerRow, peak: number): Array<string | number> {
  const o = r.options;
  const head = [o.method.toUpperCase(), o.preset, r.tokens, o.batch];
  if (!r.lab) return [...head, '', r.note ?? 'not measured', '', '', '', '', '', '', '', '', '', '', '', ''];
  const lab = spread(r.lab.ms.map(median));
  const gf = (ms: number) => (r.flops ?? Number.NaN) / (ms * 1e6);
  const target = targetFor(o.preset, r.tokens);
  const cols: Array<string | number> = [...head, coresLabel(r.lab), fmtSpread(lab, 0)];
  if (r.lab1) cols.push(fmtSpread(spread(r.lab1.ms.map(median)), 0), fmtSpread(spread(roundRatios(r.lab1.ms, r.lab.ms)), 2, '×'));
  else cols.push('= default', '—');
  if (r.torch1 && r.torch2) {
    const r2 = spread(roundRatios(r.lab.ms, r.torch2));
    const r1 = spread(roundRatios(r.lab.ms, r.torch1));
    const t2 = spread(r.torch2.map(median));
    cols.push(fmtSpread(spread(r.torch1.map(median)), 0), fmtSpread(t2, 0), fmtSpread(r2, 2, '×'), fmtSpread(r1, 2, '×'));
    cols.push(fmt(gf(lab.median), 2), `${fmt((100 * gf(lab.median)) / peak, 1)}%`, fmt(gf(t2.median), 2));
    cols.push(kernelsCell(r), r.microBatches ?? 1, verdict(r2, target, r.load));
  } else {
    cols.push(r.note ?? 'no PyTorch', '—', '—', '—', fmt(gf(lab.median), 2), `${fmt((100 * gf(lab.median)) / peak, 1)}%`, '—', kernelsCell(r), r.microBatches ?? 1, `not measured (≤${target}×)`);
  }
  return cols;
}

interface LabSetupReply {
  kernels: number;
  microBatches: number;
  workers: number;
  threads: number;
  why: string;
  flops: number;
}

async function measureRow(ctx: Ctx, o: ConfigOptions, tokens: number, server: LineServer | null, labs: LabServers, rounds: number, steps: number): Promise<PeerRow> {
  const row: PeerRow = { options: o, tokens };
  const config = benchConfig(o);
  const m = config.model;
  const label = `${o.method.toUpperCase()} ${o.preset} ${tokens} tokens B=${o.batch}`;
  let plan;
  try {
    plan = planMicroBatches(m, tokens, o.batch, ctx.backend);
  } catch (e) {
    row.note = `the lab refuses this setting: ${(e as Error).message}`;
    ctx.log(`  ${label}: ${row.note}`);
    return row;
  }
  const vocab = o.workload.kind === 'nqueens' ? 3 : 12;
  const flops = trainStepFlops(m, tokens, vocab, o.batch);
  const predicted = flops / (ctx.probeGflops * ctx.assumeEff * 1e9);
  // The targets are judged on these rows: a wider budget than the other sections' at --quick.
  const budget = Math.max(ctx.effort.maxStepSec, PEER_MIN_BUDGET_SEC);
  if (predicted > budget) {
    row.note = `skipped: predicted ${predicted.toFixed(1)} s/step for the lab > ${budget} s budget at this level (use --full)`;
    ctx.log(`  ${label}: ${row.note}`);
    return row;
  }
  ctx.log(`  ${label} …`);
  // The default's process runs the plan's threads (workers are single-threaded engines of their own).
  const cores = planCores(config, tokens, vocab, plan.count);
  const defaultThreads = cores.shards > 1 ? 1 : cores.threads;
  const oneIsDefault = cores.shards === 1 && cores.threads === 1;
  const labDefault = labs.get(defaultThreads);
  const labOne = labs.get(1);
  const d = await labDefault.request<LabSetupReply>({ cmd: 'setup', id: 'default', options: o, backend: ctx.backend, cores: 'default' });
  row.kernels = d.kernels;
  row.microBatches = d.microBatches;
  row.flops = d.flops;
  row.lab = { ms: [], threads: d.threads, workers: d.workers, why: d.why };
  if (!oneIsDefault) {
    const one = await labOne.request<LabSetupReply>({ cmd: 'setup', id: 'one', options: o, backend: ctx.backend, cores: 'one' });
    row.lab1 = { ms: [], threads: one.threads, workers: one.workers, why: 'one thread, one engine' };
  }
  try {
    let torchOk = server !== null;
    if (server) {
      try {
        await server.request({ cmd: 'setup', method: o.method, B: o.batch, L: tokens, P: m.puzzleEmbLen, D: m.hidden, H: m.heads, I: swigluWidth(m.hidden, m.expansion), layers: m.layers, V: vocab, T: m.T, n: m.n });
        await server.request({ cmd: 'run', threads: 1, steps: 1 });
        await server.request({ cmd: 'run', threads: 2, steps: 1 });
      } catch (e) {
        torchOk = false;
        row.note = (e as Error).message;
      }
    } else row.note = 'no PyTorch on this machine (see the note below)';
    if (torchOk) {
      row.torch1 = [];
      row.torch2 = [];
    }
    const who = ['lab', ...(row.lab1 ? ['lab1'] : []), ...(torchOk ? ['t1', 't2'] : [])];
    for (let r = 0; r < rounds; r++) {
      const order = who.map((_, i, a) => a[(i + r) % a.length]!);
      for (const w of order) {
        if (w === 'lab') row.lab.ms.push((await labDefault.request<{ ms: number[] }>({ cmd: 'run', id: 'default', steps })).ms);
        else if (w === 'lab1') row.lab1!.ms.push((await labOne.request<{ ms: number[] }>({ cmd: 'run', id: 'one', steps })).ms);
        else {
          const reply = await server!.request<{ ms: number[] }>({ cmd: 'run', threads: w === 't1' ? 1 : 2, steps });
          (w === 't1' ? row.torch1! : row.torch2!).push(reply.ms);
        }
      }
    }
    row.load = { avg: os.loadavg()[0]!, cores: os.cpus().length };
    const lab = median(row.lab.ms.map(median));
    ctx.log(
      `    lab ${fmt(lab, 0)} ms (${coresLabel(row.lab)})${row.lab1 ? `, one thread ${fmt(median(row.lab1.ms.map(median)), 0)} ms` : ''}${row.torch2 ? `, PyTorch 2t ${fmt(median(row.torch2.map(median)), 0)} ms, 1t ${fmt(median(row.torch1!.map(median)), 0)} ms` : ''}`,
    );
  } finally {
    await labDefault.request({ cmd: 'drop', id: 'default' });
    if (row.lab1) await labOne.request({ cmd: 'drop', id: 'one' });
  }
  return row;
}
