// Opening the lab's library and run folders from the CLI (the same data directory the app and
// `serve` use: --data-dir, then PUZZLE_LAB_DATA_DIR, then ~/.puzzle-lab).
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { parseRunConfig, type RunConfig } from '../../../src-shared/method/run-config';
import type { Task } from '../../../src-shared/puzzle/types';
import { resolveSource } from '../../engine/data/resolve-source';
import { resolveDataDir, runsDir } from '../../service/data-dir';
import { resolveRunTasks } from '../../service/run-data';
import { openDb } from '../../service/store/db';
import { LibraryStore } from '../../service/store/library-store';
import { UsageError } from '../args';

export async function withLibrary<T>(dataDirFlag: string | undefined, fn: (store: LibraryStore, dataDir: string) => Promise<T>): Promise<T> {
  const dataDir = resolveDataDir(dataDirFlag);
  const db = openDb(dataDir);
  try {
    return await fn(new LibraryStore(db), dataDir);
  } finally {
    db.close();
  }
}

/** A library dataset by id, or by its name when exactly one dataset has it. */
export function findDataset(store: LibraryStore, idOrName: string, dataDir: string): { id: string; name: string } {
  const all = store.datasets();
  const byId = all.find((d) => d.id === idOrName);
  if (byId !== undefined) return byId;
  const named = all.filter((d) => d.name === idOrName);
  if (named.length === 1) return named[0] as { id: string; name: string };
  if (named.length > 1) throw new UsageError(`${named.length} library datasets are named "${idOrName}"; give one of their ids: ${named.map((d) => d.id).join(', ')}`);
  const some = all.slice(0, 10).map((d) => `${d.id} (${d.name})`).join(', ');
  throw new UsageError(`no library dataset "${idOrName}" in ${dataDir}${all.length > 0 ? `; it has: ${some}${all.length > 10 ? ', …' : ''}` : ' (the library is empty)'}`);
}

async function isFile(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isFile();
  } catch {
    return false;
  }
}

/** A run folder (holding config.json), or a run id under the data directory's runs/. */
export async function findRun(arg: string, dataDirFlag: string | undefined): Promise<{ runDir: string; config: RunConfig; id: string }> {
  let runDir = path.resolve(arg);
  if (!(await isFile(path.join(runDir, 'config.json')))) {
    const byId = path.join(runsDir(resolveDataDir(dataDirFlag)), arg);
    if (!/^[A-Za-z0-9._-]+$/.test(arg) || !(await isFile(path.join(byId, 'config.json')))) {
      throw new UsageError(`${arg} is neither a run folder (with config.json) nor a run id in ${runsDir(resolveDataDir(dataDirFlag))}`);
    }
    runDir = byId;
  }
  const file = path.join(runDir, 'config.json');
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8'));
  } catch (e) {
    throw new Error(`${file}: ${(e as Error).message}`);
  }
  try {
    return { runDir, config: parseRunConfig(raw), id: path.basename(runDir) };
  } catch (e) {
    throw new Error(`${file}: ${(e as Error).message}`);
  }
}

/** The tasks a run config trains on; library sources are read from the data directory's database. */
export async function runTasks(config: RunConfig, dataDirFlag: string | undefined): Promise<Task[]> {
  const k = config.data.source.kind;
  if (k === 'library' || k === 'dataset') return withLibrary(dataDirFlag, async (store) => resolveRunTasks(config.data.source, store));
  return resolveSource(config.data.source);
}
