// The one ETA estimator of the lab: the run rows, the queue's "all done in" and the status bar all
// show what this computes (served by the queueEta API method). It estimates from measured step
// times, never from a guess: the run's own metric rows (step, wall-clock) once it has enough of
// them, and until then a range from past runs of the same method, size and backend on this machine.
// Everything here is pure; queue.ts feeds it rows from the store.
import type { EtaRange, QueueEta } from '../../src-shared/api/contract';

/** What a run's metric rows say about its speed. */
export interface StepTiming {
  /** steady seconds per optimizer step (evaluations and checkpoints included, start-up excluded) */
  secPerStep: number;
  /** optimizer steps the rate was measured over */
  steps: number;
  /** seconds from the start of a session to its first report (start-up; the shortest session's) */
  startupSec: number;
}

/** Measured steps after which a run's own rate is its ETA (no range any more). */
export const KNOWN_AFTER_STEPS = 20;
/** ...or this fraction of its budget, for runs with few long steps. */
export const KNOWN_AFTER_FRACTION = 0.1;

/**
 * Seconds per step from (step, wall-clock since session start) points, in step order. A resumed run
 * restarts its clock, so the points split into sessions where the wall-clock goes back; each session
 * counts from its first point (the first step includes compiling kernels, which is start-up).
 */
export function measureTiming(points: ReadonlyArray<{ step: number; wallSec: number }>): StepTiming | null {
  let steps = 0;
  let sec = 0;
  const startups: number[] = [];
  let first: { step: number; wallSec: number } | null = null;
  let prev: { step: number; wallSec: number } | null = null;
  const close = () => {
    if (first && prev && prev.step > first.step) {
      steps += prev.step - first.step;
      sec += prev.wallSec - first.wallSec;
    }
  };
  for (const p of points) {
    if (!Number.isFinite(p.step) || !Number.isFinite(p.wallSec)) continue;
    if (prev === null || p.wallSec < prev.wallSec || p.step <= prev.step) {
      if (prev !== null && p.step <= prev.step && p.wallSec >= prev.wallSec) continue; // a repeated point
      close();
      first = p;
      startups.push(p.wallSec);
    }
    prev = p;
  }
  close();
  if (steps <= 0 || sec <= 0) return null;
  const secPerStep = sec / steps;
  // a session's first report comes after start-up (process, backend, kernels) and a few steps
  return { secPerStep, steps, startupSec: Math.max(0, Math.min(...startups)) };
}

export interface ActiveRun {
  id: string;
  status: 'queued' | 'running' | 'paused';
  step: number;
  totalSteps: number;
  /** runs with equal keys do the same work per step: method, model, batch, canvas, backend choice */
  key: string;
  method: string;
  queuePosition: number | null;
  /** the run's own measured timing so far (null before its first reports) */
  own: StepTiming | null;
}

export interface PastRun {
  key: string;
  method: string;
  timing: StepTiming;
}

export interface RunEta {
  id: string;
  /** seconds from now until this run is done (waiting for the runs ahead included); null = no measurement yet */
  eta: EtaRange | null;
  /** how it was estimated, in words (shown as a tooltip) */
  basis: string;
}

const ownIsKnown = (r: ActiveRun): boolean =>
  r.own !== null && (r.own.steps >= KNOWN_AFTER_STEPS || (r.totalSteps > 0 && r.own.steps >= r.totalSteps * KNOWN_AFTER_FRACTION));

