// Metric series for the charts: x-axis choices, debiased EMA smoothing (as TensorBoard), grouping
// of metric keys into charts, and merging live updates into what is already loaded.
import type { MetricPoint, MetricSeries } from '../../../../src-shared/api/contract';

export type XAxis = 'step' | 'trajectories' | 'forwardEquivalents' | 'wallSec';

export const X_AXES: ReadonlyArray<{ id: XAxis; label: string }> = [
  { id: 'step', label: 'optimizer step' },
  { id: 'trajectories', label: 'trajectories' },
  { id: 'forwardEquivalents', label: 'network calls (forward equivalents)' },
  { id: 'wallSec', label: 'wall-clock (s)' },
];

/**
 * Debiased exponential moving average: s_t = w·s_{t−1} + (1−w)·x_t, divided by (1 − w^t) so the
 * start is not pulled towards 0. w = 0 returns the data; non-finite values pass through unsmoothed.
 */
export function smooth(values: readonly number[], weight: number): number[] {
  if (weight <= 0) return values.slice();
  const w = Math.min(weight, 0.999);
  let last = 0;
  let n = 0;
  return values.map((v) => {
    if (!Number.isFinite(v)) return v;
    last = last * w + (1 - w) * v;
    n++;
    return last / (1 - w ** n);
  });
}

export function xOf(p: MetricPoint, axis: XAxis): number {
  return p[axis];
}

/** Which chart a metric key belongs to. */
export function chartOf(key: string): 'loss' | 'accuracy' | 'pass' | 'other' {
  const k = key.toLowerCase();
  if (k.includes('pass')) return 'pass';
  if (k.includes('loss')) return 'loss';
  if (k.includes('acc')) return 'accuracy';
  return 'other';
}

/** Append the points of `update` that are newer than what `current` holds (events may repeat points). */
export function mergeSeries(current: MetricSeries[], update: readonly MetricSeries[]): MetricSeries[] {
  const out = current.map((s) => ({ key: s.key, points: s.points }));
  for (const u of update) {
    const s = out.find((x) => x.key === u.key);
    if (!s) {
      out.push({ key: u.key, points: u.points.slice() });
      continue;
    }
    const lastStep = s.points[s.points.length - 1]?.step ?? -Infinity;
    const fresh = u.points.filter((p) => p.step > lastStep);
    if (fresh.length) s.points = [...s.points, ...fresh];
  }
  return out;
}

/**
 * uPlot data for several series on one x-axis: the sorted union of x values, with null where a
 * series has no point (uPlot draws across gaps with spanGaps).
 */
export function alignSeries(series: ReadonlyArray<{ points: readonly MetricPoint[] }>, axis: XAxis, weight: number): [number[], ...Array<Array<number | null>>] {
  const xs = new Set<number>();
  for (const s of series) for (const p of s.points) xs.add(xOf(p, axis));
  const x = [...xs].sort((a, b) => a - b);
  const index = new Map(x.map((v, i) => [v, i]));
  const ys = series.map((s) => {
    const y: Array<number | null> = new Array(x.length).fill(null);
    const sm = smooth(s.points.map((p) => p.value), weight);
    s.points.forEach((p, i) => {
      y[index.get(xOf(p, axis)) as number] = sm[i] as number;
    });
    return y;
  });
  return [x, ...ys];
}

/** CSV of series from one or more runs: run, metric, step, trajectories, forward equivalents, wall-clock, value. */
export function metricsCsv(runs: ReadonlyArray<{ run: string; series: readonly MetricSeries[] }>): string {
  const q = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const lines = ['run,metric,step,trajectories,forward_equivalents,wall_sec,value'];
  for (const r of runs)
    for (const s of r.series)
      for (const p of s.points) lines.push([q(r.run), q(s.key), p.step, p.trajectories, p.forwardEquivalents, p.wallSec, p.value].join(','));
  return `${lines.join('\n')}\n`;
}

/**
 * The x range of a chart from its first and last x: `auto` (the range uPlot chose) while they
 * differ, but a single x (one evaluation so far) is shown from 0, where uPlot's own fallback would
 * centre it on a made-up range twice as wide.
 */
export function xRange(first: number | null, last: number | null, auto: [number, number]): [number, number] {
  if (first === null || last === null || first !== last) return auto;
  return last > 0 ? [0, last] : [last - 1, last + 1];
}

/**
 * A chart's aligned data as table rows (x, then each series; '—' where a series has no point), at
 * most `max` rows by an even stride that keeps the last point (the current value).
 */
export function chartTableRows(data: readonly [readonly number[], ...Array<ReadonlyArray<number | null>>], max: number): { rows: string[][]; stride: number } {
  const xs = data[0];
  const n = xs.length;
  const stride = n <= max ? 1 : Math.ceil(n / max);
  const idx: number[] = [];
  for (let i = 0; i < n; i += stride) idx.push(i);
  if (n > 0 && idx[idx.length - 1] !== n - 1) idx.push(n - 1);
  const fmt = (v: number | null | undefined) => (v === null || v === undefined || !Number.isFinite(v) ? '—' : Number.isInteger(v) ? String(v) : v.toPrecision(4));
  return { rows: idx.map((i) => [fmt(xs[i]), ...data.slice(1).map((s) => fmt((s as ReadonlyArray<number | null>)[i]))]), stride };
}
