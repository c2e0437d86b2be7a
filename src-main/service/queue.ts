// The run queue. All state lives in the database, so a service that is closed, killed or crashes
// comes back with the same queue; runs that were 'running' go back to the front of the queue and
// continue from their last recorded checkpoint. One run trains at a time by default.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { LabEvent, RunStatus, RunSummary } from '../../src-shared/api/contract';
import type { TrainJob } from '../../src-shared/method/protocol';
import type { RunConfig } from '../../src-shared/method/run-config';
import type { Task } from '../../src-shared/puzzle/types';
import type { EngineLauncher } from '../engine/process/host';
import { DISK_FULL_PREFIX, formatBytes, freeBytes, isDiskFull, STORAGE_PREFIX } from './disk-space';
import { badRequest, conflict, notFound } from './errors';
import { newId, nowIso } from './ids';
import { RunSession, type SessionEnd } from './run-session';
import { runConfig, runSummary, type RunRow, type RunStore } from './store/run-store';

export interface QueueOptions {
  /** runs training at the same time */
  concurrency: number;
  /** an engine process that dies: mark the run failed (default), or resume it from its checkpoint */
  onEngineCrash: 'fail' | 'resume';
  /** with 'resume': how many times one run is resumed after crashes before it is marked failed */
  maxCrashResumes: number;
  /** how long a pause waits for the engine's checkpoint before the process is killed */
  stopTimeoutMs: number;
  flushIntervalMs: number;
  readyTimeoutMs: number;
  /** below this much free space on the runs' disk a run pauses before its next checkpoint fails */
  minFreeBytes: number;
  /** a run waiting for disk space retries after this delay, doubling up to diskRetryMaxMs */
  diskRetryBaseMs: number;
  diskRetryMaxMs: number;
  /** free bytes on the disk holding a folder (a seam for tests; default statfs) */
  freeBytes?: (dir: string) => number | null;
}

export const DEFAULT_QUEUE_OPTIONS: QueueOptions = {
  concurrency: 1,
  onEngineCrash: 'fail',
  maxCrashResumes: 2,
  stopTimeoutMs: 60_000,
  flushIntervalMs: 250,
  readyTimeoutMs: 120_000,
  minFreeBytes: 128 * 2 ** 20,
  diskRetryBaseMs: 2_000,
  diskRetryMaxMs: 60_000,
};

/** A run paused because the lab could not write: retried with backoff until a write succeeds. */
interface StorageWait {
  reason: 'disk-full' | 'storage';
  message: string;
  /** the ended session whose unwritten metrics and records go in first, or null */
  session: RunSession | null;
  attempt: number;
  timer: NodeJS.Timeout | null;
}

const errorText = (e: unknown): string => (e instanceof Error ? e.message : String(e));

const BACKBONE_KEYS = ['preset', 'hidden', 'layers', 'heads', 'expansion', 'puzzleEmbLen', 'puzzleEmbDim', 'ropeTheta', 'mixer', 'posEncodings'] as const;

/** A TRM+DIS pair must differ only in method-specific settings: same data, seed and backbone. */
export function checkPair(configs: readonly RunConfig[]): void {
  if (configs.length !== 2) throw badRequest(`paired: a pair is exactly two configs (one TRM, one DIS), got ${configs.length}`);
  const [a, b] = configs as [RunConfig, RunConfig];
  if (new Set([a.method, b.method]).size !== 2) throw badRequest('paired: a pair needs one TRM and one DIS config');
  if (JSON.stringify(a.data) !== JSON.stringify(b.data)) throw badRequest('paired: the two configs must use the same data settings');
  if (a.seed !== b.seed) throw badRequest(`paired: the two configs must share the seed (${a.seed} vs ${b.seed})`);
  for (const k of BACKBONE_KEYS) {
    if (a.model[k] !== b.model[k]) throw badRequest(`paired: the backbones differ in model.${k} (${a.model[k]} vs ${b.model[k]})`);
  }
}

async function writeFileAtomic(file: string, content: string): Promise<void> {
  const tmp = `${file}.tmp-${process.pid}`;
  await writeFile(tmp, content, { flush: true });
  await rename(tmp, file);
}

