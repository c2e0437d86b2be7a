// Request inputs that name paths: a checkpoint folder (evaluateCheckpoint, infer, adapt), an ARC
// file or folder (evaluateCheckpoint) and a run folder outside the lab (exportRunForAuthors). Both are read by the lab only when the user gave them
// (path-grants.ts: a file picked in the app's dialog, or a path the CLI's user named), and every
// refusal says what and where before any engine process starts.
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { parseRunConfig, type RunConfig } from '../../src-shared/method/run-config';
import type { Task } from '../../src-shared/puzzle/types';
import { latestCheckpoint, readCheckpointMeta } from '../engine/checkpoint-io';
import { loadArcPath } from '../engine/data/resolve-source';
import { badRequest } from './errors';
import type { PathGrants } from './path-grants';

/** Augmented versions per test pair when a request does not say (the CLI's default too). */
export const DEFAULT_EVAL_AUGMENTATIONS = 8;

function readable(field: string, p: string, grants: PathGrants): void {
  if (!path.isAbsolute(p)) throw badRequest(`${field} must be an absolute path, got ${JSON.stringify(p)}`, { field: `params.${field}`, file: p });
  if (!grants.allows(p)) {
    throw badRequest(`${field} ${p}: over the lab API only files and folders chosen in the app's own file dialog (or named to the puzzle-lab command line) are read`, {
      field: `params.${field}`,
      file: p,
    });
  }
}

/** A checkpoint folder (one holding manifest.json) the request may read. */
export async function checkpointFolder(dir: string, grants: PathGrants): Promise<string> {
  readable('checkpointDir', dir, grants);
  const manifest = path.join(dir, 'manifest.json');
  const isFile = await stat(manifest).then((s) => s.isFile(), () => false);
  if (!isFile) throw badRequest(`checkpointDir ${dir} is not a checkpoint folder (it has no manifest.json); name a step folder of a run, e.g. ${path.join(dir, 'checkpoints', 'step-…')}`, { field: 'params.checkpointDir', file: dir });
  return dir;
}

/** The tasks of an ARC file or folder the request may read, loaded by the lab's one ARC loader. */
export async function loadTasksPath(p: string, grants: PathGrants): Promise<Task[]> {
  readable('tasksPath', p, grants);
  try {
    return await loadArcPath(p);
  } catch (e) {
    throw badRequest(`tasksPath: ${(e as Error).message}`, { field: 'params.tasksPath', file: p });
  }
}

/** The run config a checkpoint folder records (its canvas rule applies to requests on it), read without tfjs. */
export async function checkpointConfig(dir: string): Promise<RunConfig> {
  try {
    const { meta } = await readCheckpointMeta(dir);
    return parseRunConfig((meta as { config?: unknown } | null)?.config);
  } catch (e) {
    throw badRequest(`checkpointDir ${dir}: ${(e as Error).message}`, { field: 'params.checkpointDir', file: dir });
  }
}

/** A run folder outside the lab the request may read: its config.json and newest valid checkpoint (or null). */
export async function runFolder(dir: string, grants: PathGrants): Promise<{ id: string; config: RunConfig; latest: string | null }> {
  readable('runDir', dir, grants);
  const file = path.join(dir, 'config.json');
  const where = { field: 'params.runDir', file };
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8'));
  } catch (e) {
    throw badRequest(`runDir ${dir} is not a run folder: ${file}: ${(e as Error).message}`, where);
  }
  let config: RunConfig;
  try {
    config = parseRunConfig(raw);
  } catch (e) {
    throw badRequest(`${file}: ${(e as Error).message}`, where);
  }
  return { id: path.basename(dir), config, latest: (await latestCheckpoint(dir))?.path ?? null };
}
