// A CLI training run as a run of the lab (see lab.ts for how the CLI reaches the lab): queued in
// the lab's data directory, followed to its end with a progress bar (or one JSON line per lab
// event), Ctrl-C to pause it with a checkpoint (twice: cancel), and, with --out, exported to a
// folder the user chose (config.json, checkpoints, and lab-run.json naming the lab run, so
// `--out DIR --resume` continues it).
import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { CheckpointInfo, EtaRange, LabEvent, RunStatus, RunSummary } from '../../src-shared/api/contract';
import { LabError } from '../../src-shared/api/errors';
import type { RunConfig } from '../../src-shared/method/run-config';
import type { EvalReport } from '../../src-shared/method/protocol';
import { runsDir } from '../service/data-dir';
import { nowIso } from '../service/ids';
import { UsageError } from '../command-line/args';
import { progressLine } from './commands/train';
import type { Io } from './io';
import { openLab, type LabLink } from './lab';

const RUN_LINK = 'lab-run.json';
/** how often the progress bar asks the lab for its ETA */
const ETA_REFRESH_MS = 2_000;

export interface RunLink {
  runId: string;
  dataDir: string;
}

export async function readRunLink(out: string): Promise<RunLink> {
  const file = path.join(path.resolve(out), RUN_LINK);
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8'));
  } catch (e) {
    throw new UsageError(`puzzle-lab train: cannot read ${file} (${(e as Error).message}); --resume continues a run that \`puzzle-lab train --out\` exported there`);
  }
  const r = raw as Partial<RunLink>;
  if (typeof r.runId !== 'string' || typeof r.dataDir !== 'string') throw new UsageError(`puzzle-lab train: ${file} does not name a lab run (runId, dataDir)`);
  return { runId: r.runId, dataDir: r.dataDir };
}

const ENDED: ReadonlySet<RunStatus> = new Set(['completed', 'cancelled', 'failed', 'diverged']);

/** A run has stopped for good, or paused (not a pause that waits for disk space and resumes by itself). */
function stopped(r: RunSummary): boolean {
  return ENDED.has(r.status) || (r.status === 'paused' && r.pausedFor === undefined);
}

interface Follow {
  dataDir: string;
  out: string | undefined;
  json: boolean;
  io: Io;
}

/** a new run, a paused one to resume, or one already queued or running to follow on */
type What = { kind: 'new'; config: RunConfig } | { kind: 'resume'; runId: string } | { kind: 'follow'; runId: string };

/** The lab that answered went away while the run was followed (its run id, to follow it on). */
class LabLost {
  constructor(
    readonly runId: string,
    readonly why: string,
  ) {}
}

/** Queues (or resumes) the run in the lab, follows it to its end; returns the exit code. */
export async function followInLab(what: What, f: Follow): Promise<number> {
  const mine = new Set<string>();
  if (what.kind === 'resume') mine.add(what.runId);
  const startedAt = nowIso();
  for (;;) {
    const lab = await openLab(f.dataDir, { startable: (r) => mine.has(r.id) || r.created_at >= startedAt });
    try {
      const r = await follow(lab, what, mine, f);
      if (!(r instanceof LabLost)) return r;
      // The lab that held the data directory was another command's, and it finished: open the data
      // directory again (this process becomes its lab, and trains the run, or reaches the next one).
      f.io.err(`the lab on ${f.dataDir} went away (${r.why}); following run ${r.runId} on\n`);
      mine.add(r.runId);
      what = { kind: 'follow', runId: r.runId };
    } finally {
      await lab.close();
    }
  }
}

