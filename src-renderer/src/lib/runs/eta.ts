// Queue ETA from measured throughput: the running run's own ETA, and for each queued run its
// steps times the seconds per step measured on earlier runs of the same method (any method if
// none). Unknown when nothing has been measured yet.
import type { RunSummary } from '../../../../src-shared/api/contract';

export function secondsPerStep(runs: readonly RunSummary[], method: RunSummary['method'], now: number): number | null {
  const rates: number[] = [];
  const anyRates: number[] = [];
  for (const r of runs) {
    if (!r.startedAt || r.step <= 0) continue;
    const end = r.finishedAt ? Date.parse(r.finishedAt) : r.status === 'running' ? now : NaN;
    const sec = (end - Date.parse(r.startedAt)) / 1000;
    if (!Number.isFinite(sec) || sec <= 0) continue;
    const rate = sec / r.step;
    anyRates.push(rate);
    if (r.method === method) rates.push(rate);
  }
  const pick = rates.length ? rates : anyRates;
  if (!pick.length) return null;
  return pick.reduce((a, b) => a + b, 0) / pick.length;
}

export interface QueueEta {
  /** seconds until the whole queue is done (lower bound when `partial`) */
  totalSec: number;
  partial: boolean;
  perRun: Map<string, number | null>;
}

export function queueEta(runs: readonly RunSummary[], now = Date.now()): QueueEta {
  const perRun = new Map<string, number | null>();
  let totalSec = 0;
  let partial = false;
  for (const r of runs) {
    if (r.status !== 'queued' && r.status !== 'running' && r.status !== 'paused') continue;
    let eta: number | null = r.etaSec;
    if (eta === null || r.status !== 'running') {
      const sps = secondsPerStep(runs, r.method, now);
      eta = sps === null ? null : sps * Math.max(0, r.totalSteps - r.step);
    }
    perRun.set(r.id, eta);
    if (eta === null) partial = true;
    else totalSec += eta;
  }
  return { totalSec, partial, perRun };
}
