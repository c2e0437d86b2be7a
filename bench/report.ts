// The benchmark report: one JSON with every measurement and a Markdown rendering of its tables.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { MachineInfo } from './machine';

export interface Table {
  title: string;
  /** what was measured and how, in a sentence or two */
  caption: string;
  columns: string[];
  rows: Array<Array<string | number>>;
  notes: string[];
}

export interface BackendReport {
  backend: string;
  available: boolean;
  device?: string;
  versions?: Record<string, string>;
  note?: string;
  tables: Table[];
  /** raw rows of every section, for the JSON */
  raw: Record<string, unknown>;
}

export interface Report {
  command: string;
  level: string;
  startedAt: string;
  finishedAt?: string;
  wallSec?: number;
  machine: MachineInfo;
  backends: BackendReport[];
  summary: Table[];
}

export const fmt = (x: number, digits = 1): string => (Number.isFinite(x) ? x.toFixed(digits) : '—');

function mdTable(t: Table): string {
  const esc = (v: string | number) => String(v).replace(/\|/g, '\\|');
  const lines = [`### ${t.title}`, '', t.caption, '', `| ${t.columns.map(esc).join(' | ')} |`, `|${t.columns.map(() => '---').join('|')}|`];
  for (const r of t.rows) lines.push(`| ${r.map(esc).join(' | ')} |`);
  if (t.rows.length === 0) lines.push(`| ${t.columns.map((_, i) => (i === 0 ? '(nothing measured)' : '')).join(' | ')} |`);
  for (const n of t.notes) lines.push('', `- ${n}`);
  return lines.join('\n');
}

export function renderMarkdown(r: Report): string {
  const m = r.machine;
  const out = [
    `# Puzzle Lab benchmark (${r.level})`,
    '',
    `Command: \`${r.command}\`  `,
    `Started ${r.startedAt}, ${r.wallSec !== undefined ? `${Math.round(r.wallSec)} s` : ''}.  `,
    `Machine: ${m.cpu}, ${m.cores} logical cores, ${m.memGiB} GiB RAM, ${m.platform}; Node ${m.node}, tfjs ${m.tfjs}.  `,
    `Load average at start ${m.loadAvgStart.join(' / ')}${m.loadAvgEnd ? `, at end ${m.loadAvgEnd.join(' / ')}` : ''} (1/5/15 min): on a shared machine every figure is a median of repeated runs, and each efficiency ratio compares with a plain-matMul measurement taken in the same run just before.`,
    '',
  ];
  if (r.summary.length) {
    out.push('## Summary', '');
    for (const t of r.summary) out.push(mdTable(t), '');
  }
  for (const b of r.backends) {
    out.push(`## Backend: ${b.backend}`, '');
    if (!b.available) {
      out.push(`Not measured: ${b.note ?? 'unavailable'}.`, '');
      continue;
    }
    out.push(`${b.device ?? ''}; versions ${JSON.stringify(b.versions ?? {})}.${b.note ? ` ${b.note}` : ''}`, '');
    for (const t of b.tables) out.push(mdTable(t), '');
  }
  return out.join('\n');
}

export async function writeReport(r: Report, outDir: string): Promise<{ json: string; md: string; latest: string }> {
  await mkdir(outDir, { recursive: true });
  const date = r.startedAt.replace(/[:]/g, '-').replace(/\..*$/, '');
  const names = r.backends.filter((b) => b.available).map((b) => b.backend.replace(' (software adapter)', '-software')).join('+') || 'none';
  const base = path.join(outDir, `${date}-${names}`);
  const md = renderMarkdown(r);
  await writeFile(`${base}.json`, JSON.stringify(r, null, 2) + '\n');
  await writeFile(`${base}.md`, md + '\n');
  const latest = path.join(outDir, 'latest.md');
  await writeFile(latest, md + '\n');
  return { json: `${base}.json`, md: `${base}.md`, latest };
}
