// Reading chosen files/folders for import and writing exports, in the main process (the renderer
// never touches the file system). Plain Node, so it is tested without Electron.
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

/** Writes exported files into `dir` (created if needed); names are bare file names from the service. */
export async function writeExportFiles(dir: string, files: ReadonlyArray<{ name: string; content: string }>): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const written: string[] = [];
  for (const f of files) {
    const name = path.basename(f.name);
    if (name !== f.name || name === '' || name.startsWith('.')) throw new Error(`refusing to write an export file named ${JSON.stringify(f.name)}`);
    const full = path.join(dir, name);
    await writeFile(full, f.content);
    written.push(full);
  }
  return written;
}
