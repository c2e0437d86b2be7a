// One training run in one engine process: records what the engine reports (metrics in batched
// transactions, checkpoints, evaluations, snapshots) and pushes batched events to the UI a few
// times per second, not per step. The queue decides what happens when it ends.
//
// No write failure escapes: every timer and engine callback catches what the store throws. Rows and
// records that could not be written stay pending (nothing is dropped) and go in with the next flush
// that succeeds; the queue hears of the failure through onStoreError and pauses the run.
import type { LabEvent, MetricSeries } from '../../src-shared/api/contract';
import type { EngineEvent, TrainJob } from '../../src-shared/method/protocol';
import type { EngineExit, EngineProcess } from '../engine/process/host';
import type { EngineMessage } from '../engine/process/messages';
import type { MetricRow, RunStore } from './store/run-store';

export type StopIntent = 'pause' | 'cancel' | 'delete' | 'shutdown' | 'disk-full';
export type FinishedEvent = Extract<EngineEvent, { type: 'finished' }>;

export interface SessionEnd {
  /** the engine's own final word, or null when the process died without one */
  finished: FinishedEvent | null;
  exit: EngineExit;
  /** a protocol violation or start-up failure that ended the session */
  failure: string | null;
}

export interface SessionOptions {
  flushIntervalMs: number;
  readyTimeoutMs: number;
  /** a store write failed (disk full, read-only database, …); called again on every further failure */
  onStoreError?: (e: unknown) => void;
  /** called every spaceCheckMs while training, so a disk running low is noticed before a write fails */
  checkSpace?: () => void;
  spaceCheckMs?: number;
}

export class RunSession {
  stopIntent: StopIntent | null = null;
  step = 0;
  examplesPerSec = 0;
  etaSec: number | null = null;
  private pending: MetricRow[] = [];
  /** records (checkpoint pointers, evals, snapshots) waiting for the next successful flush */
  private pendingOps: Array<() => void> = [];
  /** the last store error, or null once a flush succeeds again */
  storeError: unknown = null;
  private lastSpaceCheck = 0;
  private timer: NodeJS.Timeout | null = null;
  private finished: FinishedEvent | null = null;
  private failure: string | null = null;
  private lastLog: string | null = null;
  private last = { wallSec: 0, trajectories: 0, fwdEquiv: 0 };
  readonly ended: Promise<SessionEnd>;

  constructor(
    readonly runId: string,
    private readonly proc: EngineProcess,
    private readonly store: RunStore,
    private readonly emit: (e: LabEvent) => void,
    private readonly onRunChanged: () => void,
    private readonly o: SessionOptions,
  ) {
    this.ended = new Promise((resolve) => {
      proc.onExit((exit) => {
        this.stopTimer();
        this.flush(); // never throws; whatever fails stays pending for the queue's retry
        resolve({ finished: this.finished, exit, failure: this.failure ?? (this.finished === null ? this.lastLog : null) });
      });
    });
    proc.onProtocolError((error) => {
      // A message that fails validation is never acted on; the run cannot be trusted to continue.
      this.failure = error;
      proc.kill();
    });
  }

  /** Waits for the process to be listening, then hands it the job. */
  start(job: TrainJob): void {
    const readyTimer = setTimeout(() => {
      this.failure = `engine process did not start within ${Math.round(this.o.readyTimeoutMs / 1000)} s`;
      this.proc.kill();
    }, this.o.readyTimeoutMs);
    this.proc.onMessage((m) => {
      if (m.type === 'ready') {
        clearTimeout(readyTimer);
        this.proc.send({ type: 'train', job });
        if (this.stopIntent !== null) this.requestStop(this.stopIntent);
      } else {
        try {
          this.handle(m);
        } catch (e) {
          this.storeFailed(e);
        }
      }
    });
    this.proc.onExit(() => clearTimeout(readyTimer));
    this.timer = setInterval(() => this.onTimer(), this.o.flushIntervalMs);
  }

  private onTimer(): void {
    this.flush();
    const every = this.o.spaceCheckMs ?? 2000;
    if (this.o.checkSpace !== undefined && Date.now() - this.lastSpaceCheck >= every) {
      this.lastSpaceCheck = Date.now();
      try {
        this.o.checkSpace();
      } catch {
        // a failing check must not stop the flush timer
      }
    }
  }

  private storeFailed(e: unknown): void {
    this.storeError = e;
    try {
      this.o.onStoreError?.(e);
    } catch {
      // the queue's reaction is best effort; the run ends with the error recorded in storeError
    }
  }