/** Is `pid` a live engine process of ours? (Linux: checks its command line; elsewhere: never kill.) */
function isStaleEngine(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  if (process.platform !== 'linux') return false;
  try {
    const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return cmd.includes('engine/process/entry') || cmd.includes('engine.js');
  } catch {
    return false;
  }
}

export class RunQueue {
  private readonly sessions = new Map<string, RunSession>();
  /** why a run's job could not be prepared (its data source failed to resolve, …) */
  private readonly preparationError = new Map<string, string>();
  private closing = false;
  private ticking = false;
  /** runs paused for a full disk or a database that refuses writes (in memory: writing may be what fails) */
  private readonly waits = new Map<string, StorageWait>();

  constructor(
    private readonly store: RunStore,
    private readonly launch: EngineLauncher,
    private readonly resolveTasks: (config: RunConfig) => Promise<Task[]>,
    private readonly emit: (e: LabEvent) => void,
    private readonly runsRoot: string,
    private readonly o: QueueOptions = DEFAULT_QUEUE_OPTIONS,
  ) {}

  /**
   * After a restart: runs left 'running' go back to the front of the queue (in the order they had
   * started); when they start, reconcileCheckpoints applies the crash rule to what is on disk. Runs
   * that were waiting for disk space wait again.
   */
  recover(): void {
    for (const r of this.store.byStatus('paused')) {
      if (r.error?.startsWith(DISK_FULL_PREFIX) || r.error?.startsWith(STORAGE_PREFIX)) this.enterWait(r.id, null, r.error);
    }
    const interrupted = this.store.byStatus('running');
    if (interrupted.length === 0) return;
    let pos = this.store.firstQueuePosition() - interrupted.length + 1;
    for (const r of interrupted) {
      if (r.engine_pid !== null && isStaleEngine(r.engine_pid)) {
        try {
          process.kill(r.engine_pid, 'SIGKILL');
        } catch {
          /* already gone */
        }
      }
      this.store.patch(r.id, { status: 'queued', queue_position: pos++, engine_pid: null, eta: null });
    }
  }

  queue(configs: readonly RunConfig[], paired: boolean): RunSummary[] {
    if (this.closing) throw conflict('the lab service is shutting down');
    if (paired) checkPair(configs);
    const groupId = paired || configs.length > 1 ? newId('grp') : null;
    const ids = this.store.transaction(() =>
      configs.map((config) => {
        const id = newId('run');
        this.store.insertRun({ id, config, groupId, queuePosition: this.store.nextQueuePosition(), runDir: path.join(this.runsRoot, id) });
        return id;
      }),
    );
    for (const id of ids) this.emitRun(id);
    this.tick();
    return ids.map((id) => this.summary(this.mustGet(id)));
  }

  reorder(ids: readonly string[]): void {
    const queued = this.store.byStatus('queued').map((r) => r.id);
    const given = new Set(ids);
    if (given.size !== ids.length) throw badRequest('reorderQueue: ids must not repeat');
    for (const id of ids) if (!queued.includes(id)) throw conflict(`reorderQueue: run ${id} is not queued`);
    // Queued runs left out keep their relative order, after the given ones.
    const order = [...ids, ...queued.filter((id) => !given.has(id))];
    this.store.transaction(() => this.store.setQueueOrder(order));
    for (const id of order) this.emitRun(id);
  }

