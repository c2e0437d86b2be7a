import { describe, expect, it } from 'vitest';
import { runSummary as run } from '../builders';
import { queueEta } from '../../../../src-renderer/src/lib/runs/eta';

describe('queue ETA', () => {
  it('adds the running ETA and queued runs at the measured seconds per step of their method', () => {
    const runs = [
      run({ id: 'done', method: 'dis', status: 'completed', step: 100, startedAt: '2026-01-01T00:00:00Z', finishedAt: '2026-01-01T00:00:50Z' }),
      run({ id: 'now', method: 'trm', status: 'running', step: 10, etaSec: 30, startedAt: '2026-01-01T00:01:00Z' }),
      run({ id: 'next', method: 'dis', totalSteps: 200 }),
    ];
    const eta = queueEta(runs, Date.parse('2026-01-01T00:01:10Z'));
    expect(eta.perRun.get('now')).toBe(30);
    expect(eta.perRun.get('next')).toBeCloseTo(100); // 0.5 s/step × 200
    expect(eta.totalSec).toBeCloseTo(130);
    expect(eta.partial).toBe(false);
  });

  it('says the total is partial when nothing has been measured', () => {
    const eta = queueEta([run({ id: 'a' })]);
    expect(eta.perRun.get('a')).toBeNull();
    expect(eta.partial).toBe(true);
  });
});
