import { describe, expect, it } from 'vitest';
import { etaText } from '../../../../src-renderer/src/lib/runs/eta';

describe('how an ETA reads', () => {
  it('is a range until the step time is measured, then one value', () => {
    expect(etaText({ lowSec: 8 * 60, highSec: 15 * 60, known: false })).toBe('8–15 min');
    expect(etaText({ lowSec: 600, highSec: 600, known: true })).toBe('≈ 10 min');
    expect(etaText({ lowSec: 40, highSec: 40, known: true })).toBe('40 s');
    expect(etaText({ lowSec: 2 * 3600 + 600, highSec: 2 * 3600 + 600, known: true })).toBe('≈ 2 h 10 min');
  });

  it('counts down from when it was fetched', () => {
    expect(etaText({ lowSec: 1800, highSec: 1800, known: true }, 600)).toBe('≈ 20 min');
    expect(etaText({ lowSec: 300, highSec: 300, known: true }, 210)).toBe('1 min 30 s');
    expect(etaText({ lowSec: 300, highSec: 900, known: false }, 290)).toBe('10 s–10 min');
  });

  it('never says 0 s or "≥ 0 s": unknown in words, and "finishing" past the estimate', () => {
    expect(etaText(null)).toBe('unknown until the first steps are measured');
    expect(etaText({ lowSec: 10, highSec: 10, known: true }, 30)).toBe('finishing');
    expect(etaText({ lowSec: 0, highSec: 0, known: true })).toBe('finishing');
  });
});
