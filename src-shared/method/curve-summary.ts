// An honest one-line description of a loss curve (the playground's adaptation summary said
// "loss 0.192 → 0.358" for a rising sawtooth with no comment). Pure, so it is tested directly.

export type CurveShape = 'falling' | 'rising' | 'flat' | 'noisy' | 'too-short';

export interface CurveSummary {
  shape: CurveShape;
  first: number;
  last: number;
  min: number;
  max: number;
  /** the lowest value's index (0-based) */
  minAt: number;
  /** share of step-to-step changes that reverse direction: near 1 for a sawtooth */
  reversals: number;
  text: string;
}

const fmt = (x: number) => (Math.abs(x) >= 100 ? x.toFixed(0) : Math.abs(x) >= 1 ? x.toFixed(2) : x.toPrecision(3));

/**
 * falling/rising: the least-squares trend over the curve moves it by at least the typical
 * step-to-step wiggle; noisy: direction flips on most steps with no net change beyond that
 * wiggle (a sawtooth); flat: nothing moves by more than 1% of the level.
 */
export function summariseCurve(values: readonly number[], what = 'loss'): CurveSummary {
  const v = values.filter((x) => Number.isFinite(x));
  const first = v[0] ?? Number.NaN;
  const last = v[v.length - 1] ?? Number.NaN;
  let min = Infinity;
  let max = -Infinity;
  let minAt = 0;
  v.forEach((x, i) => {
    if (x < min) {
      min = x;
      minAt = i;
    }
    max = Math.max(max, x);
  });
  if (v.length < 3) {
    return { shape: 'too-short', first, last, min, max, minAt, reversals: 0, text: v.length === 0 ? `no ${what} recorded` : `${what} ${fmt(first)} → ${fmt(last)} (too few steps to tell a trend)` };
  }
  const diffs = v.slice(1).map((x, i) => x - v[i]!);
  let flips = 0;
  for (let i = 1; i < diffs.length; i++) if (Math.sign(diffs[i]!) !== 0 && Math.sign(diffs[i]!) === -Math.sign(diffs[i - 1]!)) flips++;
  const reversals = diffs.length > 1 ? flips / (diffs.length - 1) : 0;
  const wiggle = diffs.reduce((s, d) => s + Math.abs(d), 0) / diffs.length;
  // the least-squares trend over the whole curve: one lucky step does not make a trend
  const n = v.length;
  const mx = (n - 1) / 2;
  const my = v.reduce((s, x) => s + x, 0) / n;
  let sxy = 0;
  let sxx = 0;
  v.forEach((y, i) => {
    sxy += (i - mx) * (y - my);
    sxx += (i - mx) ** 2;
  });
  const net = (sxy / sxx) * (n - 1);
  const level = Math.max(Math.abs(my), 1e-12);
  let shape: CurveShape;
  if (max - min <= 0.01 * level) shape = 'flat';
  else if (reversals >= 0.5 && Math.abs(net) < wiggle) shape = 'noisy';
  else if (net < 0) shape = 'falling';
  else shape = 'rising';
  const range = `${fmt(first)} → ${fmt(last)}`;
  const lowest = minAt !== v.length - 1 ? `; lowest ${fmt(min)} at step ${minAt + 1} of ${v.length}` : '';
  const saw = reversals >= 0.5 ? `, changing direction on ${Math.round(reversals * 100)}% of steps` : '';
  const text =
    shape === 'flat' ? `${what} stayed flat at about ${fmt(last)} over ${v.length} steps: nothing was learned`
    : shape === 'noisy' ? `${what} did not settle: a noisy sawtooth between ${fmt(min)} and ${fmt(max)} (${range}${saw}); try fewer or smaller steps`
    : shape === 'falling' ? `${what} fell ${range} over ${v.length} steps${saw}${lowest}`
    : `${what} rose ${range} over ${v.length} steps${saw}${lowest}: the steps made it worse; try a smaller learning rate or fewer steps`;
  return { shape, first, last, min, max, minAt, reversals, text };
}
