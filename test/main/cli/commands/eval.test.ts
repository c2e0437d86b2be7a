import { describe, expect, it } from 'vitest';
import { formatReport } from '../../../../src-main/cli/commands/eval';

describe('puzzle-lab eval report', () => {
  it('prints pass@K, per-step metrics and one row per test pair', () => {
    const text = formatReport({
      step: 500,
      passAt1: 0.25,
      passAt2: 0.5,
      passAtK: { '2': 0.5, '1': 0.25, '5': 0.75 },
      perStep: [{ step: 1, tokenAccuracy: 0.9, exactAccuracy: 0.1, advantageMargin: 0.05 }],
      tasks: [
        { taskId: 'abc', testIndex: 0, top: [[[1]]], votes: [3, 1], passAt1: true, passAt2: true },
        { taskId: 'longer-id', testIndex: 1, top: [], votes: [], passAt1: false, passAt2: false },
      ],
      callsPerExample: 18,
    });
    const lines = text.split('\n');
    expect(lines[0]).toBe('step 500: pass@1 25.00%  pass@2 50.00%');
    expect(lines[1]).toBe('pass@K: @1 25.00%  @2 50.00%  @5 75.00%');
    expect(text).toContain('   1     0.9000     0.1000      0.0500');
    expect(text).toContain('abc           0     yes     yes  3/1');
    expect(text).toContain('longer-id     1      -       -   ');
  });

  it('with EMA, labels the averaged weights and prints the live weights next to them', () => {
    const text = formatReport({
      step: 516,
      passAt1: 0,
      passAt2: 0,
      passAtK: { '1': 0, '2': 0 },
      perStep: [],
      tasks: [],
      callsPerExample: 240,
      weights: 'ema',
      live: { passAt1: 0.9, passAt2: 1, passAtK: { '1': 0.9, '2': 1 }, perStep: [{ step: 16, tokenAccuracy: 0.99, exactAccuracy: 0.875, advantageMargin: 0 }] },
    });
    const lines = text.split('\n');
    expect(lines[0]).toBe('step 516: pass@1 0.00%  pass@2 0.00% (EMA weights)');
    expect(lines[2]).toBe('live weights: pass@1 90.00%  pass@2 100.00%  last-step exact 87.50%');
    expect(lines[3]).toBe('live pass@K: @1 90.00%  @2 100.00%');
  });
});
