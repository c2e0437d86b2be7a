// A checkpoint argument may name a checkpoint folder, a run folder (then its newest valid
// checkpoint), or a run of the lab by id (its folder under the lab's data directory: a run trained
// with `puzzle-lab train` or in the app).

import { stat } from 'node:fs/promises';
import path from 'node:path';
import { latestCheckpoint } from '../../engine/checkpoint-io';
import { resolveDataDir, runsDir } from '../../service/data-dir';
import type { FlagSpec } from '../../command-line/args';
import { UsageError } from '../../command-line/args';

/** The --data-dir flag of commands that take a lab run id. */
export const DATA_DIR_FLAG: FlagSpec = { type: 'string', arg: 'DIR', help: 'the lab whose run ids --checkpoint may name', defaultText: '$PUZZLE_LAB_DATA_DIR or ~/.puzzle-lab' };

/**
 * What a checkpoint argument names: a run of the lab (by id; infer and adapt then go through the lab
 * service, see ../on-checkpoint.ts) or a folder outside it; `checkpoint` is the newest valid
 * checkpoint folder either way.
 */
export type CheckpointTarget = { kind: 'lab'; runId: string; dataDir: string; checkpoint: string } | { kind: 'folder'; checkpoint: string };

export async function resolveCheckpoint(p: string, dataDirFlag?: string): Promise<string> {
  return (await resolveCheckpointTarget(p, dataDirFlag)).checkpoint;
}

export async function resolveCheckpointTarget(p: string, dataDirFlag?: string): Promise<CheckpointTarget> {
  let abs = path.resolve(p);
  try {
    if ((await stat(path.join(abs, 'manifest.json'))).isFile()) return { kind: 'folder', checkpoint: abs };
  } catch {
    // not a checkpoint folder; try it as a run folder
  }
  let lab: { runId: string; dataDir: string } | null = null;
  try {
    await stat(abs);
  } catch {
    const dataDir = resolveDataDir(dataDirFlag);
    const labRun = path.join(runsDir(dataDir), p);
    const isId = /^[A-Za-z0-9._-]+$/.test(p) && !p.startsWith('.');
    if (!isId || !(await stat(labRun).then(() => true, () => false))) {
      throw new UsageError(`checkpoint path ${p} does not exist${isId ? `, and ${path.dirname(labRun)} has no run ${p}` : ''}`);
    }
    abs = labRun;
    lab = { runId: p, dataDir };
  }
  const latest = await latestCheckpoint(abs);
  if (latest === null) throw new UsageError(`${p} is neither a checkpoint folder nor a run folder with a valid checkpoint`);
  return lab !== null ? { kind: 'lab', ...lab, checkpoint: latest.path } : { kind: 'folder', checkpoint: latest.path };
}
