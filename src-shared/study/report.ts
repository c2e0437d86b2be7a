// A study as files: CSV of every evaluation of every run (one row each) and a markdown report
// (setup, final accuracy per method across seeds, verdict, runs).
import { evalPoints, type StudyRunData } from './seed-bands';
import { methodOutcomes, studyVerdict } from './verdict';

const csvCell = (v: string | number) => {
  const s = String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

export function studyCsv(runs: readonly StudyRunData[]): string {
  const rows: Array<Array<string | number>> = [['method', 'seed', 'run_id', 'step', 'network_calls', 'wall_sec', 'pass_at_1', 'pass_at_2']];
  for (const r of runs) {
    for (const p of evalPoints(r)) rows.push([r.method, r.seed, r.runId, p.step, p.calls, p.wallSec.toFixed(3), p.passAt1, p.passAt2]);
  }
  return rows.map((row) => row.map(csvCell).join(',')).join('\n') + '\n';
}

export interface StudyReportInput {
  name: string;
  methods: readonly string[];
  seeds: readonly number[];
  /** a line describing the data (e.g. "family recolour ×8, sides 3–4, seed 0") and budget */
  data: string;
  budget: string;
  runs: readonly StudyRunData[];
  runNames: ReadonlyMap<string, string>;
}

const f = (x: number) => (Number.isFinite(x) ? `${(x * 100).toFixed(1)}%` : '—');

export function studyMarkdown(s: StudyReportInput): string {
  const lines: string[] = [];
  lines.push(`# ${s.name}`, '');
  lines.push(`- Methods: ${s.methods.map((m) => m.toUpperCase()).join(', ')}`);
  lines.push(`- Seeds per method: ${s.seeds.length} (${s.seeds.join(', ')})`);
  lines.push(`- Data: ${s.data}`, `- Budget: ${s.budget}`, '');
  lines.push('## Verdict', '', studyVerdict(s.runs, s.methods, 'passAt2'), '');
  lines.push('## Final accuracy (last evaluation of each seed; band = min–max across seeds)', '');
  lines.push('| Method | Seeds evaluated | pass@1 mean | pass@2 mean | pass@2 min–max | pass@2 sd | network calls | wall-clock s |');
  lines.push('|---|---|---|---|---|---|---|---|');
  const p1 = methodOutcomes(s.runs, s.methods, 'passAt1');
  for (const o of methodOutcomes(s.runs, s.methods, 'passAt2')) {
    const a = p1.find((x) => x.method === o.method)!;
    lines.push(`| ${o.method.toUpperCase()} | ${o.finished}/${o.runs} | ${f(a.mean)} | ${f(o.mean)} | ${f(o.min)}–${f(o.max)} | ${f(o.sd)} | ${Number.isFinite(o.calls) ? Math.round(o.calls) : '—'} | ${Number.isFinite(o.wallSec) ? o.wallSec.toFixed(1) : '—'} |`);
  }
  lines.push('', '## Runs', '', '| Run | Method | Seed | Last step | pass@1 | pass@2 |', '|---|---|---|---|---|---|');
  for (const r of s.runs) {
    const last = evalPoints(r).at(-1);
    lines.push(`| ${s.runNames.get(r.runId) ?? r.runId} | ${r.method.toUpperCase()} | ${r.seed} | ${last?.step ?? '—'} | ${last ? f(last.passAt1) : '—'} | ${last ? f(last.passAt2) : '—'} |`);
  }
  return lines.join('\n') + '\n';
}
