// `npm run bench -- [--quick|--full] [--backend wasm,cpu] [--out bench/results] [--only …]`
// Measures training steps, attention, scaling, evaluation, inference, DIS vs TRM and leaks on every
// available backend and writes bench/results/<date>-<backends>.json/.md and bench/results/latest.md.
// Speed targets live here, never in unit tests.
import * as tf from '@tensorflow/tfjs';
import os from 'node:os';
import { initBackend } from '../src-main/engine/backend';
import { formatHelp, UsageError } from '../src-main/command-line/args';
import { METHOD_INFO } from '../src-shared/method/methods';
import { parseArgs, spec as benchSpec, type BenchBackend, type Section } from './args';
import { machineInfo } from './machine';
import { fmt, writeReport, type BackendReport, type Report, type Table } from './report';
import { attentionShare, compare, evalVersions, inference, leak, matrix, scaling, type Ctx } from './sections';
import type { Effort, TrainRow } from './train-bench';
import { measureMatmul } from './matmul';
import { parallelSection } from './parallel';
import { PEER_COLUMNS, peerSection } from './peer';

const PEER_SUMMARY_PICK = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 15, 16, 17];
const PEER_SUMMARY_COLUMNS = PEER_SUMMARY_PICK.map((i) => PEER_COLUMNS[i]!);