  async control(id: string, action: 'pause' | 'resume' | 'cancel' | 'delete'): Promise<void> {
    const row = this.mustGet(id);
    const wait = this.waits.get(id);
    if (wait !== undefined) return this.controlWaiting(id, wait, action);
    const session = this.sessions.get(id);
    switch (action) {
      case 'pause':
        if (session !== undefined) this.stopWithTimeout(session, 'pause');
        else if (row.status === 'queued') this.setStatus(id, 'paused', { queue_position: null });
        else throw conflict(`run ${id} is ${row.status}; only queued or running runs can be paused`);
        return;
      case 'resume':
        if (!['paused', 'failed', 'cancelled'].includes(row.status)) {
          throw conflict(`run ${id} is ${row.status}; only paused, failed or cancelled runs can be resumed`);
        }
        // A paused run continues next (the user only interrupted it); a failed or cancelled one is a new attempt and queues last.
        this.setStatus(id, 'queued', {
          queue_position: row.status === 'paused' ? this.store.firstQueuePosition() : this.store.nextQueuePosition(),
          finished_at: null,
          crash_resumes: 0,
        });
        this.tick();
        return;
      case 'cancel':
        if (session !== undefined) this.stopWithTimeout(session, 'cancel');
        else if (row.status === 'queued' || row.status === 'paused') this.setStatus(id, 'cancelled', { queue_position: null, finished_at: nowIso() });
        else throw conflict(`run ${id} is ${row.status}; it cannot be cancelled`);
        return;
      case 'delete':
        if (session !== undefined) {
          session.requestStop('delete');
          await session.ended;
        }
        rmSync(row.run_dir, { recursive: true, force: true });
        this.store.deleteRun(id);
        this.emit({ type: 'run-deleted', runId: id });
        return;
    }
  }

  /** Controls of a run that waits for disk space: resume tries now; the others end the wait. */
  private async controlWaiting(id: string, wait: StorageWait, action: 'pause' | 'resume' | 'cancel' | 'delete'): Promise<void> {
    if (action === 'resume') {
      if (!this.retryWait(id)) throw conflict(`run ${id} cannot resume yet: ${wait.message}`);
      return;
    }
    this.endWait(id);
    if (action === 'pause') {
      // The user's pause: it stays paused (no automatic resume), with the reason kept for them to read.
      this.store.patch(id, { status: 'paused', queue_position: null, engine_pid: null, error: `Paused by you while waiting: ${wait.message}` });
      this.emitRun(id);
    } else if (action === 'cancel') {
      this.setStatus(id, 'cancelled', { queue_position: null, engine_pid: null, finished_at: nowIso() });
    } else {
      await this.control(id, 'delete');
    }
  }

  summaries(): RunSummary[] {
    return this.withQueueEtas(this.store.runs().map((r) => this.summary(r)));
  }

  summary(r: RunRow): RunSummary {
    const s = runSummary(r);
    const wait = this.waits.get(r.id);
    if (wait !== undefined) {
      s.status = 'paused';
      s.pausedFor = wait.reason;
      s.error = wait.message;
      s.queuePosition = null;
      s.etaSec = null;
      return s;
    }
    const live = this.sessions.get(r.id);
    if (live !== undefined) {
      s.step = live.step;
      s.examplesPerSec = live.examplesPerSec;
      s.etaSec = live.etaSec;
    }
    return s;
  }

  mustGet(id: string): RunRow {
    const r = this.store.run(id);
    if (r === null) throw notFound(`no run with id ${id}`);
    return r;
  }

  /**
   * ETA of queued runs: the time until each would finish, from the measured throughput of earlier
   * runs of the same method and model (or any run): the remaining time of everything ahead of it
   * plus its own, spread over the concurrent slots. The last queued run's ETA is the queue's ETA.
   */
  private withQueueEtas(runs: RunSummary[]): RunSummary[] {
    const samples = this.store.throughputSamples();
    const estimate = (r: RunSummary): number | null => {
      const cfg = runConfig(this.mustGet(r.id));
      const like = samples.find((s) => {
        const c = JSON.parse(s.config) as RunConfig;
        return s.method === cfg.method && c.model.hidden === cfg.model.hidden && c.batchSize === cfg.batchSize;
      }) ?? samples.find((s) => s.method === cfg.method) ?? samples[0];
      if (like === undefined) return null;
      return ((r.totalSteps - r.step) * cfg.batchSize) / like.eps;
    };
    let ahead = 0;
    for (const r of runs) if (r.status === 'running') ahead += r.etaSec ?? estimate(r) ?? 0;
    const queued = runs.filter((r) => r.status === 'queued').sort((a, b) => (a.queuePosition ?? 0) - (b.queuePosition ?? 0));
    for (const r of queued) {
      const own = estimate(r);
      if (own === null) break;
      ahead += own;
      r.etaSec = ahead / this.o.concurrency;
    }
    return runs;
  }

