// A dataset's metadata (its provenance JSON) as labelled fields for the library header: never raw
// JSON, long lists (hundreds of imported file names) as a count with the list folded away.
import type { DatasetSummary } from '../../../../src-shared/api/contract';

export interface MetaField {
  label: string;
  value: string;
  /** a long list, shown folded under `value` (e.g. "400 files") */
  list?: string[];
}

const KIND: Record<DatasetSummary['kind'], string> = { import: 'imported', generated: 'generated', user: 'drawn in the editor' };

function text(v: unknown): string {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return v.map(text).join(', ');
  // nested objects read as "key value · key value", never as JSON braces
  return Object.entries(v as Record<string, unknown>)
    .map(([k, x]) => `${k} ${text(x)}`)
    .join(' · ');
}

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

export function datasetFields(d: Pick<DatasetSummary, 'kind' | 'provenance' | 'taskCount'>): MetaField[] {
  const out: MetaField[] = [
    { label: 'Source', value: KIND[d.kind] },
    { label: 'Tasks', value: String(d.taskCount) },
  ];
  let p: unknown;
  try {
    p = JSON.parse(d.provenance);
  } catch {
    if (d.provenance.trim()) out.push({ label: 'Provenance', value: d.provenance });
    return out;
  }
  if (p === null || typeof p !== 'object' || Array.isArray(p)) return out;
  const rec = p as Record<string, unknown>;
  for (const [key, v] of Object.entries(rec)) {
    if (key === 'authored') continue;
    if (key === 'files' && Array.isArray(v)) {
      const files = v.map(String);
      out.push(files.length <= 3 ? { label: 'Files', value: files.join(', ') } : { label: 'Files', value: plural(files.length, 'file'), list: files });
    } else if (key === 'params' && v && typeof v === 'object') {
      const q = v as Record<string, unknown>;
      if (q['count'] !== undefined) out.push({ label: 'Generated', value: plural(Number(q['count']), 'task') });
      if (q['minSide'] !== undefined) out.push({ label: 'Grid sides', value: q['minSide'] === q['maxSide'] ? String(q['minSide']) : `${text(q['minSide'])}–${text(q['maxSide'])}` });
      if (q['difficulty'] !== undefined) out.push({ label: 'Difficulty', value: text(q['difficulty']) });
    } else if (key === 'seed' && rec['params'] && typeof rec['params'] === 'object' && (rec['params'] as Record<string, unknown>)['seed'] !== undefined) {
      out.push({ label: 'Seed', value: text(v) });
    } else if (Array.isArray(v) && v.length > 3) {
      out.push({ label: label(key), value: plural(v.length, 'item'), list: v.map(text) });
    } else {
      out.push({ label: label(key), value: text(v) });
    }
  }
  return out;
}

/** "numPuzzleIdentifiers" → "Num puzzle identifiers", "authorsDataset" → "Authors dataset". */
function label(key: string): string {
  const words = key.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/[_-]+/g, ' ').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
