// The lab writes its exports under its data directory's exports/ (the API names no place to write);
// `--out` moves the finished folder where the user asked, so the folder the command prints is where
// the files are. The paths the lab reported are rewritten to the new place.
import { cp, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { UsageError } from '../command-line/args';

/** Refuses an --out that already exists before any work starts (an export never overwrites). */
export async function checkNewFolder(command: string, out: string): Promise<string> {
  const target = path.resolve(out);
  if (await stat(target).then(() => true, () => false)) throw new UsageError(`puzzle-lab ${command}: --out ${target} already exists; choose a new folder (nothing was written)`);
  return target;
}

function relocate<T>(value: T, from: string, to: string): T {
  if (typeof value === 'string') return (value === from || value.includes(from) ? value.replaceAll(from, to) : value) as T;
  if (Array.isArray(value)) return value.map((x: unknown) => relocate(x, from, to)) as T;
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, x]) => [k, relocate(x, from, to)])) as T;
  return value;
}

/** Moves the exported folder `result.folder` to `target` (copying across file systems). */
export async function moveExport<T extends { folder: string }>(result: T, target: string): Promise<T> {
  const from = result.folder;
  try {
    await rename(from, target);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EXDEV') throw e;
    await cp(from, target, { recursive: true, errorOnExist: true, force: false });
    await rm(from, { recursive: true, force: true });
  }
  return relocate(result, from, target);
}
