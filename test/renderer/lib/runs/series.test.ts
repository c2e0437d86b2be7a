import { describe, expect, it } from 'vitest';
import type { MetricPoint } from '../../../../src-shared/api/contract';
import { alignSeries, chartOf, mergeSeries, metricsCsv, smooth, xRange } from '../../../../src-renderer/src/lib/runs/series';

const pt = (step: number, value: number): MetricPoint => ({ step, value, wallSec: step / 10, trajectories: step * 2, forwardEquivalents: step * 9 });

describe('metric series', () => {
  it('debiased EMA starts at the first value and follows a constant exactly', () => {
    expect(smooth([5, 5, 5], 0.9)).toEqual([5, 5, 5].map(() => expect.closeTo(5, 10)));
    const s = smooth([0, 10], 0.5);
    expect(s[0]).toBe(0);
    // (0.5·0 + 0.5·10) … debiased: 0.25·0… → (0.5·(0.5·0) + 0.5·10) / (1 − 0.25) = 5 / 0.75
    expect(s[1]).toBeCloseTo(5 / 0.75);
    expect(smooth([1, 2, 3], 0)).toEqual([1, 2, 3]);
  });

  it('aligns series on the chosen x-axis with gaps where a series has no point', () => {
    const [x, a, b] = alignSeries([{ points: [pt(1, 1), pt(2, 2)] }, { points: [pt(2, 5)] }], 'forwardEquivalents', 0);
    expect(x).toEqual([9, 18]);
    expect(a).toEqual([1, 2]);
    expect(b).toEqual([null, 5]);
  });

  it('merges live updates without repeating points', () => {
    const merged = mergeSeries([{ key: 'lm_loss', points: [pt(1, 1)] }], [
      { key: 'lm_loss', points: [pt(1, 1), pt(2, 0.5)] },
      { key: 'eval/pass@2', points: [pt(2, 0.25)] },
    ]);
    expect(merged.find((s) => s.key === 'lm_loss')?.points.map((p) => p.step)).toEqual([1, 2]);
    expect(merged.find((s) => s.key === 'eval/pass@2')?.points).toHaveLength(1);
  });

  it('groups keys into charts', () => {
    expect(chartOf('lm_loss')).toBe('loss');
    expect(chartOf('exact_accuracy')).toBe('accuracy');
    expect(chartOf('eval/pass@2')).toBe('pass');
    expect(chartOf('lr')).toBe('other');
  });

  it('writes CSV with every x-axis column', () => {
    const csv = metricsCsv([{ run: 'TRM, a', series: [{ key: 'lm_loss', points: [pt(3, 0.5)] }] }]);
    expect(csv).toBe('run,metric,step,trajectories,forward_equivalents,wall_sec,value\n"TRM, a",lm_loss,3,6,27,0.3,0.5\n');
  });
});

describe('chart x range', () => {
  it('keeps the range uPlot chose for spread data, and shows a single evaluation from 0 rather than mid-way through a doubled range', () => {
    expect(xRange(10, 80, [10, 80])).toEqual([10, 80]);
    expect(xRange(80, 80, [0, 160])).toEqual([0, 80]);
    expect(xRange(0, 0, [-1, 1])).toEqual([-1, 1]);
    expect(xRange(null, null, [0, 100])).toEqual([0, 100]);
  });
});
