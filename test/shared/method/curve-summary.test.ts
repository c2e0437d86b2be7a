import { describe, expect, it } from 'vitest';
import { summariseCurve } from '../../../src-shared/method/curve-summary';

describe('the honest description of a loss curve', () => {
  it('calls a steadily falling loss falling, with its numbers', () => {
    const s = summariseCurve([1, 0.8, 0.6, 0.5, 0.4, 0.3]);
    expect(s.shape).toBe('falling');
    expect(s.text).toBe('loss fell 1.00 → 0.300 over 6 steps');
  });

  it('calls a rising sawtooth rising and says the steps made it worse', () => {
    const s = summariseCurve([0.192, 0.3, 0.22, 0.33, 0.25, 0.36, 0.28, 0.358]);
    expect(s.shape).toBe('rising');
    expect(s.text).toMatch(/^loss rose 0\.192 → 0\.358 over 8 steps, changing direction on 100% of steps; lowest 0\.192 at step 1 of 8: the steps made it worse/);
  });

  it('calls a sawtooth with no net change noisy, with its range', () => {
    const s = summariseCurve([0.5, 0.3, 0.52, 0.31, 0.49, 0.3, 0.5]);
    expect(s.shape).toBe('noisy');
    expect(s.text).toMatch(/noisy sawtooth between 0\.300 and 0\.520/);
  });

  it('calls a flat loss flat and too few steps too few', () => {
    expect(summariseCurve([0.5, 0.5001, 0.4999, 0.5]).shape).toBe('flat');
    expect(summariseCurve([0.5, 0.4]).text).toMatch(/too few steps/);
    expect(summariseCurve([]).text).toBe('no loss recorded');
  });
});
