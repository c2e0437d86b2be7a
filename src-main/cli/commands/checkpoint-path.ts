// A checkpoint argument may name a checkpoint folder or a run folder (then its newest valid checkpoint).

import { stat } from 'node:fs/promises';
import path from 'node:path';
import { latestCheckpoint } from '../../engine/checkpoint-io';
import { UsageError } from '../args';

export async function resolveCheckpoint(p: string): Promise<string> {
  const abs = path.resolve(p);
  try {
    if ((await stat(path.join(abs, 'manifest.json'))).isFile()) return abs;
  } catch {
    // not a checkpoint folder; try it as a run folder
  }
  try {
    await stat(abs);
  } catch {
    throw new UsageError(`checkpoint path ${p} does not exist`);
  }
  const latest = await latestCheckpoint(abs);
  if (latest === null) throw new UsageError(`${p} is neither a checkpoint folder nor a run folder with a valid checkpoint`);
  return latest.path;
}
