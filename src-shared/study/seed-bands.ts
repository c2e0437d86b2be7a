// A comparison study's curves: each run's evaluations placed on three cost axes (optimizer steps,
// network calls, wall-clock), then per method the mean across seeds with a min–max band. Runs of a
// study share their evaluation schedule (matched configs), so seeds are aligned by optimizer step.
import type { MetricPoint } from '../api/contract';
import type { EvalReport } from '../method/protocol';

export type StudyAxis = 'step' | 'calls' | 'wall';
export type StudyMetric = 'passAt1' | 'passAt2';

export interface EvalPoint {
  step: number;
  /** cumulative network calls (forward equivalents) of training at that step */
  calls: number;
  /** training wall-clock seconds at that step */
  wallSec: number;
  passAt1: number;
  passAt2: number;
}

export interface StudyRunData {
  runId: string;
  method: string;
  seed: number;
  evals: EvalReport[];
  /** any per-step training series (its points carry step, wall-clock and network calls) */
  cost: MetricPoint[];
}

/** The cost axes at `step`, from the training series (the nearest recorded step at or before it). */
function costAt(cost: readonly MetricPoint[], step: number): { calls: number; wallSec: number } {
  let best: MetricPoint | undefined;
  for (const p of cost) {
    if (p.step <= step && (best === undefined || p.step > best.step)) best = p;
  }
  return { calls: best?.forwardEquivalents ?? 0, wallSec: best?.wallSec ?? 0 };
}

export function evalPoints(run: StudyRunData): EvalPoint[] {
  return [...run.evals]
    .sort((a, b) => a.step - b.step)
    .map((e) => ({ step: e.step, ...costAt(run.cost, e.step), passAt1: e.passAt1, passAt2: e.passAt2 }));
}

export interface BandPoint {
  step: number;
  /** mean over the seeds evaluated at this step of the chosen axis */
  x: number;
  mean: number;
  min: number;
  max: number;
  sd: number;
  /** how many seeds have an evaluation at this step */
  n: number;
}

export interface MethodBand {
  method: string;
  seeds: number;
  points: BandPoint[];
}

export const mean = (xs: readonly number[]): number => (xs.length === 0 ? Number.NaN : xs.reduce((s, x) => s + x, 0) / xs.length);
/** sample standard deviation (n − 1); 0 for one value */
export function sd(xs: readonly number[]): number {
  if (xs.length < 2) return 0;
  const m = mean(xs);
  return Math.sqrt(xs.reduce((s, x) => s + (x - m) ** 2, 0) / (xs.length - 1));
}

const axisValue = (p: EvalPoint, axis: StudyAxis) => (axis === 'step' ? p.step : axis === 'calls' ? p.calls : p.wallSec);

/** Per method: mean and min–max (and sd) across seeds at each evaluated step. */
export function seedBands(runs: readonly StudyRunData[], methods: readonly string[], metric: StudyMetric, axis: StudyAxis): MethodBand[] {
  return methods.map((method) => {
    const mine = runs.filter((r) => r.method === method).map(evalPoints);
    const steps = [...new Set(mine.flatMap((ps) => ps.map((p) => p.step)))].sort((a, b) => a - b);
    const points = steps.map((step) => {
      const at = mine.flatMap((ps) => ps.filter((p) => p.step === step));
      const ys = at.map((p) => p[metric]);
      return { step, x: mean(at.map((p) => axisValue(p, axis))), mean: mean(ys), min: Math.min(...ys), max: Math.max(...ys), sd: sd(ys), n: at.length };
    });
    return { method, seeds: mine.length, points };
  });
}
