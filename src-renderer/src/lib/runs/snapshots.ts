// Cached access to a run's probe snapshots (they never change once written).
import type { ProbeSnapshot } from '../../../../src-shared/method/protocol';
import { getClient } from '../api/client';

const cache = new Map<string, Promise<ProbeSnapshot[]>>();

export function loadSnapshot(runId: string, step: number): Promise<ProbeSnapshot[]> {
  const key = `${runId}@${step}`;
  let p = cache.get(key);
  if (!p) {
    p = getClient().getSnapshot({ runId, step });
    cache.set(key, p);
    p.catch(() => cache.delete(key));
  }
  return p;
}

/** The snapshot step closest to `want` (ties go to the earlier one); null for an empty list. */
export function nearest(steps: readonly number[], want: number): number | null {
  let best: number | null = null;
  for (const s of steps) if (best === null || Math.abs(s - want) < Math.abs(best - want)) best = s;
  return best;
}