function effortFor(level: 'quick' | 'full', backend: BenchBackend): { effort: Effort; assumeEff: number } {
  const slowJs = backend === 'cpu';
  if (level === 'quick') {
    return { effort: { warmup: 1, reps: 2, maxStepSec: slowJs ? 3 : 6, matmulReps: 3, matmulMinMs: 40 }, assumeEff: slowJs ? 0.8 : 0.4 };
  }
  return { effort: { warmup: 2, reps: 5, maxStepSec: slowJs ? 120 : 60, matmulReps: 5, matmulMinMs: 200 }, assumeEff: slowJs ? 0.8 : 0.4 };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (args.help) {
    console.log(formatHelp(benchSpec));
    return;
  }
  const started = Date.now();
  const report: Report = {
    command: `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim(),
    level: args.level,
    startedAt: new Date(started).toISOString(),
    machine: machineInfo(),
    backends: [],
    summary: [],
  };
  const log = (m: string) => console.log(`[bench ${((Date.now() - started) / 1000).toFixed(0)}s] ${m}`);
  const want = (s: Section) => args.sections.includes(s);
  const summaryRows: Array<Array<string | number>> = [];
  const compareRows: Array<Array<string | number>> = [];
  const peerRows: Array<Array<string | number>> = [];

  for (const backend of args.backends) {
    let info;
    try {
      info = await initBackend(backend);
    } catch (e) {
      const note = (e as Error).message;
      log(`${backend}: not available (${note})`);
      report.backends.push({ backend, available: false, note, tables: [], raw: {} });
      continue;
    }
    const software = info.adapter?.software === true;
    if (software && !args.explicitBackends) {
      // A CPU emulation of a GPU (SwiftShader, llvmpipe) takes minutes per configuration and its
      // figures say nothing about a GPU; it is measured only when asked for by name.
      const note = `${info.device}: a software adapter; run \`npm run bench -- --backend webgpu\` to measure it anyway`;
      log(`${backend}: skipped (${note})`);
      report.backends.push({ backend, available: false, note, tables: [], raw: {} });
      continue;
    }
    // Rows of a software adapter say so wherever they appear.
    const label = software ? `${backend} (software adapter)` : backend;
    log(`${label}: ${info.device}`);
    const { effort, assumeEff } = effortFor(args.level, backend);
    const probe = await measureMatmul(512, 256, 512, 3, 50);
    const ctx: Ctx = { level: args.level, backend, effort, assumeEff, probeGflops: probe.gflops, log };
    const br: BackendReport = { backend: label, available: true, device: info.device, versions: info.versions, tables: [], raw: {} };
    if (info.notes.length) br.note = info.notes.join('; ');
    report.backends.push(br);
    const section = async (name: Section, f: () => Promise<{ tables: Table[]; raw: unknown }>) => {
      if (!want(name)) return;
      log(`${backend}: ${name}`);
      try {
        const r = await f();
        br.tables.push(...r.tables);
        br.raw[name] = r.raw;
      } catch (e) {
        const msg = (e as Error).stack ?? String(e);
        log(`${backend}: ${name} failed: ${msg}`);
        br.tables.push({ title: `${name} (failed)`, caption: 'The section threw; the error is reported as is.', columns: ['error'], rows: [[(e as Error).message]], notes: [] });
      }
      // Each section disposes what it made; anything left is a leak worth seeing in the report.
      br.raw[`${name}.numTensorsAfter`] = tf.memory().numTensors;
    };
    let rows: TrainRow[] = [];
    await section('peer', async () => {
      const r = await peerSection(ctx);
      for (const t of r.tables) for (const row of t.rows) peerRows.push([label, ...row]);
      return r;
    });
    await section('matrix', async () => {
      const r = await matrix(ctx);
      rows = r.rows;
      for (const x of r.rows) {
        summaryRows.push([label, x.preset, METHOD_INFO[x.method].label, x.workload, x.tokens, x.batch, fmt(x.msPerStep, 0), fmt(x.examplesPerSec, 3), fmt(x.stepGflops, 2), fmt(x.matmulGflops, 1), `${fmt(x.efficiency * 100, 0)}%`, fmt(x.fwdEquivPerExample, 0)]);
      }
      return r;
    });
    await section('attention', () => attentionShare(ctx));
    await section('compare', async () => {
      const r = await compare(ctx, rows);
      for (const t of r.tables) for (const row of t.rows) compareRows.push([label, ...row]);
      return r;
    });
    await section('scaling', () => scaling(ctx));
    await section('eval', () => evalVersions(ctx));
    await section('infer', () => inference(ctx));
    await section('parallel', () => parallelSection(ctx));
    await section('leak', () => leak(ctx));
  }
  report.summary.push({
    title: 'Key table: training step per backend, preset and method',
    caption: 'Medians of repeated steps; efficiency = achieved GFLOPS of the whole optimizer step (FLOPs per docs/method-notes.md#compute-accounting) ÷ plain 2-D matMul GFLOPS of the same shapes measured in the same run. Details and skipped configurations per backend below.',
    columns: ['backend', 'preset', 'method', 'puzzles', 'tokens', 'B', 'ms/step', 'examples/s', 'step GFLOPS', 'matMul GFLOPS', 'efficiency', 'fwd-equiv/example'],
    rows: summaryRows,
    notes: [],
  });
  if (peerRows.length) {
    report.summary.unshift({
      title: 'Key table: the lab ÷ PyTorch, same step, interleaved rounds',
      caption: 'Per-round ratios (median, min–max); targets of issue #16: within 2× of PyTorch on two threads, tiny at 80 tokens within 3×. Details and the method in the backend section below.',
      columns: ['backend', ...PEER_SUMMARY_COLUMNS],
      rows: peerRows.map((r) => [r[0]!, ...PEER_SUMMARY_PICK.map((i) => r[i + 1]!)]),
      notes: [],
    });
  }
  if (compareRows.length) {
    report.summary.push({
      title: 'Key table: DIS vs TRM cost per training example',
      caption: 'Measured ms per training example (N_sup steps ÷ B) side by side with the forward-equivalent ratio predicted by docs/method-notes.md#compute-accounting.',
      columns: ['backend', 'preset', 'puzzles', 'B', 'TRM setting', 'DIS ms/example', 'TRM ms/example', 'measured TRM ÷ DIS', 'fwd-equiv ratio (counted)', 'predicted', 'calls ratio'],
      rows: compareRows,
      notes: [],
    });
  }
  report.machine.loadAvgEnd = os.loadavg().map((x) => Math.round(x * 100) / 100);
  report.finishedAt = new Date().toISOString();
  report.wallSec = (Date.now() - started) / 1000;
  const files = await writeReport(report, args.out);
  log(`wrote ${files.json}, ${files.md} and ${files.latest}`);
}

main().catch((e) => {
  if (e instanceof UsageError) {
    console.error(e.message);
    process.exit(2);
  }
  console.error(e);
  process.exit(1);
});