  /** Starts queued runs while there are free slots. */
  tick(): void {
    if (this.closing || this.ticking) return;
    this.ticking = true;
    try {
      while (this.sessions.size < this.o.concurrency) {
        const next = this.store.byStatus('queued').find((r) => !this.waits.has(r.id));
        if (next === undefined) break;
        // Not enough space for the run's checkpoints: it waits (and resumes by itself) instead of failing later.
        const low = this.spaceProblem();
        if (low !== null) this.enterWait(next.id, null, low);
        else {
          try {
            this.startRun(next);
          } catch (e) {
            const s = this.sessions.get(next.id);
            s?.kill();
            this.enterWait(next.id, s ?? null, this.waitMessage(e));
          }
        }
      }
    } finally {
      this.ticking = false;
    }
  }

  private startRun(row: RunRow): void {
    const resume = row.started_at !== null;
    if (resume) this.reconcileCheckpoints(row);
    this.store.patch(row.id, { status: 'running', queue_position: null, error: null, started_at: row.started_at ?? nowIso(), finished_at: null, eta: null });
    const proc = this.launch({ name: `run ${row.id}` });
    const session: RunSession = new RunSession(row.id, proc, this.store, this.emit, () => this.emitRun(row.id), {
      flushIntervalMs: this.o.flushIntervalMs,
      readyTimeoutMs: this.o.readyTimeoutMs,
      onStoreError: (e) => {
        // Pause at once (the engine checkpoints); the session's unwritten rows wait in memory.
        if (session.stopIntent === null || session.stopIntent === 'pause') session.requestStop('disk-full');
      },
      checkSpace: () => {
        if (session.stopIntent === null && this.spaceProblem() !== null) session.requestStop('disk-full');
      },
    });
    this.sessions.set(row.id, session);
    this.store.patch(row.id, { engine_pid: proc.pid ?? null });
    this.emitRun(row.id);
    void session.ended.then((end) => {
      try {
        this.onEnded(row.id, session, end);
      } catch (e) {
        // Recording the end failed (the disk filled up meanwhile): wait and retry, never crash.
        this.sessions.delete(row.id);
        this.enterWait(row.id, session, this.waitMessage(e));
      }
    });
    void this.prepareJob(row, resume).then(
      (job) => {
        try {
          if (session.stopIntent === 'delete' || session.stopIntent === 'cancel') session.kill();
          else session.start(job);
        } catch (e) {
          session.kill();
          this.preparationError.set(row.id, errorText(e));
        }
      },
      (e: unknown) => {
        session.kill();
        this.preparationError.set(row.id, e instanceof Error ? e.message : String(e));
      },
    );
  }

  private async prepareJob(row: RunRow, resume: boolean): Promise<TrainJob> {
    const config = runConfig(row);
    const tasks = await this.resolveTasks(config);
    await mkdir(row.run_dir, { recursive: true });
    await writeFileAtomic(path.join(row.run_dir, 'config.json'), `${JSON.stringify(config, null, 2)}\n`);
    return { runId: row.id, config, tasks, runDir: row.run_dir, resume };
  }

