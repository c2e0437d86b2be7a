// Naming the lab's things from the CLI: a library dataset by id or name (from the lab's API's list),
// and a run folder outside the lab (its config.json and the tasks of its data source). The CLI reads
// the lab's data directory only through the lab's API (../lab.ts).
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { DatasetSummary } from '../../../src-shared/api/contract';
import { parseRunConfig, type RunConfig } from '../../../src-shared/method/run-config';
import type { Task } from '../../../src-shared/puzzle/types';
import { resolveSource } from '../../engine/data/resolve-source';
import { UsageError } from '../../command-line/args';

/** A library dataset by id, or by its name when exactly one dataset has it. */
export function findDataset(all: readonly DatasetSummary[], idOrName: string, dataDir: string): DatasetSummary {
  const byId = all.find((d) => d.id === idOrName);
  if (byId !== undefined) return byId;
  const named = all.filter((d) => d.name === idOrName);
  if (named.length === 1) return named[0]!;
  if (named.length > 1) throw new UsageError(`${named.length} library datasets are named "${idOrName}"; give one of their ids: ${named.map((d) => d.id).join(', ')}`);
  const some = all.slice(0, 10).map((d) => `${d.id} (${d.name})`).join(', ');
  throw new UsageError(`no library dataset "${idOrName}" in ${dataDir}${all.length > 0 ? `; it has: ${some}${all.length > 10 ? ', …' : ''}` : ' (the library is empty)'}`);
}

/** A run folder (holding config.json) outside the lab. */
export async function findRun(arg: string): Promise<{ runDir: string; config: RunConfig; id: string }> {
  const runDir = path.resolve(arg);
  const file = path.join(runDir, 'config.json');
  if (!(await stat(file).then((s) => s.isFile(), () => false))) throw new UsageError(`${arg} is not a run folder (with config.json)`);
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

/** The tasks a run folder's config trains on; a library source belongs to a lab, which exports the run by id. */
export async function runTasks(config: RunConfig, runDir: string): Promise<Task[]> {
  const k = config.data.source.kind;
  if (k === 'library' || k === 'dataset') {
    throw new UsageError(`${runDir} trains on the lab library's ${k === 'dataset' ? 'dataset' : 'tasks'}; export it by its run id (puzzle-lab export-run <run-id>), which the lab answers`);
  }
  return resolveSource(config.data.source);
}
