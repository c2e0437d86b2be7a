// The study's one-paragraph verdict: final accuracy per method across seeds, the measured cost
// ratio (network calls and wall-clock to the end of the budget), and whether the accuracy
// difference exceeds the spread across seeds. Pure and tested: the words are the result.
import { evalPoints, mean, sd, type StudyMetric, type StudyRunData } from './seed-bands';

export interface MethodOutcome {
  method: string;
  /** runs with at least one evaluation, of all the method's runs */
  finished: number;
  runs: number;
  /** the last evaluation of each finished run */
  finals: number[];
  mean: number;
  min: number;
  max: number;
  sd: number;
  /** mean network calls and wall-clock seconds at those last evaluations */
  calls: number;
  wallSec: number;
  step: number;
}

export function methodOutcomes(runs: readonly StudyRunData[], methods: readonly string[], metric: StudyMetric): MethodOutcome[] {
  return methods.map((method) => {
    const mine = runs.filter((r) => r.method === method);
    const lasts = mine.map((r) => evalPoints(r).at(-1)).filter((p) => p !== undefined);
    const finals = lasts.map((p) => p[metric]);
    return {
      method,
      finished: lasts.length,
      runs: mine.length,
      finals,
      mean: mean(finals),
      min: finals.length ? Math.min(...finals) : Number.NaN,
      max: finals.length ? Math.max(...finals) : Number.NaN,
      sd: sd(finals),
      calls: mean(lasts.map((p) => p.calls)),
      wallSec: mean(lasts.map((p) => p.wallSec)),
      step: mean(lasts.map((p) => p.step)),
    };
  });
}

const pct = (x: number) => `${(x * 100).toFixed(0)}%`;
const up = (m: string) => m.toUpperCase();
function count(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(2)} G`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)} M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)} k`;
  return n.toFixed(0);
}
function secs(s: number): string {
  if (s >= 3600) return `${(s / 3600).toFixed(1)} h`;
  if (s >= 60) return `${(s / 60).toFixed(1)} min`;
  return `${s.toFixed(1)} s`;
}
const ratio = (a: number, b: number) => (b > 0 && Number.isFinite(a / b) ? `${(a / b).toFixed(2)}×` : 'n/a');

export interface PairVerdict {
  base: string;
  other: string;
  /** other.mean − base.mean */
  difference: number;
  /** the min–max ranges across seeds do not overlap */
  exceedsSpread: boolean;
  callsRatio: number;
  wallRatio: number;
}

/**
 * Each other method against the first (the baseline). "Exceeds the seed spread" means the seeds'
 * min–max ranges do not overlap: every seed of the better method beats every seed of the other.
 */
export function pairVerdicts(outcomes: readonly MethodOutcome[]): PairVerdict[] {
  const [base, ...others] = outcomes;
  if (base === undefined) return [];
  return others.map((o) => ({
    base: base.method,
    other: o.method,
    difference: o.mean - base.mean,
    exceedsSpread: o.finished > 0 && base.finished > 0 && (o.min > base.max || o.max < base.min),
    callsRatio: o.calls / base.calls,
    wallRatio: o.wallSec / base.wallSec,
  }));
}

export function studyVerdict(runs: readonly StudyRunData[], methods: readonly string[], metric: StudyMetric): string {
  const outcomes = methodOutcomes(runs, methods, metric);
  const label = metric === 'passAt1' ? 'pass@1' : 'pass@2';
  const pending = outcomes.filter((o) => o.finished === 0);
  if (pending.length > 0) {
    return `No verdict yet: ${pending.map((o) => up(o.method)).join(' and ')} ${pending.length === 1 ? 'has' : 'have'} no evaluated run (${outcomes.map((o) => `${up(o.method)} ${o.finished}/${o.runs}`).join(', ')} evaluated).`;
  }
  const parts: string[] = [];
  parts.push(
    `Over ${outcomes.map((o) => `${o.finished} seed${o.finished === 1 ? '' : 's'} of ${up(o.method)}`).join(' and ')}, the final exact-match ${label} was ` +
      outcomes.map((o) => `${pct(o.mean)} for ${up(o.method)} (${o.finished > 1 ? `min–max ${pct(o.min)}–${pct(o.max)}, sd ${pct(o.sd)}` : 'one seed: no spread measured'})`).join(' and ') +
      ` after about ${Math.round(outcomes[0]!.step)} optimizer steps.`,
  );
  for (const v of pairVerdicts(outcomes)) {
    const b = outcomes.find((o) => o.method === v.base)!;
    const o = outcomes.find((x) => x.method === v.other)!;
    parts.push(
      `${up(v.other)} used ${ratio(o.calls, b.calls)} the network calls of ${up(v.base)} (${count(o.calls)} vs ${count(b.calls)}) and ${ratio(o.wallSec, b.wallSec)} its wall-clock (${secs(o.wallSec)} vs ${secs(b.wallSec)}).`,
    );
    const diff = Math.abs(v.difference);
    const better = v.difference > 0 ? v.other : v.base;
    if (diff === 0) parts.push(`Their ${label} is the same.`);
    else if (b.finished < 2 || o.finished < 2) parts.push(`The difference of ${pct(diff)} in favour of ${up(better)} cannot be weighed against the seed spread with one seed per method; run more seeds.`);
    else if (v.exceedsSpread) parts.push(`The difference of ${pct(diff)} in favour of ${up(better)} exceeds the seed spread (the seeds' min–max ranges do not overlap).`);
    else parts.push(`The difference of ${pct(diff)} in favour of ${up(better)} is within the seed spread (the seeds' min–max ranges overlap), so these seeds do not separate the methods.`);
  }
  const unfinished = outcomes.filter((o) => o.finished < o.runs);
  if (unfinished.length) parts.push(`Still to evaluate: ${unfinished.map((o) => `${o.runs - o.finished} ${up(o.method)} run${o.runs - o.finished === 1 ? '' : 's'}`).join(', ')}.`);
  return parts.join(' ');
}
