// Task augmentation (docs/method-notes.md#augmentation): each version applies one colour permutation and one dihedral
// transform to every grid of a task; duplicate versions are dropped; names encode the transform so the
// evaluator can undo it. Also the per-pair translation offsets of the train split.

import type { Rng } from '../prng';
import { applyColourMap, IDENTITY_COLOURS, invertColourMap, isColourMap, randomColourMap, type ColourMap } from './colours';
import { applyDihedral, invertDihedral } from './dihedral';
import { gridKey } from './grid';
import { MAX_SIDE, type Grid, type Task } from './types';

/** One version of a task. Version 0 is the original; `task.id` stays the original id in every version. */
export interface TaskVersion {
  /** The puzzle key: the bare task id for the original, else "<taskid>|||t<tid>|||<m0m1...m9>". */
  name: string;
  dihedral: number;
  colours: ColourMap;
  task: Task;
}

/** The transform of a version: colour map first, then dihedral. */
export interface VersionTransform {
  dihedral: number;
  colours: readonly number[];
}

const SEPARATOR = '|||';

export function versionName(taskId: string, dihedral: number, colours: readonly number[]): string {
  return `${taskId}${SEPARATOR}t${dihedral}${SEPARATOR}${colours.join('')}`;
}

/** Reads a version name back; a name without "|||" is an original (identity transform). */
export function parseVersionName(name: string): { taskId: string; dihedral: number; colours: ColourMap } {
  const parts = name.split(SEPARATOR);
  if (parts.length === 1) return { taskId: name, dihedral: 0, colours: [...IDENTITY_COLOURS] };
  if (parts.length !== 3) {
    throw new Error(`version name "${name}" must be "<taskid>|||t<0..7>|||<ten digits>"`);
  }
  const [taskId, t, m] = parts as [string, string, string];
  if (!/^t[0-7]$/.test(t)) throw new Error(`version name "${name}": transform "${t}" must be t0..t7`);
  const colours = /^\d{10}$/.test(m) ? Array.from(m, Number) : [];
  if (!isColourMap(colours)) {
    throw new Error(`version name "${name}": colour map "${m}" must be a permutation of 0..9 starting with 0`);
  }
  return { taskId, dihedral: Number(t.slice(1)), colours };
}

export function augmentGrid(g: Grid, version: VersionTransform): Grid {
  return applyDihedral(applyColourMap(g, version.colours), version.dihedral);
}

/** Undoes augmentGrid: inverse dihedral, then inverse colour map. */
export function deaugmentGrid(g: Grid, version: VersionTransform): Grid {
  return applyColourMap(invertDihedral(g, version.dihedral), invertColourMap(version.colours));
}

function augmentTaskGrids(task: Task, t: VersionTransform): Task {
  return {
    id: task.id,
    train: task.train.map((p) => ({ input: augmentGrid(p.input, t), output: augmentGrid(p.output, t) })),
    test: task.test.map((p) =>
      p.output === undefined
        ? { input: augmentGrid(p.input, t) }
        : { input: augmentGrid(p.input, t), output: augmentGrid(p.output, t) },
    ),
  };
}

/** Content identity of a version: its pairs' "input|output" keys, sorted (pair order does not matter). */
function contentKey(task: Task): string {
  const keys: string[] = [];
  for (const p of task.train) keys.push(`${gridKey(p.input)}|${gridKey(p.output)}`);
  for (const p of task.test) keys.push(`${gridKey(p.input)}|${p.output === undefined ? '' : gridKey(p.output)}`);
  return keys.sort().join('\n');
}

/**
 * The original plus up to `numAug` distinct augmented versions, drawn from `rng` with at most
 * 5 × numAug attempts (tasks with few colours or symmetric grids run out of distinct versions).
 */
export function augmentTask(task: Task, numAug: number, rng: Rng): TaskVersion[] {
  if (!Number.isInteger(numAug) || numAug < 0) throw new Error(`numAug must be a non-negative integer, got ${numAug}`);
  const versions: TaskVersion[] = [{ name: task.id, dihedral: 0, colours: [...IDENTITY_COLOURS], task }];
  const seen = new Set<string>([contentKey(task)]);
  const maxDraws = 5 * numAug;
  for (let draw = 0; draw < maxDraws && versions.length < numAug + 1; draw++) {
    // Same draw order as the reference builder: transform id, then colour permutation.
    const dihedral = rng.int(0, 7);
    const colours = randomColourMap(rng);
    const augmented = augmentTaskGrids(task, { dihedral, colours });
    const key = contentKey(augmented);
    if (seen.has(key)) continue;
    seen.add(key);
    versions.push({ name: versionName(task.id, dihedral, colours), dihedral, colours, task: augmented });
  }
  return versions;
}

/**
 * Translation offsets for one version's pairs: one randomly chosen pair stays at (0,0); each other pair
 * gets r ~ U{0..30−max(h_in,h_out)}, c ~ U{0..30−max(w_in,w_out)}, shared by its input and output.
 */
export function translationOffsets(
  pairs: ReadonlyArray<{ input: Grid; output?: Grid }>,
  rng: Rng,
): Array<{ r: number; c: number }> {
  if (pairs.length === 0) return [];
  const fixed = rng.int(0, pairs.length - 1);
  return pairs.map((p, i) => {
    if (i === fixed) return { r: 0, c: 0 };
    const h = Math.max(p.input.length, p.output?.length ?? 0);
    const w = Math.max(p.input[0]?.length ?? 0, p.output?.[0]?.length ?? 0);
    if (h > MAX_SIDE || w > MAX_SIDE) throw new Error(`pair ${i} is ${h}x${w}, larger than the ${MAX_SIDE}×${MAX_SIDE} canvas`);
    return { r: rng.int(0, MAX_SIDE - h), c: rng.int(0, MAX_SIDE - w) };
  });
}
