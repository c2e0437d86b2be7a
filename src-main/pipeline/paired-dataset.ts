// The seam between the checkpoint import and the authors' dataset folder (issue 11 point 3:
// `build_arc_dataset.py` output with identifiers.json). Reading that folder is the dataset importer's
// job (src-main/pipeline/authors-dataset/, developed on another branch); once merged, this function
// returns its version names (index = puzzle id) and tasks, and `import-checkpoint --dataset` pairs the
// imported run with them (importCheckpoint's `dataset` parameter, see PairedDataset).
import type { PairedDataset } from './import-checkpoint';

export type PairedDatasetReader = (folder: string) => Promise<PairedDataset>;

let reader: PairedDatasetReader | null = null;

/** Registered by the dataset importer (integration point). */
export function registerPairedDatasetReader(r: PairedDatasetReader): void {
  reader = r;
}

export async function readPairedDataset(folder: string): Promise<PairedDataset> {
  if (reader === null) {
    throw new Error(
      `--dataset ${folder}: this build cannot read the authors' dataset folders yet (the dataset importer, src-main/pipeline/authors-dataset/, registers itself here when merged); import without --dataset, then pair the run with library tasks`,
    );
  }
  return reader(folder);
}