  private onEnded(id: string, session: RunSession, end: SessionEnd): void {
    this.sessions.delete(id);
    const row = this.store.run(id);
    const prepError = this.preparationError.get(id);
    this.preparationError.delete(id);
    if (row === null || session.stopIntent === 'delete') {
      this.tick();
      return;
    }
    const done = { engine_pid: null, eta: null, queue_position: null } as const;
    const intent = session.stopIntent;
    const f = end.finished;
    const writeProblem =
      session.storeError !== null ? session.storeError
      : intent === 'disk-full' ? this.spaceProblem() ?? `${DISK_FULL_PREFIX} the disk holding ${this.runsRoot} is nearly full`
      : [prepError, end.failure, f?.error].find((m) => m !== undefined && m !== null && isDiskFull(m));
    if (writeProblem !== undefined && intent !== 'cancel' && !(f?.status === 'completed' && session.storeError === null)) {
      // A full disk (or a database refusing writes) pauses the run instead of failing it; it resumes by itself.
      this.enterWait(id, session, this.waitMessage(writeProblem));
      this.tick();
      return;
    }
    if (prepError !== undefined) {
      this.setStatus(id, intent === 'cancel' ? 'cancelled' : 'failed', { ...done, error: prepError, finished_at: nowIso() });
    } else if (intent === 'shutdown' && (f === null || f.status === 'paused')) {
      // Interrupted by the service shutting down: it continues from its checkpoint on the next start.
      this.store.patch(id, { ...done, status: 'queued', queue_position: this.store.firstQueuePosition() });
    } else if (f !== null && end.failure === null) {
      const status: RunStatus = f.status;
      const error = f.error ?? (status === 'diverged' ? `training diverged (non-finite loss) at step ${f.step}` : null);
      this.setStatus(id, status, { ...done, error, step: f.step, finished_at: status === 'paused' ? null : nowIso() });
    } else if (intent === 'pause') {
      this.setStatus(id, 'paused', { ...done, error: end.failure });
    } else if (intent === 'cancel') {
      this.setStatus(id, 'cancelled', { ...done, finished_at: nowIso() });
    } else {
      const reason = end.failure ?? end.exit.reason;
      if (this.o.onEngineCrash === 'resume' && row.crash_resumes < this.o.maxCrashResumes && !this.closing) {
        this.store.patch(id, { ...done, status: 'queued', queue_position: this.store.firstQueuePosition(), crash_resumes: row.crash_resumes + 1, error: `resumed after: ${reason}` });
        this.emitRun(id);
      } else {
        this.setStatus(id, 'failed', { ...done, error: reason, finished_at: nowIso() });
      }
    }
    if (!this.closing) this.emitRun(id);
    this.tick();
  }

  private setStatus(id: string, status: RunStatus, extra: Parameters<RunStore['patch']>[1] = {}): void {
    this.store.patch(id, { ...extra, status });
    if (!this.closing) this.emitRun(id);
  }

  private emitRun(id: string): void {
    try {
      const r = this.store.run(id);
      if (r !== null) this.emit({ type: 'run', run: this.summary(r) });
    } catch {
      // Called from timers and engine callbacks: a database that is closing or failing must not crash
      // the process; the next successful read sends the state.
    }
  }

  /** Shutdown: running runs are paused (checkpointed) and go back to the front of the queue. */
  async close(): Promise<void> {
    this.closing = true;
    for (const w of this.waits.values()) if (w.timer !== null) clearTimeout(w.timer);
    const live = [...this.sessions.values()];
    for (const s of live) s.requestStop('shutdown');
    const timers = live.map((s) => setTimeout(() => s.kill(), this.o.stopTimeoutMs));
    await Promise.all(live.map((s) => s.ended));
    for (const t of timers) clearTimeout(t);
  }

  // --- waiting for disk space ---

  /** Why a run cannot train now for lack of space, or null when there is enough. */
  private spaceProblem(): string | null {
    const free = (this.o.freeBytes ?? freeBytes)(this.runsRoot);
    if (free === null || free >= this.o.minFreeBytes) return null;
    return `${DISK_FULL_PREFIX} only ${formatBytes(free)} free on the disk holding ${this.runsRoot} (a run needs at least ${formatBytes(this.o.minFreeBytes)} for its checkpoints).`;
  }

  /** The message a waiting run shows: what went wrong and that it resumes by itself. */
  private waitMessage(e: unknown): string {
    const text = typeof e === 'string' ? e : errorText(e);
    if (text.startsWith(DISK_FULL_PREFIX)) return text;
    if (isDiskFull(e)) return `${DISK_FULL_PREFIX} no space left on the disk holding ${this.runsRoot} (${text.split('\n')[0]}).`;
    return `${STORAGE_PREFIX} (${text.split('\n')[0]}).`;
  }