/** The printer of a run's progress, shared by both ways of following it. */
function printer(f: Follow) {
  const { io } = f;
  let barShown = false;
  const metrics: Record<string, number> = {};
  /** the run's estimate from the lab's one estimator (queueEta), and when it was fetched */
  const eta: { range: EtaRange | null; at: number } = { range: null, at: 0 };
  const clearBar = (): void => {
    if (barShown) io.out('\r\x1b[2K');
    barShown = false;
  };
  return {
    metrics,
    eta,
    event(e: LabEvent | { type: 'finished'; run: RunSummary; checkpoints: CheckpointInfo[]; out: string | null }): void {
      if (f.json) io.out(`${JSON.stringify(e)}\n`);
    },
    progress(r: RunSummary): void {
      if (f.json || r.status !== 'running') return;
      // counted down from when the lab estimated it, as the app's run list does
      const since = (Date.now() - eta.at) / 1000;
      const left = eta.range === null ? null : { ...eta.range, lowSec: eta.range.lowSec - since, highSec: eta.range.highSec - since };
      const line = progressLine({ step: r.step, totalSteps: r.totalSteps, metrics, examplesPerSec: r.examplesPerSec, eta: left }, io.isTTY ? io.columns : 100);
      if (io.isTTY) {
        io.out(`\r\x1b[2K${line}`);
        barShown = true;
      } else io.out(`${line}\n`);
    },
    eval(r: EvalReport): void {
      if (f.json) return;
      clearBar();
      io.out(`eval @ step ${r.step}: pass@1 ${(100 * r.passAt1).toFixed(1)}%  pass@2 ${(100 * r.passAt2).toFixed(1)}%${r.weights === 'ema' ? ' (EMA weights)' : ''}  (${r.tasks.length} test pairs)\n`);
      if (r.live) io.out(`               live weights: pass@1 ${(100 * r.live.passAt1).toFixed(1)}%  pass@2 ${(100 * r.live.passAt2).toFixed(1)}%\n`);
    },
    line(text: string, toErr = false): void {
      if (f.json && !toErr) return;
      clearBar();
      (toErr ? io.err : io.out)(`${text}\n`);
    },
  };
}

/** Copies the run's folder to --out and records which lab run it is. */
async function exportTo(out: string, runDir: string, link: RunLink): Promise<string> {
  const dir = path.resolve(out);
  await mkdir(dir, { recursive: true });
  if (existsSync(runDir)) await cp(runDir, dir, { recursive: true, force: true });
  await writeFile(path.join(dir, RUN_LINK), `${JSON.stringify(link, null, 2)}\n`);
  return dir;
}

async function finish(run: RunSummary, runDir: string, checkpoints: CheckpointInfo[], f: Follow, p: ReturnType<typeof printer>): Promise<number> {
  const exported = f.out !== undefined ? await exportTo(f.out, runDir, { runId: run.id, dataDir: f.dataDir }) : null;
  p.event({ type: 'finished', run, checkpoints, out: exported });
  p.line(`${run.status} at step ${run.step}${run.error !== null ? `: ${run.error}` : ''}`);
  const last = checkpoints[checkpoints.length - 1];
  if (last !== undefined) p.line(`checkpoint step ${last.step}: ${last.path}`);
  if (exported !== null) p.line(`exported to ${exported}`);
  if (run.status === 'paused') p.line(`resume with: puzzle-lab train --data-dir ${f.dataDir} ${exported !== null ? `--out ${exported} ` : ''}--resume${exported === null ? ' (needs --out), or from the app' : ''}`);
  return run.status === 'failed' || run.status === 'diverged' ? 1 : 0;
}

/**
 * The run through the lab's API, whichever way the CLI reaches it: queued (or resumed), followed by
 * its events to its end. In a lab of its own, Ctrl-C pauses the run (twice: cancels); in a lab that
 * runs elsewhere (the app, `serve`), Ctrl-C stops following and the run goes on there.
 */
