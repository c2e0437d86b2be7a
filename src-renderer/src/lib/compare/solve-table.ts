// Which evaluated puzzles each run solves at an evaluation: solved by both, only A, only B, neither.
import type { EvalReport } from '../../../../src-shared/method/protocol';

export type Verdict = 'both' | 'onlyA' | 'onlyB' | 'neither';

/** One side of the table: a run with its evaluations, or an external solver with its one scored report. */
export interface SolvedBySide {
  name: string;
  evals: EvalReport[];
  /** an external solver (imported submission.json): attempts only, no votes, curves or filmstrips */
  external: boolean;
}

export interface SolveRow {
  key: string;
  taskId: string;
  testIndex: number;
  a: boolean | null;
  b: boolean | null;
  verdict: Verdict | null;
}

/** External solver ids (the service's "ext-…") share the compare route with run ids. */
export function isExternalId(id: string | null | undefined): boolean {
  return typeof id === 'string' && id.startsWith('ext-');
}

export function solveTable(a: EvalReport | null, b: EvalReport | null, metric: 'passAt1' | 'passAt2'): SolveRow[] {
  const rows = new Map<string, SolveRow>();
  const key = (t: { taskId: string; testIndex: number }) => `${t.taskId}#${t.testIndex}`;
  const row = (t: { taskId: string; testIndex: number }) => {
    const k = key(t);
    let r = rows.get(k);
    if (!r) {
      r = { key: k, taskId: t.taskId, testIndex: t.testIndex, a: null, b: null, verdict: null };
      rows.set(k, r);
    }
    return r;
  };
  for (const t of a?.tasks ?? []) row(t).a = t[metric];
  for (const t of b?.tasks ?? []) row(t).b = t[metric];
  for (const r of rows.values()) {
    // a puzzle evaluated by only one of the runs gets no verdict
    if (r.a === null || r.b === null) continue;
    r.verdict = r.a && r.b ? 'both' : r.a ? 'onlyA' : r.b ? 'onlyB' : 'neither';
  }
  return [...rows.values()].sort((x, y) => x.key.localeCompare(y.key));
}

export function countVerdicts(rows: readonly SolveRow[]): Record<Verdict, number> {
  const out: Record<Verdict, number> = { both: 0, onlyA: 0, onlyB: 0, neither: 0 };
  for (const r of rows) if (r.verdict) out[r.verdict]++;
  return out;
}

/** The evaluation of `reports` at `step`, else the one nearest to it. */
export function evalNear(reports: readonly EvalReport[], step: number): EvalReport | null {
  let best: EvalReport | null = null;
  for (const r of reports) if (!best || Math.abs(r.step - step) < Math.abs(best.step - step)) best = r;
  return best;
}
