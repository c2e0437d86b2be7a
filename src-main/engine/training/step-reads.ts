// Batched reads and progress: a step's losses and metrics stay tensors until READ_EVERY steps are
// pending (or progress, an evaluation or a checkpoint needs them), then are read in one
// tf.stack(...).data() (docs/engine-interfaces.md#host-reads), checked for NaN/Inf, and averaged into
// the next progress event.
import * as tf from '@tensorflow/tfjs';
import type { CallCounts, EngineEvent } from '../../../src-shared/method/protocol';
import type { StepRecord } from '../methods/types';

/** Steps between batched reads of the step scalars. */
export const READ_EVERY = 16;

/** A non-finite loss or weight: the run stops as 'diverged' without writing a checkpoint. */
export class Diverged extends Error {}

/** Where a run is: optimizer steps taken and trajectories started (this session and before). */
export type RunPosition = { step: number; trajectories: number };

/** Observers of a run's steps (tests and benches) and the progress event rate. */
export interface TrainerHooks {
  /** each optimizer step's losses, once read from the device (tests and benches) */
  onStepLosses?: (step: number, lm: number, qHalt: number | null) => void;
  /** each optimizer step's finished trajectories and how many of them were exactly right (cost-to-accuracy bench) */
  onStepAccuracy?: (step: number, finishedRows: number, exactRows: number) => void;
  /** after every batched read, when no step tensors are pending (leak checks) */
  onFlush?: (step: number) => void;
  /** minimum milliseconds between progress events (default 400) */
  progressIntervalMs?: number;
}

function disposeRecord(r: StepRecord): void {
  tf.dispose([r.lm, r.exactSum, r.tokenAccSum, ...(r.qHalt ? [r.qHalt] : []), ...(r.qContinue ? [r.qContinue] : [])]);
}

function emptyWindow() {
  return { steps: 0, lm: 0, qh: 0, qhSteps: 0, qc: 0, qcSteps: 0, finished: 0, exact: 0, tokenAcc: 0 };
}

export class StepReads {
  /** Step tensors not yet read; disposed on every exit path (dispose()). */
  private pending: StepRecord[] = [];
  private pendingFirstStep: number;
  private readonly window = emptyWindow();
  private readonly last: Record<string, number> = {};
  private readonly sessionStart = Date.now();
  private readonly sessionStartStep: number;
  private readonly sessionStartTraj: number;
  private lastProgress = 0;
  private readonly progressEvery: number;

  constructor(
    private readonly at: RunPosition,
    private readonly o: { totalSteps: number; batchSize: number; hooks: TrainerHooks; emit: (e: EngineEvent) => void; calls: () => CallCounts },
  ) {
    this.pendingFirstStep = at.step + 1;
    this.sessionStartStep = at.step;
    this.sessionStartTraj = at.trajectories;
    this.progressEvery = o.hooks.progressIntervalMs ?? 400;
  }

  /** Keeps a step's record until the next read; reads once READ_EVERY are pending. */
  async push(rec: StepRecord): Promise<void> {
    this.pending.push(rec);
    if (this.pending.length >= READ_EVERY) await this.flush();
  }

  /** Reads every pending step's scalars; throws Diverged if any loss is not finite. */
  async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const { hooks } = this.o;
    const window = this.window;
    const scalars = this.pending.flatMap((r) => [r.lm, r.qHalt ?? r.lm, r.exactSum, r.tokenAccSum, r.qContinue ?? r.lm]);
    const stacked = tf.stack(scalars);
    const values = await stacked.data();
    stacked.dispose();
    const records = this.pending;
    this.pending = [];
    for (const r of records) disposeRecord(r);
    let bad: number | null = null;
    records.forEach((r, i) => {
      const lm = values[5 * i]!;
      const qh = r.qHalt ? values[5 * i + 1]! : null;
      const qc = r.qContinue ? values[5 * i + 4]! : null;
      if (!Number.isFinite(lm) || (qh !== null && !Number.isFinite(qh)) || (qc !== null && !Number.isFinite(qc))) bad ??= this.pendingFirstStep + i;
      hooks.onStepLosses?.(this.pendingFirstStep + i, lm, qh);
      hooks.onStepAccuracy?.(this.pendingFirstStep + i, r.finishedRows, values[5 * i + 2]!);
      window.steps++;
      window.lm += lm;
      if (qh !== null) {
        window.qh += qh;
        window.qhSteps++;
      }
      if (qc !== null) {
        window.qc += qc;
        window.qcSteps++;
      }
      window.finished += r.finishedRows;
      window.exact += values[5 * i + 2]!;
      window.tokenAcc += values[5 * i + 3]!;
      this.last['lr'] = r.lr;
    });
    this.pendingFirstStep += records.length;
    hooks.onFlush?.(this.pendingFirstStep - 1);
    if (bad !== null) throw new Diverged(`loss is not finite at step ${bad}`);
  }

  /** Emits a progress event at most every progressIntervalMs, or now when forced. */
  async progress(force: boolean): Promise<void> {
    const now = Date.now();
    if (!force && now - this.lastProgress < this.progressEvery) return;
    await this.flush();
    const { window, last, at } = this;
    if (window.steps === 0 && !force) return;
    this.lastProgress = now;
    if (window.steps > 0) {
      last['lm_loss'] = window.lm / window.steps;
      if (window.qhSteps > 0) last['q_halt_loss'] = window.qh / window.qhSteps;
      if (window.qcSteps > 0) last['q_continue_loss'] = window.qc / window.qcSteps;
      if (window.finished > 0) {
        last['exact_accuracy'] = window.exact / window.finished;
        last['token_accuracy'] = window.tokenAcc / window.finished;
      }
    }
    Object.assign(window, emptyWindow());
    const { totalSteps } = this.o;
    const wallSec = (now - this.sessionStart) / 1000;
    const stepsPerSec = wallSec > 0 ? (at.step - this.sessionStartStep) / wallSec : 0;
    last['steps_per_sec'] = stepsPerSec;
    last['trajectories_per_sec'] = wallSec > 0 ? (at.trajectories - this.sessionStartTraj) / wallSec : 0;
    this.o.emit({
      type: 'progress',
      step: at.step,
      totalSteps,
      trajectories: at.trajectories,
      examplesPerSec: stepsPerSec * this.o.batchSize,
      etaSec: stepsPerSec > 0 ? (totalSteps - at.step) / stepsPerSec : 0,
      wallSec,
      metrics: { ...last },
      calls: this.o.calls(),
    });
  }

  /** Frees the step tensors never read (a run that stopped between reads). */
  dispose(): void {
    for (const r of this.pending) disposeRecord(r);
    this.pending = [];
  }
}