  /** Pauses a run until a write succeeds again; retries with backoff (and on Resume). */
  private enterWait(id: string, session: RunSession | null, message: string): void {
    const prev = this.waits.get(id);
    if (prev?.timer != null) clearTimeout(prev.timer);
    const reason = message.startsWith(DISK_FULL_PREFIX) ? 'disk-full' : 'storage';
    const full = message.includes('resumes by itself') ? message : `${message} Training is paused with everything recorded so far kept, and resumes by itself once the lab can write again.`;
    const wait: StorageWait = { reason, message: full, session: session ?? prev?.session ?? null, attempt: prev?.attempt ?? 0, timer: null };
    this.waits.set(id, wait);
    try {
      this.store.patch(id, { status: 'paused', queue_position: null, engine_pid: null, eta: null, error: full });
    } catch {
      // The write that failed may fail again: the state lives in memory; a restart requeues a 'running' row.
    }
    this.scheduleRetry(id);
    this.emitRun(id);
  }

  private scheduleRetry(id: string): void {
    const w = this.waits.get(id);
    if (w === undefined || this.closing) return;
    const delay = Math.min(this.o.diskRetryMaxMs, this.o.diskRetryBaseMs * 2 ** w.attempt);
    w.attempt++;
    w.timer = setTimeout(() => {
      w.timer = null;
      try {
        this.retryWait(id);
      } catch {
        this.scheduleRetry(id);
      }
    }, delay);
    w.timer.unref?.();
  }

  /** One retry: enough space, the left-over rows written, the run queued first. False if still blocked. */
  private retryWait(id: string): boolean {
    const w = this.waits.get(id);
    if (w === undefined) return true;
    if (w.timer !== null) clearTimeout(w.timer);
    w.timer = null;
    const low = this.spaceProblem();
    if (low === null) {
      try {
        if (w.session !== null && !w.session.flush()) throw w.session.storeError;
        this.store.patch(id, { status: 'queued', queue_position: this.store.firstQueuePosition(), error: null, engine_pid: null, eta: null, finished_at: null });
        this.waits.delete(id);
        this.emitRun(id);
        this.tick();
        return true;
      } catch (e) {
        w.message = `${this.waitMessage(e)} Training is paused with everything recorded so far kept, and resumes by itself once the lab can write again.`;
      }
    } else {
      w.message = `${low} Training is paused with everything recorded so far kept, and resumes by itself once there is space again.`;
    }
    this.scheduleRetry(id);
    this.emitRun(id);
    return false;
  }

  private endWait(id: string): void {
    const w = this.waits.get(id);
    if (w?.timer != null) clearTimeout(w.timer);
    this.waits.delete(id);
  }

  /**
   * One crash rule for every resume (after an engine crash and after a service restart): a checkpoint
   * on disk that the database never recorded is verified and adopted when its manifest reads and the
   * recorded metrics reach its step (so the curves have no gap); otherwise it is removed and the
   * engine resumes from the newest recorded one. The engine verifies every checksum when it loads.
   */
  private reconcileCheckpoints(r: RunRow): void {
    const dir = path.join(r.run_dir, 'checkpoints');
    if (!existsSync(dir)) return;
    const recorded = new Set(this.store.checkpoints(r.id).map((c) => path.resolve(c.path)));
    const reached = this.store.lastMetricStep(r.id);
    for (const name of readdirSync(dir)) {
      const m = /^step-(\d+)$/.exec(name);
      const full = path.resolve(dir, name);
      if (m === null || recorded.has(full)) continue;
      const step = Number(m[1]);
      let manifest: string | null = null;
      try {
        manifest = readFileSync(path.join(full, 'manifest.json'), 'utf8');
        if ((JSON.parse(manifest) as { step?: unknown }).step !== step) manifest = null;
      } catch {
        manifest = null;
      }
      if (manifest !== null && reached >= step) {
        this.store.insertCheckpoint(r.id, { step, path: full, sha256: createHash('sha256').update(manifest).digest('hex') });
      } else {
        rmSync(full, { recursive: true, force: true });
      }
    }
  }

  /** Pause and cancel requests time out into a kill, so a hung engine never blocks the queue. */
  private stopWithTimeout(s: RunSession, intent: 'pause' | 'cancel'): void {
    s.requestStop(intent);
    const t = setTimeout(() => s.kill(), this.o.stopTimeoutMs);
    void s.ended.then(() => clearTimeout(t));
  }
}