  requestStop(intent: StopIntent): void {
    this.stopIntent = intent;
    if (intent === 'delete') this.proc.kill();
    else if (intent === 'disk-full') this.proc.send({ type: 'stop', reason: 'pause' });
    else this.proc.send({ type: 'stop', reason: intent === 'cancel' ? 'cancel' : 'pause' });
  }

  kill(): void {
    this.proc.kill();
  }

  private handle(m: EngineMessage): void {
    switch (m.type) {
      case 'started':
        this.step = m.startStep;
        this.store.transaction(() => {
          // A resume from the checkpoint at startStep re-reports everything after it.
          this.store.deleteAfter(this.runId, m.startStep);
          this.store.patch(this.runId, {
            backend: JSON.stringify(m.backend),
            trainable_params: m.trainableParams,
            total_steps: m.totalSteps,
            step: m.startStep,
          });
        });
        this.onRunChanged();
        break;
      case 'progress': {
        this.step = m.step;
        this.examplesPerSec = m.examplesPerSec;
        this.etaSec = Number.isFinite(m.etaSec) ? m.etaSec : null;
        this.last = { wallSec: m.wallSec, trajectories: m.trajectories, fwdEquiv: 3 * m.calls.grad + m.calls.noGrad };
        const base = { step: m.step, ...this.last };
        for (const [key, value] of Object.entries(m.metrics)) this.pending.push({ key, value, ...base });
        this.pending.push({ key: 'examples_per_sec', value: m.examplesPerSec, ...base });
        break;
      }
      case 'checkpoint':
        // Metrics up to the checkpoint commit together with its pointer: a resume from it never leaves a gap.
        this.flush(() => this.store.insertCheckpoint(this.runId, m));
        break;
      case 'eval': {
        const r = m.report;
        const base = { step: r.step, ...this.last };
        this.pending.push({ key: 'eval/pass@1', value: r.passAt1, ...base }, { key: 'eval/pass@2', value: r.passAt2, ...base });
        for (const [k, value] of Object.entries(r.passAtK)) {
          if (k !== '1' && k !== '2') this.pending.push({ key: `eval/pass@${k}`, value, ...base });
        }
        // eval/* keeps its meaning (the weights the run evaluates: the EMA when on); the live weights
        // of an EMA run get their own series.
        if (r.live) this.pending.push({ key: 'eval_live/pass@1', value: r.live.passAt1, ...base }, { key: 'eval_live/pass@2', value: r.live.passAt2, ...base });
        this.flush(() => this.store.insertEval(this.runId, r));
        this.emit({ type: 'eval', runId: this.runId, report: r });
        break;
      }
      case 'snapshot':
        this.flush(() => this.store.insertSnapshot(this.runId, m.step, m.probes));
        this.emit({ type: 'snapshot', runId: this.runId, step: m.step });
        break;
      case 'log':
        if (m.level === 'error') this.lastLog = m.message;
        break;
      case 'finished':
        this.finished = m;
        this.flush();
        // One job per process: let it exit (tfjs memory goes with it); killed if it lingers.
        void this.proc.close(10_000);
        break;
      case 'rejected':
        this.failure = `engine rejected the job: ${m.message}`;
        this.proc.kill();
        break;
      default:
        // infer/probe replies never come from a training process
        break;
    }
  }

  /**
   * Writes pending metrics and records (with `also`) in one transaction, then tells the UI once.
   * Returns false when the write failed: everything stays pending, in order, for the next flush.
   */
  flush(also?: () => void): boolean {
    if (also !== undefined) this.pendingOps.push(also);
    const rows = this.pending;
    const ops = this.pendingOps;
    if (rows.length === 0 && ops.length === 0) return true;
    try {
      this.store.transaction(() => {
        this.store.insertMetrics(this.runId, rows);
        this.store.patch(this.runId, { step: this.step, examples_per_sec: this.examplesPerSec, eta: this.etaSec });
        for (const op of ops) op();
      });
    } catch (e) {
      this.storeFailed(e);
      return false;
    }
    this.storeError = null;
    this.pending = [];
    this.pendingOps = [];
    if (rows.length > 0) {
      const byKey = new Map<string, MetricSeries>();
      for (const r of rows) {
        let s = byKey.get(r.key);
        if (s === undefined) byKey.set(r.key, (s = { key: r.key, points: [] }));
        s.points.push({ step: r.step, value: r.value, wallSec: r.wallSec, trajectories: r.trajectories, forwardEquivalents: r.fwdEquiv });
      }
      this.emit({ type: 'metrics', runId: this.runId, series: [...byKey.values()] });
      this.onRunChanged();
    }
    return true;
  }

  private stopTimer(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }
}
