// `import-checkpoint --dataset <folder>`: the authors' dataset folder (`build_arc_dataset.py` output
// with identifiers.json) the checkpoint was trained on. Its identifiers give every puzzle id of the
// checkpoint's table its version name, so lab tasks meet the rows they trained with, and its tasks
// (test_puzzles.json plus the train split's) are the ones the imported run is paired with.
import path from 'node:path';
import { authorsTasks, readAuthorsDataset } from './authors-dataset/read';
import type { PairedDataset } from './import-checkpoint';

export async function readPairedDataset(folder: string): Promise<PairedDataset> {
  const ds = await readAuthorsDataset(folder);
  try {
    const { tasks } = await authorsTasks(ds);
    // identifiers.json lists the version names by puzzle id (`<blank>` at 0), in the lab's naming
    return { identifiersFile: path.join(ds.folder, 'identifiers.json'), versionNames: [...ds.identifiers], tasks: tasks.map((t) => t.task) };
  } finally {
    await ds.close();
  }
}
