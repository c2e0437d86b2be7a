// The words a run's state is shown with: a run paused because the lab could not write says so.
import type { RunSummary } from '../../../../src-shared/api/contract';

export function statusLabel(r: Pick<RunSummary, 'status' | 'pausedFor'>): string {
  if (r.status === 'paused' && r.pausedFor === 'disk-full') return 'paused: disk full';
  if (r.status === 'paused' && r.pausedFor === 'storage') return 'paused: cannot write';
  return r.status;
}