async function follow(lab: LabLink, what: What, mine: Set<string>, f: Follow): Promise<number | LabLost> {
  const { api } = lab;
  const p = printer(f);
  const who = lab.kind === 'own' ? lab.dataDir : `the lab already running on ${lab.dataDir} (pid ${lab.pid})`;
  let runId: string | null = what.kind === 'new' ? null : what.runId;
  let done!: (r: RunSummary | null) => void;
  const ended = new Promise<RunSummary | null>((resolve) => (done = resolve));
  const early: LabEvent[] = [];
  const onEvent = (e: LabEvent): void => {
    if (runId === null) {
      early.push(e); // queueRuns has not answered yet: its events are replayed once the id is known
      return;
    }
    if (!('runId' in e ? e.runId === runId : e.type === 'run' && e.run.id === runId)) return;
    p.event(e);
    if (e.type === 'metrics') for (const s of e.series) if (s.points.length > 0) p.metrics[s.key] = s.points[s.points.length - 1]!.value;
    if (e.type === 'eval') p.eval(e.report);
    if (e.type === 'run') {
      if (!f.json && e.run.status === 'running') refreshEta();
      p.progress(e.run);
      if (stopped(e.run)) done(e.run);
    }
  };
  // the progress bar shows the lab's one ETA (the app's), asked for at most every ETA_REFRESH_MS
  let etaAsked = 0;
  const refreshEta = (): void => {
    if (Date.now() - etaAsked < ETA_REFRESH_MS) return;
    etaAsked = Date.now();
    api.queueEta().then(
      (q) => {
        p.eta.range = q.runs.find((r) => r.id === runId)?.eta ?? null;
        p.eta.at = Date.now();
      },
      () => {}, // an estimate that did not come keeps the last one; the bar is not worth failing for
    );
  };
  const unsubscribe = api.subscribe(onEvent);
  let stop: 'pause' | 'cancel' | null = null;
  const onSigint = (): void => {
    if (runId === null) return;
    if (lab.kind === 'running') {
      p.line(`stopped following run ${runId}; it goes on in ${who}`, true);
      done(null);
      return;
    }
    stop = stop === null ? 'pause' : 'cancel';
    p.line(stop === 'pause' ? 'pausing: the run writes a checkpoint and stops (Ctrl-C again to cancel it)…' : 'cancelling…', true);
    void api.controlRun({ id: runId, action: stop }).catch((e: unknown) => p.line(`could not ${stop}: ${(e as Error).message}`, true));
  };
  process.on('SIGINT', onSigint);
  try {
    if (what.kind === 'new') {
      const source = what.config.data.source;
      // a file named on the command line is the user's choice, as a file picked in the app's dialog
      if (source.kind === 'file') await lab.grant(path.resolve(source.path));
      const [queued] = await api.queueRuns({ configs: [what.config] });
      runId = queued!.id;
      mine.add(runId);
      const following = lab.kind === 'running' ? '; following it here (Ctrl-C stops following, the run goes on)' : '';
      p.line(`${what.config.name}: ${what.config.method.toUpperCase()}, ${what.config.budget.optimizerSteps} steps, run ${runId} in ${who}${following}`, f.json);
      for (const e of early.splice(0)) onEvent(e);
    } else if (what.kind === 'resume') {
      const r = await api.getRun({ id: runId! });
      if (r.status !== 'paused') throw new UsageError(`puzzle-lab train: run ${runId} is ${r.status}; only a paused run can be resumed`);
      p.line(`resuming run ${runId} (${r.name}) from step ${r.step} in ${who}`, f.json);
      await api.controlRun({ id: runId!, action: 'resume' });
    } else {
      const r = await api.getRun({ id: runId! });
      p.line(`following run ${runId} (${r.name}, ${r.status} at step ${r.step}) in ${who}`, f.json);
      // a run the vanished lab paused as it closed continues here
      if (r.status === 'paused' && r.pausedFor === undefined) await api.controlRun({ id: runId!, action: 'resume' });
    }
    // a run that ended before we subscribed (it cannot, it was just queued, but do not hang if it did)
    const now = await api.getRun({ id: runId! });
    if (stopped(now) && now.status !== 'paused') done(now);
    const last = await Promise.race([ended, lab.lost.then((why) => new LabLost(runId!, why))]);
    if (last instanceof LabLost) return last;
    if (last === null) return 130;
    const detail = await api.getRun({ id: runId! });
    if (detail.backend !== null) {
      p.line(`backend ${detail.backend.name} (${detail.backend.device}), ${detail.trainableParams?.toLocaleString('en') ?? '?'} parameters`);
      if (detail.backend.execution) p.line(`  execution: ${detail.backend.execution.summary}`);
    }
    return await finish(last, path.join(runsDir(lab.dataDir), runId!), await api.listCheckpoints({ runId: runId! }), f, p);
  } catch (e) {
    // the lab went away between two requests: the run is known, so it can be followed on
    if (runId !== null && e instanceof LabError && e.code === 'disconnected') return new LabLost(runId, e.message);
    throw e;
  } finally {
    process.off('SIGINT', onSigint);
    unsubscribe();
  }
}
