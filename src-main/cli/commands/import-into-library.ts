// The library side of `import-checkpoint`: opens the lab's database in its data folder directly (no
// service: importing needs no engine) and records the run the way the service does
// (service/checkpoint-import.ts). A running lab sees the new run on its next refresh of the run list.
import type { CheckpointOverrides, RunSummary } from '../../../src-shared/api/contract';
import type { PairedDataset } from '../../pipeline/import-checkpoint';
import { CheckpointImports } from '../../service/checkpoint-import';
import { resolveDataDir } from '../../service/data-dir';
import { Library } from '../../service/library';
import { openDb } from '../../service/store/db';
import { runSummary, RunStore } from '../../service/store/run-store';

export async function importIntoLibrary(o: {
  file: string;
  overrides: CheckpointOverrides;
  dataset: PairedDataset | null;
  dataDir: string | undefined;
  pairDataset: string | undefined;
  name: string | undefined;
}): Promise<{ dataDir: string; run: RunSummary }> {
  const dataDir = resolveDataDir(o.dataDir);
  const db = openDb(dataDir);
  try {
    const runs = new RunStore(db);
    const library = new Library(db, () => undefined);
    const summary = (id: string): RunSummary => {
      const row = runs.run(id);
      if (row === null) throw new Error(`run ${id} vanished from the database`);
      return runSummary(row);
    };
    const imports = new CheckpointImports(dataDir, runs, library, summary, () => undefined);
    const run = await imports.import(
      {
        source: { kind: 'path', path: o.file },
        overrides: o.overrides,
        ...(o.name !== undefined ? { name: o.name } : {}),
        ...(o.pairDataset !== undefined ? { pair: { kind: 'dataset' as const, datasetId: o.pairDataset } } : {}),
      },
      o.dataset,
    );
    return { dataDir, run };
  } finally {
    db.close();
  }
}
