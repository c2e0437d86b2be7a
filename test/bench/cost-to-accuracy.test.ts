import { describe, expect, it } from 'vitest';
import { AccuracyWindow, costAt, quickStartConfig } from '../../bench/cost-to-accuracy';

describe('cost to accuracy', () => {
  it('judges the threshold on a full window of finished trajectories and keeps the first step that reached it', () => {
    const w = new AccuracyWindow(4, 0.75);
    expect(w.add(1, 2, 2)).toBeNull(); // 2 of 4 rows: the window is not full yet, even at 100%
    expect(w.reachedAt).toBeNull();
    expect(w.add(2, 2, 1)).toBe(0.75);
    expect(w.reachedAt).toBe(2);
    expect(w.add(3, 0, 0)).toBe(0.75); // no trajectory finished (DIS between boundaries, TRM mid-halting)
    expect(w.add(4, 4, 0)).toBe(0); // the two old steps leave the window
    expect(w.reachedAt).toBe(2);
  });

  it('counts network calls and forward equivalents per row from the recursion: TRM T3 n4 15 calls / 25 fwd-eq a step, DIS T1 n2 3 / 9', () => {
    expect(costAt(quickStartConfig('trm', 'tiny', 100, 0, 'wasm'), 10)).toEqual({ calls: 150, forwardEquivalents: 250 });
    expect(costAt(quickStartConfig('dis', 'tiny', 100, 0, 'wasm'), 10)).toEqual({ calls: 30, forwardEquivalents: 90 });
  });

  it('counts HRM T2 n2 as 6 calls of its inner forward plus 6 of the continue target a step (2 with gradient): 12 calls / 16 fwd-eq', () => {
    expect(costAt(quickStartConfig('hrm', 'tiny', 100, 0, 'wasm'), 10)).toEqual({ calls: 120, forwardEquivalents: 160 });
    const one = quickStartConfig('hrm', 'tiny', 100, 0, 'wasm');
    one.model = { ...one.model, Nsup: 1 };
    expect(costAt(one, 10)).toEqual({ calls: 60, forwardEquivalents: 100 });
  });
});
