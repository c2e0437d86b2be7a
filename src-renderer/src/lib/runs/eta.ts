// How an ETA from the lab's one estimator (the queueEta API, src-main/service/eta.ts) reads: a
// range until the run's own step time is measured, one value after, counted down from when it was
// fetched. The run row, the queue's "all done in" and the status bar all show it through here, so
// they agree. Never "0 s" for work that is not done: past its estimate a run is "finishing".
import type { EtaRange } from '../../../../src-shared/api/contract';
import { duration } from '../ui/format';

/** Minutes for ranges so "8–15 min" reads at a glance; seconds only when under a minute. */
function roughly(sec: number): string {
  if (sec < 60) return `${Math.max(1, Math.round(sec))} s`;
  if (sec < 3600) return `${Math.round(sec / 60)} min`;
  const h = Math.floor(sec / 3600);
  const m = Math.round((sec - h * 3600) / 60);
  return m ? `${h} h ${m} min` : `${h} h`;
}

/**
 * `eta` is seconds from when it was fetched; `elapsedSec` the time since. null (nothing measured yet)
 * reads as unknown, in words the user can act on.
 */
export function etaText(eta: EtaRange | null | undefined, elapsedSec = 0): string {
  if (!eta) return 'unknown until the first steps are measured';
  const lo = eta.lowSec - elapsedSec;
  const hi = eta.highSec - elapsedSec;
  if (hi <= 0) return 'finishing';
  // a measured estimate under 10 minutes to the second; longer ones and ranges in round minutes
  if (eta.known || roughly(Math.max(lo, 0)) === roughly(hi)) return eta.known && hi < 600 ? duration(hi) : `≈ ${roughly(hi)}`;
  const a = Math.max(lo, 1);
  if (a >= 60 && hi < 3600) return `${Math.round(a / 60)}–${Math.round(hi / 60)} min`;
  return `${roughly(a)}–${roughly(hi)}`;
}
