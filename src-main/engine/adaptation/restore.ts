// The network and puzzle table that inference uses for an adapted task: the checkpoint's network (its
// EMA weights when it kept them, or the adaptation's fine-tuned weights in 'embedding+network' mode)
// and a table holding only the adapted rows, row i = the adaptation's version i.
import type { CheckpointPayload } from '../checkpoint-io';
import { PuzzleTable } from '../model/puzzle-table';
import type { TrmNet } from '../model/trm';
import { restoreModel, type CheckpointMeta } from '../checkpoint-state';
import type { Adaptation } from './store';

export function restoreAdapted(payload: CheckpointPayload, meta: CheckpointMeta, adaptation: Adaptation, where: string): { net: TrmNet; table: PuzzleTable } {
  const dim = meta.config.model.puzzleEmbDim;
  const versions = adaptation.meta.versions.length;
  if (adaptation.rows.length !== versions * dim) {
    throw new Error(`${adaptation.dir}: the adapted rows are ${adaptation.rows.length / versions} wide, the checkpoint's table ${dim}`);
  }
  let source = payload;
  if (adaptation.params) {
    // Substitute the fine-tuned weights where restoreModel reads the inference weights.
    const prefix = meta.hasEma ? 'ema/' : 'param/';
    const arrays = { ...payload.arrays };
    for (const [name, a] of Object.entries(adaptation.params)) arrays[prefix + name] = a;
    source = { ...payload, arrays };
  }
  const { net } = restoreModel(source, meta, 'ema', where);
  return { net, table: new PuzzleTable(versions, dim, adaptation.rows.slice()) };
}
