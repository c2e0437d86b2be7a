import { describe, expect, it } from 'vitest';
import { estimateQueue, measureTiming, ownRemaining, type ActiveRun, type PastRun } from '../../../src-main/service/eta';

const NOW = '2026-01-01T00:00:00.000Z';
/** progress reports every `every` steps at `sec` seconds per step after `startup` seconds */
const reports = (from: number, to: number, every: number, sec: number, startup: number) => {
  const out: Array<{ step: number; wallSec: number }> = [];
  for (let s = from + every; s <= to; s += every) out.push({ step: s, wallSec: startup + (s - from) * sec });
  return out;
};
const run = (p: Partial<ActiveRun> & { id: string }): ActiveRun => ({
  status: 'queued',
  step: 0,
  totalSteps: 1000,
  key: 'trm-small',
  method: 'trm',
  queuePosition: 1,
  own: null,
  ...p,
});
const past = (key: string, method: string, secPerStep: number, startupSec = 5): PastRun => ({ key, method, timing: { secPerStep, steps: 500, startupSec } });

describe('measured step time', () => {
  it('is the steady seconds per step, start-up (the first report of a session) excluded', () => {
    const t = measureTiming(reports(0, 200, 10, 0.5, 8));
    expect(t?.secPerStep).toBeCloseTo(0.5, 6);
    expect(t?.steps).toBe(190);
    expect(t?.startupSec).toBeCloseTo(8 + 10 * 0.5, 6);
  });

  it('joins the sessions of a resumed run, whose wall-clock starts again at 0', () => {
    const t = measureTiming([...reports(0, 100, 10, 1, 3), ...reports(100, 200, 10, 2, 3)]);
    // 90 steps at 1 s and 90 steps at 2 s
    expect(t?.secPerStep).toBeCloseTo(1.5, 6);
    expect(t?.steps).toBe(180);
  });

  it('is unknown with fewer than two reports', () => {
    expect(measureTiming([])).toBeNull();
    expect(measureTiming([{ step: 10, wallSec: 4 }])).toBeNull();
  });
});

describe('the ETA of one run', () => {
  it('is a single value from its own steps once enough are measured', () => {
    const r = run({ id: 'a', status: 'running', step: 400, own: { secPerStep: 0.2, steps: 390, startupSec: 4 } });
    const e = ownRemaining(r, [past('trm-small', 'trm', 5)]);
    expect(e.eta).toEqual({ lowSec: 600 * 0.2, highSec: 600 * 0.2, known: true });
    expect(e.basis).toMatch(/measured/);
  });

  it('is a range from past runs of the same method, size and backend before its first steps, start-up included', () => {
    const e = ownRemaining(run({ id: 'q' }), [past('trm-small', 'trm', 0.1, 2), past('trm-small', 'trm', 0.3, 6), past('dis-small', 'dis', 9)]);
    expect(e.eta).toEqual({ lowSec: 1000 * 0.1 + 2, highSec: 1000 * 0.3 + 6, known: false });
    expect(e.basis).toMatch(/2 earlier runs of this method, size and backend/);
  });

  it('falls back to the same method at other sizes, and widens with its own first steps', () => {
    const e = ownRemaining(run({ id: 'r', status: 'running', step: 5, own: { secPerStep: 1, steps: 5, startupSec: 3 } }), [past('trm-big', 'trm', 2)]);
    expect(e.eta).toEqual({ lowSec: 995 * 1, highSec: 995 * 2, known: false });
  });

  it('from a few own steps alone is a range around them, never a single number', () => {
    const e = ownRemaining(run({ id: 'r', status: 'running', step: 5, own: { secPerStep: 1, steps: 5, startupSec: 3 } }), []);
    expect(e.eta?.known).toBe(false);
    expect(e.eta?.lowSec).toBeLessThan(995);
    expect(e.eta?.highSec).toBeGreaterThan(995);
  });

  it('is unknown (not 0) when nothing like it was ever measured', () => {
    expect(ownRemaining(run({ id: 'q', method: 'hrm', key: 'hrm' }), [past('trm-small', 'trm', 1)]).eta).toBeNull();
  });
});

describe('the queue ETA', () => {
  it('adds each queued run after the runs ahead of it, and the total is when the last is done', () => {
    const q = estimateQueue(
      [
        run({ id: 'b', queuePosition: 2 }),
        run({ id: 'a', status: 'running', step: 900, own: { secPerStep: 1, steps: 800, startupSec: 4 } }),
        run({ id: 'c', queuePosition: 1, totalSteps: 10 }),
      ],
      [past('trm-small', 'trm', 1, 5)],
      1,
      NOW,
    );
    const eta = (id: string) => q.runs.find((r) => r.id === id)?.eta;
    expect(eta('a')).toEqual({ lowSec: 100, highSec: 100, known: true });
    expect(eta('c')).toMatchObject({ lowSec: 100 + 10 + 5, highSec: 100 + 10 + 5 });
    expect(eta('b')).toMatchObject({ lowSec: 115 + 1000 + 5 });
    expect(q.total).toMatchObject({ lowSec: 1120, highSec: 1120 });
    expect(q.computedAt).toBe(NOW);
  });

  it('shares the slots of a concurrent queue', () => {
    const q = estimateQueue([run({ id: 'x', queuePosition: 1 }), run({ id: 'y', queuePosition: 2 })], [past('trm-small', 'trm', 1, 0)], 2, NOW);
    expect(q.runs.map((r) => r.eta?.lowSec)).toEqual([1000, 1000]);
    expect(q.total?.lowSec).toBe(1000);
  });

  it('is unknown, not "≥ 0 s", while a run ahead has no measurement; paused runs do not count', () => {
    const q = estimateQueue([run({ id: 'a', status: 'running', method: 'dis', key: 'd' }), run({ id: 'b' })], [past('trm-small', 'trm', 1)], 1, NOW);
    expect(q.total).toBeNull();
    expect(q.runs.find((r) => r.id === 'b')).toMatchObject({ eta: null, basis: expect.stringMatching(/waits/) });
    const p = estimateQueue([run({ id: 'p', status: 'paused' })], [past('trm-small', 'trm', 1)], 1, NOW);
    expect(p.total).toBeNull();
    expect(p.runs[0]?.eta).not.toBeNull();
  });
});
