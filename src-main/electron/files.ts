// Reading chosen files/folders for import and writing exports, in the main process (the renderer
// never touches the file system). Plain Node, so it is tested without Electron.
import { existsSync } from 'node:fs';
import { readdir, readFile, stat, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { MAX_REQUEST_BYTES } from '../../src-shared/api/wire';

/** Every .json file under the chosen paths (folders recursively), named relative to what was chosen. */
export async function readImportFiles(paths: readonly string[]): Promise<Array<{ name: string; content: string }>> {
  const out: Array<{ name: string; content: string }> = [];
  let total = 0;
  const add = async (full: string, name: string) => {
    const st = await stat(full);
    total += st.size;
    if (total > MAX_REQUEST_BYTES) throw new Error(`the chosen files are larger than ${MAX_REQUEST_BYTES / 2 ** 20} MB together; import them in parts`);
    out.push({ name, content: await readFile(full, 'utf8') });
  };
  const walk = async (dir: string, prefix: string): Promise<void> => {
    for (const e of (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) await walk(full, `${prefix}${e.name}/`);
      else if (e.isFile() && e.name.toLowerCase().endsWith('.json')) await add(full, `${prefix}${e.name}`);
    }
  };
  for (const p of paths) {
    if ((await stat(p)).isDirectory()) await walk(p, `${path.basename(p)}/`);
    else await add(p, path.basename(p));
  }
  return out;
}

const WINDOWS_RESERVED = /^(con|prn|aux|nul|com\d|lpt\d)$/i;

/**
 * A folder name made from a user's dataset name: letters, digits, space, . _ - only, no leading or
 * trailing dots or spaces (so never "." or ".."), no Windows device name, at most 80 characters.
 */
export function safeFolderName(name: string, fallback: string): string {
  let s = name.replace(/[^A-Za-z0-9._ -]+/g, '_').replace(/^[.\s]+|[.\s]+$/g, '').slice(0, 80).trim();
  if (WINDOWS_RESERVED.test(s)) s = `_${s}`;
  return s === '' || /^_+$/.test(s) ? fallback : s;
}

export interface ExportPlan {
  /** where each file goes, every one inside the chosen folder */
  writes: Array<{ file: string; content: string }>;
  /** those that already exist (written only after the user agrees to replace them) */
  existing: string[];
}

/**
 * Where the export of several datasets goes: one subfolder per dataset, named by safeFolderName (two
 * datasets with the same name get "-2"), each path checked to stay inside `root`.
 */
export function planExport(root: string, sets: ReadonlyArray<{ name: string; id: string; files: ReadonlyArray<{ name: string; content: string }> }>): ExportPlan {
  const base = path.resolve(root);
  const used = new Set<string>();
  const writes: ExportPlan['writes'] = [];
  for (const set of sets) {
    const stem = safeFolderName(set.name, set.id);
    let sub = stem;
    for (let k = 2; used.has(sub.toLowerCase()); k++) sub = `${stem}-${k}`;
    used.add(sub.toLowerCase());
    for (const f of set.files) writes.push({ file: exportPath(base, sub, f.name), content: f.content });
  }
  return { writes, existing: writes.filter((w) => existsSync(w.file)).map((w) => w.file) };
}

function exportPath(root: string, sub: string, name: string): string {
  const bare = path.basename(name);
  if (bare !== name || bare === '' || bare.startsWith('.')) throw new Error(`refusing to write an export file named ${JSON.stringify(name)}`);
  const full = path.resolve(root, sub, bare);
  const rel = path.relative(root, full);
  if (rel.startsWith('..') || path.isAbsolute(rel)) throw new Error(`refusing to write ${JSON.stringify(name)} outside ${root}`);
  return full;
}

/** Carries out a plan; existing files are replaced only with `replace` (after the user said so). */
export async function writeExportPlan(plan: ExportPlan, replace: boolean): Promise<string[]> {
  if (plan.existing.length > 0 && !replace) throw new Error(`${plan.existing.length} file(s) already exist; not replacing them without asking`);
  for (const w of plan.writes) {
    await mkdir(path.dirname(w.file), { recursive: true });
    await writeFile(w.file, w.content, { flag: replace ? 'w' : 'wx' });
  }
  return plan.writes.map((w) => w.file);
}

/** Writes exported files into `dir` (created if needed), never over an existing file. */
export async function writeExportFiles(dir: string, files: ReadonlyArray<{ name: string; content: string }>): Promise<string[]> {
  const writes = files.map((f) => ({ file: exportPath(path.resolve(dir), '.', f.name), content: f.content }));
  return writeExportPlan({ writes, existing: writes.filter((w) => existsSync(w.file)).map((w) => w.file) }, false);
}
