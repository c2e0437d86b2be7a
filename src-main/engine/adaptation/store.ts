// Saved adaptations and the cheap "which embedding does this task get" question.
//
// An adaptation belongs to one checkpoint and one set of demonstrations. It is written atomically
// (checkpoint-io) to <runDir>/adapted/step-<8 digits>-<demonstration fingerprint>/, beside the run's
// checkpoints/ and never inside a checkpoint folder, so the checkpoint stays byte-identical and
// pruning checkpoints never touches it. Its meta records the checkpoint's manifest sha256: when the
// checkpoint of that step is rewritten (a resumed run), the old adaptation no longer applies.
// Arrays: puzzle_rows [versions × puzzleEmbDim] (row i = versions[i], the original first) and, in
// 'embedding+network' mode, param/<name> for the fine-tuned network.
import { readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { AdaptationInfo, EmbeddingStatus, TaskClassification } from '../../../src-shared/method/protocol';
import type { Task } from '../../../src-shared/puzzle/types';
import { readCheckpoint, readCheckpointMeta, stepDirName, writeCheckpointAt, type CheckpointPayload } from '../checkpoint-io';
import { usesBlankPuzzleIds } from '../data/training-set';
import { encodingOf, gridFingerprint, parseMeta, taskFingerprint, type CheckpointMeta } from '../checkpoint-state';
import { pathExists } from '../fs';

export const ADAPTATION_FORMAT = 'puzzle-lab-adaptation/1';
export const ADAPTED_DIR = 'adapted';

/** The settings an adaptation ran with; a request with the same settings reuses it. */
export interface AdaptSettings {
  mode: 'embedding' | 'embedding+network';
  optimizer: 'sign-sgd' | 'adam';
  steps: number;
  networkSteps: number;
  lr: number;
  weightDecay: number;
  batchSize: number;
  seed: number;
}

export interface AdaptedVersion {
  /** the version's name as the run's data pipeline would give it */
  name: string;
  dihedral: number;
  colours: number[];
}

export interface AdaptationMeta {
  format: typeof ADAPTATION_FORMAT;
  checkpoint: { step: number; sha256: string };
  taskId: string;
  fingerprint: string;
  method: 'trm' | 'dis';
  settings: AdaptSettings;
  versions: AdaptedVersion[];
  /** loss of every optimizer step, as the adaptation ran */
  losses: number[];
  demoExact: number;
  createdAt: string;
}

export interface Adaptation {
  dir: string;
  meta: AdaptationMeta;
  /** [versions × dim] */
  rows: Float32Array;
  /** fine-tuned network weights ('embedding+network'), by parameter name */
  params: Record<string, Float32Array> | null;
}

/** Where a checkpoint's adaptations live: <runDir>/adapted for runDir/checkpoints/step-N, else a sibling folder. */
export function adaptedRoot(checkpointDir: string): string {
  const abs = path.resolve(checkpointDir);
  const parent = path.dirname(abs);
  return path.basename(parent) === 'checkpoints' ? path.join(path.dirname(parent), ADAPTED_DIR) : path.join(parent, ADAPTED_DIR);
}

export function adaptationDir(checkpointDir: string, checkpointStep: number, fingerprint: string): string {
  return path.join(adaptedRoot(checkpointDir), `${stepDirName(checkpointStep)}-${fingerprint}`);
}

export function adaptationInfo(a: { dir: string; meta: AdaptationMeta }): AdaptationInfo {
  const m = a.meta;
  return {
    dir: a.dir,
    checkpointStep: m.checkpoint.step,
    fingerprint: m.fingerprint,
    mode: m.settings.mode,
    optimizer: m.settings.optimizer,
    steps: m.settings.steps,
    networkSteps: m.settings.networkSteps,
    versions: m.versions.length,
    demoExact: m.demoExact,
    createdAt: m.createdAt,
  };
}


function parseAdaptationMeta(raw: unknown, where: string): AdaptationMeta {
  const m = raw as Partial<AdaptationMeta> | null;
  if (!m || typeof m !== 'object' || m.format !== ADAPTATION_FORMAT) throw new Error(`${where}: not a Puzzle Lab adaptation (format ${String(m?.format)})`);
  if (!m.checkpoint || !m.settings || !Array.isArray(m.versions) || m.versions.length === 0 || typeof m.fingerprint !== 'string') {
    throw new Error(`${where}: adaptation meta is incomplete`);
  }
  return m as AdaptationMeta;
}

/**
 * The saved adaptation of these demonstrations for this checkpoint, or null when there is none or it
 * belongs to another checkpoint written at the same step. With `full`, the arrays are read (and their
 * checksums verified); otherwise only the manifest.
 */
export async function findAdaptation(checkpointDir: string, checkpoint: { step: number; sha256: string }, fingerprint: string, full: true): Promise<Adaptation | null>;
export async function findAdaptation(checkpointDir: string, checkpoint: { step: number; sha256: string }, fingerprint: string, full: false): Promise<{ dir: string; meta: AdaptationMeta } | null>;
export async function findAdaptation(
  checkpointDir: string,
  checkpoint: { step: number; sha256: string },
  fingerprint: string,
  full: boolean,
): Promise<Adaptation | { dir: string; meta: AdaptationMeta } | null> {
  const dir = adaptationDir(checkpointDir, checkpoint.step, fingerprint);
  if (!(await pathExists(path.join(dir, 'manifest.json')))) return null;
  const header = await readCheckpointMeta(dir);
  const meta = parseAdaptationMeta(header.meta, dir);
  if (meta.checkpoint.sha256 !== checkpoint.sha256 || meta.fingerprint !== fingerprint) return null;
  if (!full) return { dir, meta };
  const payload = await readCheckpoint(dir);
  const rows = payload.arrays['puzzle_rows'];
  if (!(rows instanceof Float32Array) || rows.length % meta.versions.length !== 0) throw new Error(`${dir}: puzzle_rows is missing or does not hold one row per version`);
  let params: Record<string, Float32Array> | null = null;
  if (meta.settings.mode === 'embedding+network') {
    params = {};
    for (const [name, a] of Object.entries(payload.arrays)) if (name.startsWith('param/') && a instanceof Float32Array) params[name.slice(6)] = a;
    if (Object.keys(params).length === 0) throw new Error(`${dir}: an 'embedding+network' adaptation without network weights`);
  }
  return { dir, meta, rows, params };
}

export async function saveAdaptation(dir: string, meta: AdaptationMeta, rows: Float32Array, params: Record<string, Float32Array> | null): Promise<void> {
  const arrays: CheckpointPayload['arrays'] = { puzzle_rows: rows };
  if (params) for (const [name, a] of Object.entries(params)) arrays[`param/${name}`] = a;
  await writeCheckpointAt(dir, { step: meta.checkpoint.step, meta, arrays });
}

/** Removes leftovers of interrupted adaptation writes older than an hour (never a write in progress). */
export async function cleanAdaptationLeftovers(checkpointDir: string): Promise<void> {
  const root = adaptedRoot(checkpointDir);
  let names: string[];
  try {
    names = await readdir(root);
  } catch {
    return;
  }
  const cutoff = Date.now() - 3600_000;
  for (const n of names) {
    if (!n.startsWith('.tmp-')) continue;
    const p = path.join(root, n);
    try {
      if ((await stat(p)).mtimeMs < cutoff) await rm(p, { recursive: true, force: true });
    } catch {
      // gone already
    }
  }
}

/** How a task relates to a checkpoint's training data (pure: meta only). */
export function trainedRelation(meta: CheckpointMeta, task: Task): { trainedTaskId: string | null; editedTests: number[]; fingerprint: string } {
  const fingerprint = taskFingerprint(task);
  let trainedTaskId: string | null = null;
  if (meta.fingerprints[task.id] === fingerprint) trainedTaskId = task.id;
  else {
    // The same demonstrations under another id (a renamed copy) still have their trained embedding.
    for (const [id, fp] of Object.entries(meta.fingerprints)) {
      if (fp === fingerprint) {
        trainedTaskId = id;
        break;
      }
    }
  }
  const editedTests: number[] = [];
  if (trainedTaskId !== null) {
    const trained = meta.testInputs?.[trainedTaskId];
    // Checkpoints from before test inputs were recorded cannot tell; their test inputs count as trained.
    if (trained) task.test.forEach((p, i) => {
      if (!trained.includes(gridFingerprint(p.input))) editedTests.push(i);
    });
  }
  return { trainedTaskId, editedTests, fingerprint };
}

const MESSAGES: Record<EmbeddingStatus, string> = {
  trained: 'The checkpoint trained on these demonstrations: the model uses the puzzle embedding it learned for them.',
  'trained-edited':
    'The demonstrations were trained, but a test input was edited: the embedding learned from the demonstrations still applies.',
  unseen: 'The checkpoint never trained on these demonstrations: there is no puzzle embedding for them yet (adapt first).',
  adapted: 'The checkpoint never trained on these demonstrations, but puzzle-embedding rows were adapted to them and saved: the model uses those.',
};

/** classifyTask: reads only manifests (the checkpoint's and a saved adaptation's). */
export async function classifyTask(checkpointDir: string, task: Task): Promise<TaskClassification> {
  const header = await readCheckpointMeta(checkpointDir);
  const meta = parseMeta(header.meta, checkpointDir);
  const shared = usesBlankPuzzleIds(encodingOf(meta));
  const rel = trainedRelation(meta, task);
  if (shared) {
    return {
      embedding: rel.trainedTaskId !== null && rel.editedTests.length > 0 ? 'trained-edited' : 'trained',
      trainedTaskId: rel.trainedTaskId,
      editedTests: rel.editedTests,
      sharedEmbedding: true,
      adaptation: null,
      fingerprint: rel.fingerprint,
      message: 'This run uses one shared puzzle vector for every board (N-Queens/Sudoku), so any board is solved with it; there is nothing to adapt.',
    };
  }
  let embedding: EmbeddingStatus;
  let adaptation: AdaptationInfo | null = null;
  if (rel.trainedTaskId !== null) embedding = rel.editedTests.length > 0 ? 'trained-edited' : 'trained';
  else {
    const found = await findAdaptation(checkpointDir, header, rel.fingerprint, false);
    adaptation = found ? adaptationInfo(found) : null;
    embedding = found ? 'adapted' : 'unseen';
  }
  return { embedding, trainedTaskId: rel.trainedTaskId, editedTests: rel.editedTests, sharedEmbedding: false, adaptation, fingerprint: rel.fingerprint, message: MESSAGES[embedding] };
}