/** Time a run still needs once it runs (not counting waiting for others). */
export function ownRemaining(r: ActiveRun, past: readonly PastRun[]): { eta: EtaRange | null; basis: string } {
  const remaining = Math.max(0, r.totalSteps - r.step);
  // a run that is not running now pays start-up again
  const startup = (t: StepTiming) => (r.status === 'running' ? 0 : t.startupSec);
  if (r.own && ownIsKnown(r)) {
    const s = remaining * r.own.secPerStep + startup(r.own);
    return { eta: { lowSec: s, highSec: s, known: true }, basis: `measured: ${fmtRate(r.own.secPerStep)} over ${r.own.steps} steps of this run` };
  }
  const same = past.filter((p) => p.key === r.key);
  const sameMethod = past.filter((p) => p.method === r.method);
  let rates: number[] = [];
  let startups: number[] = [];
  let basis = '';
  if (same.length) {
    rates = same.map((p) => p.timing.secPerStep);
    startups = same.map((p) => startup(p.timing));
    basis = `${same.length} earlier run${same.length === 1 ? '' : 's'} of this method, size and backend`;
  } else if (sameMethod.length) {
    // another size: the spread of all sizes seen is the honest range
    rates = sameMethod.map((p) => p.timing.secPerStep);
    startups = sameMethod.map((p) => startup(p.timing));
    basis = `${sameMethod.length} earlier run${sameMethod.length === 1 ? '' : 's'} of this method at other sizes`;
  }
  if (r.own) {
    rates.push(r.own.secPerStep);
    startups.push(startup(r.own));
    basis = basis ? `${basis} and the first ${r.own.steps} steps of this run` : `the first ${r.own.steps} steps of this run`;
    if (rates.length === 1) {
      // few steps measured: early steps are noisy (warm-up, the first evaluation still ahead)
      rates = [r.own.secPerStep * 0.7, r.own.secPerStep * 1.5];
    }
  }
  if (!rates.length) return { eta: null, basis: 'no step measured yet for this method on this machine' };
  const lowStart = Math.min(...startups);
  const highStart = Math.max(...startups);
  return {
    eta: { lowSec: remaining * Math.min(...rates) + lowStart, highSec: remaining * Math.max(...rates) + highStart, known: false },
    basis,
  };
}

/**
 * ETAs of every active run and of the whole queue. Running runs go first; queued runs start in queue
 * order when a slot frees (the earliest-free slot of `concurrency`), so each queued run's ETA counts
 * the runs ahead of it. Paused runs wait for the user: their ETA is the time they need once resumed,
 * and they do not count towards the queue's total. A queued run with no estimate makes every run
 * behind it unknown too (their start is unknown), and the total unknown.
 */
export function estimateQueue(active: readonly ActiveRun[], past: readonly PastRun[], concurrency: number, now: string): QueueEta {
  const slots = Math.max(1, concurrency);
  const lowFree: number[] = [];
  const highFree: number[] = [];
  let unknown = false;
  const out: RunEta[] = [];
  const running = active.filter((r) => r.status === 'running');
  const queued = active.filter((r) => r.status === 'queued').sort((a, b) => (a.queuePosition ?? 1e9) - (b.queuePosition ?? 1e9));
  for (const r of running) {
    const e = ownRemaining(r, past);
    out.push({ id: r.id, ...e });
    if (e.eta === null) unknown = true;
    lowFree.push(e.eta?.lowSec ?? 0);
    highFree.push(e.eta?.highSec ?? 0);
  }
  while (lowFree.length < slots) {
    lowFree.push(0);
    highFree.push(0);
  }
  lowFree.sort((a, b) => a - b);
  highFree.sort((a, b) => a - b);
  let knownSoFar = !unknown;
  for (const r of queued) {
    const e = ownRemaining(r, past);
    if (!knownSoFar || e.eta === null) {
      knownSoFar = false;
      out.push({ id: r.id, eta: null, basis: e.eta === null ? e.basis : 'waits for a run whose time is not known yet' });
      continue;
    }
    // it starts when the first slot frees, in both the optimistic and the pessimistic case
    const lo = (lowFree.shift() as number) + e.eta.lowSec;
    const hi = (highFree.shift() as number) + e.eta.highSec;
    lowFree.push(lo);
    highFree.push(hi);
    lowFree.sort((a, b) => a - b);
    highFree.sort((a, b) => a - b);
    out.push({ id: r.id, eta: { lowSec: lo, highSec: hi, known: e.eta.known && running.every((x) => out.find((o) => o.id === x.id)?.eta?.known) }, basis: e.basis });
  }
  for (const r of active.filter((x) => x.status === 'paused')) out.push({ id: r.id, ...ownRemaining(r, past) });
  const counted = out.filter((o) => active.find((r) => r.id === o.id)?.status !== 'paused');
  const total: EtaRange | null =
    counted.length === 0 || !knownSoFar
      ? null
      : {
          lowSec: Math.max(0, ...counted.map((o) => o.eta?.lowSec ?? 0)),
          highSec: Math.max(0, ...counted.map((o) => o.eta?.highSec ?? 0)),
          known: counted.every((o) => o.eta?.known === true),
        };
  return { computedAt: now, runs: out, total };
}

function fmtRate(secPerStep: number): string {
  return secPerStep >= 1 ? `${secPerStep.toFixed(1)} s/step` : `${(1 / secPerStep).toFixed(1)} steps/s`;
}
