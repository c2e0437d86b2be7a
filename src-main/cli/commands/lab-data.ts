// Naming the lab's things from the CLI: a library dataset by id or name, from the lab API's list (the
// CLI reads the lab's data directory only through the lab's API, ../lab.ts).
import type { DatasetSummary } from '../../../src-shared/api/contract';
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
