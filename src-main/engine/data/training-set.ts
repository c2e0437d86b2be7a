// Tasks → the encoded training set and evaluation set (docs/method-notes.md#data, #n-queens-and-sudoku).
//
// ARC tasks: every task's demonstration pairs train (its test pairs too with trainOnTestPairs), its
// test pairs evaluate. Each task gets ONE list of versions (augmentTask: version 0 = the original,
// then distinct colour-permutation × dihedral versions), shared by training and evaluation, so a test
// example carries the puzzle id that was learned from the same version's demonstrations (method notes, "Puzzle identifiers"). Ids
// are assigned by first appearance, training examples first, 0 = '<blank>'. Translation (train only)
// moves every example of a version but one by a random offset inside the canvas, the same offset for
// its input and output. Evaluation uses the original and the first `evalAugmentations` augmented
// versions of each test pair, never translated; it is capped at the training versions, since a version
// the model never trained on has an untrained puzzle embedding.
//
// N-Queens and Sudoku (method notes, "N-Queens and Sudoku"): every training puzzle is its own group of one-example versions; N-Queens
// versions are dihedral copies with transform (i−1) mod 8 for copy i = 1..augmentations (8 copies as
// the reference, identity duplicate included), Sudoku versions come from the validity-preserving
// augmentSudoku. Test puzzles are evaluated as they are (the reference does not augment them).
// With blankPuzzleIds every example uses the shared id 0 (the reference's setting for both).
//
// Everything is drawn from Rng(seed): the same tasks and options always give the same sets, which is
// how evaluation and inference rebuild a run's puzzle ids from its config.

import type { DataSource } from '../../../src-shared/method/run-config';
import { getFamily } from '../../../src-shared/generators';
import { augmentSudoku } from '../../../src-shared/generators/sudoku';
import { Rng } from '../../../src-shared/prng';
import { augmentTask, versionName, type TaskVersion } from '../../../src-shared/puzzle/augment';
import { IDENTITY_COLOURS } from '../../../src-shared/puzzle/colours';
import { applyDihedral } from '../../../src-shared/puzzle/dihedral';
import { getEncoding, type Encoding } from '../../../src-shared/puzzle/tokens';
import type { Grid, Task } from '../../../src-shared/puzzle/types';

export interface EncodedExample {
  inputs: Int32Array;
  /** −100 = ignored */
  labels: Int32Array;
  puzzleId: number;
}

export interface TrainingSet {
  encoding: Encoding;
  /** including the blank id 0 */
  numPuzzleIds: number;
  /** index = puzzle id; [0] = '<blank>' */
  versionNames: string[];
  groups: Array<{ taskId: string; versions: Array<{ puzzleId: number; examples: EncodedExample[] }> }>;
  totalExamples: number;
}

export interface EvalExample {
  taskId: string;
  testIndex: number;
  versionName: string;
  dihedral: number;
  colours: number[];
  puzzleId: number;
  inputs: Int32Array;
  labels: Int32Array | null;
}

export interface EvalSet {
  encoding: Encoding;
  examples: EvalExample[];
  tests: Array<{ taskId: string; testIndex: number; input: Grid; output?: Grid }>;
}

export interface DataBuildOptions {
  encoding: Encoding;
  augmentations: number;
  evalAugmentations: number;
  translate: boolean;
  trainOnTestPairs: boolean;
  seed: number;
  /** N-Queens/Sudoku: every id is 0 */
  blankPuzzleIds: boolean;
}

export const BLANK_NAME = '<blank>';

/** The encoding a data source trains with: N-Queens n×n, Sudoku 9×9, otherwise ARC on a canvas×canvas grid. */
export function encodingForSource(source: DataSource, canvas: number): Encoding {
  switch (source.kind) {
    case 'nqueens':
      return getEncoding('nqueens', source.n);
    case 'sudoku':
      return getEncoding('sudoku');
    case 'family': {
      // The built-in families include N-Queens (n = maxSide) and Sudoku as well as ARC-style ones.
      const kind = getFamily(source.family).info.kind;
      if (kind === 'nqueens') return getEncoding('nqueens', source.maxSide);
      if (kind === 'sudoku') return getEncoding('sudoku');
      return getEncoding('arc', canvas);
    }
    default:
      return getEncoding('arc', canvas);
  }
}

/** Whether a source's tasks are constraint boards, trained with one shared puzzle id as the reference does. */
export function usesBlankPuzzleIds(encoding: Encoding): boolean {
  return encoding.kind !== 'arc';
}

function checkOptions(o: DataBuildOptions): void {
  for (const key of ['augmentations', 'evalAugmentations'] as const) {
    const v = o[key];
    if (!Number.isInteger(v) || v < 0) throw new Error(`buildDatasets: ${key} must be a non-negative integer, got ${v}`);
  }
  if (!Number.isInteger(o.seed)) throw new Error(`buildDatasets: seed must be an integer, got ${o.seed}`);
}

function size(g: Grid): string {
  return `${g.length}x${g[0]?.length ?? 0}`;
}

/** Throws a clear error for the first grid of a task that cannot be encoded. */
function checkTaskFits(task: Task, enc: Encoding): void {
  const grids: Array<[string, Grid]> = [];
  task.train.forEach((p, i) => grids.push([`train[${i}].input`, p.input], [`train[${i}].output`, p.output]));
  task.test.forEach((p, i) => {
    grids.push([`test[${i}].input`, p.input]);
    if (p.output !== undefined) grids.push([`test[${i}].output`, p.output]);
  });
  for (const [where, g] of grids) {
    const rows = g.length;
    const cols = g[0]?.length ?? 0;
    if (enc.kind === 'arc') {
      if (rows > enc.side || cols > enc.side) {
        throw new Error(
          `task ${task.id} ${where} is ${size(g)}, larger than the ${enc.side}×${enc.side} canvas (data.canvas = ${enc.side}); ` +
            `raise the canvas to at least ${Math.max(rows, cols)}`,
        );
      }
    } else if (rows !== enc.side || g.some((row) => row.length !== enc.side)) {
      throw new Error(`task ${task.id} ${where} is ${size(g)}, but ${enc.kind} boards here are ${enc.side}x${enc.side}`);
    }
  }
}

function encodePair(enc: Encoding, input: Grid, output: Grid, r: number, c: number, where: string): { inputs: Int32Array; labels: Int32Array } {
  try {
    return { inputs: enc.encodeInput(input, r, c), labels: enc.encodeLabel(output, r, c) };
  } catch (e) {
    throw new Error(`${where}: ${(e as Error).message}`);
  }
}

/**
 * Translation offsets for one version's examples inside a side×side canvas (method notes, "Augmentation"): one random example
 * stays at (0,0); each other gets r ~ U{0..side−max(h_in,h_out)}, c ~ U{0..side−max(w_in,w_out)}.
 */
export function canvasOffsets(pairs: ReadonlyArray<{ input: Grid; output: Grid }>, side: number, rng: Rng): Array<{ r: number; c: number }> {
  if (pairs.length === 0) return [];
  const fixed = rng.int(0, pairs.length - 1);
  return pairs.map((p, i) => {
    if (i === fixed) return { r: 0, c: 0 };
    const h = Math.max(p.input.length, p.output.length);
    const w = Math.max(p.input[0]?.length ?? 0, p.output[0]?.length ?? 0);
    return { r: rng.int(0, side - h), c: rng.int(0, side - w) };
  });
}

/** The pairs of a task version that train. */
function trainingPairs(t: Task, withTests: boolean): Array<{ input: Grid; output: Grid; where: string }> {
  const pairs = t.train.map((p, i) => ({ input: p.input, output: p.output, where: `train[${i}]` }));
  if (withTests) {
    t.test.forEach((p, i) => {
      if (p.output !== undefined) pairs.push({ input: p.input, output: p.output, where: `test[${i}]` });
    });
  }
  return pairs;
}

class PuzzleIds {
  readonly names: string[] = [BLANK_NAME];
  private readonly ids = new Map<string, number>();
  constructor(private readonly blank: boolean) {}

  idFor(name: string): number {
    if (this.blank) return 0;
    let id = this.ids.get(name);
    if (id === undefined) {
      id = this.names.length;
      this.ids.set(name, id);
      this.names.push(name);
    }
    return id;
  }
}

function buildArc(tasks: Task[], o: DataBuildOptions, augRng: Rng, shiftRng: Rng): { train: TrainingSet; eval: EvalSet } {
  const enc = o.encoding;
  const ids = new PuzzleIds(o.blankPuzzleIds);
  const versionsOf: TaskVersion[][] = tasks.map((t) => augmentTask(t, o.augmentations, augRng));
  const groups: TrainingSet['groups'] = [];
  let totalExamples = 0;
  tasks.forEach((task, ti) => {
    const versions: TrainingSet['groups'][number]['versions'] = [];
    for (const v of versionsOf[ti] as TaskVersion[]) {
      const pairs = trainingPairs(v.task, o.trainOnTestPairs);
      if (pairs.length === 0) continue;
      const puzzleId = ids.idFor(v.name);
      const offsets = o.translate ? canvasOffsets(pairs, enc.side, shiftRng) : pairs.map(() => ({ r: 0, c: 0 }));
      const examples = pairs.map((p, i) => {
        const off = offsets[i] as { r: number; c: number };
        return { ...encodePair(enc, p.input, p.output, off.r, off.c, `task ${task.id} version ${v.name} ${p.where}`), puzzleId };
      });
      versions.push({ puzzleId, examples });
      totalExamples += examples.length;
    }
    if (versions.length > 0) groups.push({ taskId: task.id, versions });
  });

  const examples: EvalExample[] = [];
  const tests: EvalSet['tests'] = [];
  tasks.forEach((task, ti) => {
    const all = versionsOf[ti] as TaskVersion[];
    const evalVersions = all.slice(0, 1 + Math.min(o.evalAugmentations, all.length - 1));
    task.test.forEach((orig, testIndex) => {
      tests.push(orig.output === undefined ? { taskId: task.id, testIndex, input: orig.input } : { taskId: task.id, testIndex, input: orig.input, output: orig.output });
      for (const v of evalVersions) {
        const p = v.task.test[testIndex];
        if (p === undefined) throw new Error(`task ${task.id} version ${v.name} lost test[${testIndex}]`);
        const where = `task ${task.id} version ${v.name} test[${testIndex}]`;
        let inputs: Int32Array;
        let labels: Int32Array | null = null;
        try {
          inputs = enc.encodeInput(p.input);
          if (p.output !== undefined) labels = enc.encodeLabel(p.output);
        } catch (e) {
          throw new Error(`${where}: ${(e as Error).message}`);
        }
        examples.push({
          taskId: task.id,
          testIndex,
          versionName: v.name,
          dihedral: v.dihedral,
          colours: [...v.colours],
          puzzleId: ids.idFor(v.name),
          inputs,
          labels,
        });
      }
    });
  });
  return {
    train: { encoding: enc, numPuzzleIds: ids.names.length, versionNames: ids.names, groups, totalExamples },
    eval: { encoding: enc, examples, tests },
  };
}

/** The versions of one constraint board (method notes, "N-Queens and Sudoku"): N-Queens dihedral copies, Sudoku validity-preserving shuffles. */
function boardVersions(enc: Encoding, input: Grid, output: Grid, count: number, rng: Rng, base: string): Array<{ name: string; input: Grid; output: Grid }> {
  const out = [{ name: base, input, output }];
  for (let i = 1; i <= count; i++) {
    if (enc.kind === 'nqueens') {
      const d = (i - 1) % 8;
      out.push({ name: versionName(base, d, IDENTITY_COLOURS), input: applyDihedral(input, d), output: applyDihedral(output, d) });
    } else {
      const a = augmentSudoku(input, output, rng);
      out.push({ name: `${base}|||shuffle${i}`, input: a.puzzle, output: a.solution });
    }
  }
  return out;
}

function buildBoards(tasks: Task[], o: DataBuildOptions, augRng: Rng): { train: TrainingSet; eval: EvalSet } {
  const enc = o.encoding;
  const ids = new PuzzleIds(o.blankPuzzleIds);
  const groups: TrainingSet['groups'] = [];
  let totalExamples = 0;
  for (const task of tasks) {
    for (const p of trainingPairs(task, o.trainOnTestPairs)) {
      const groupId = `${task.id}/${p.where}`;
      const versions = boardVersions(enc, p.input, p.output, o.augmentations, augRng, groupId).map((v) => {
        const puzzleId = ids.idFor(v.name);
        return { puzzleId, examples: [{ ...encodePair(enc, v.input, v.output, 0, 0, `task ${task.id} ${p.where}`), puzzleId }] };
      });
      groups.push({ taskId: groupId, versions });
      totalExamples += versions.length;
    }
  }
  const examples: EvalExample[] = [];
  const tests: EvalSet['tests'] = [];
  for (const task of tasks) {
    task.test.forEach((p, testIndex) => {
      tests.push(p.output === undefined ? { taskId: task.id, testIndex, input: p.input } : { taskId: task.id, testIndex, input: p.input, output: p.output });
      const where = `task ${task.id} test[${testIndex}]`;
      const enc2 = p.output === undefined ? { inputs: enc.encodeInput(p.input), labels: null } : encodePair(enc, p.input, p.output, 0, 0, where);
      const name = `${task.id}/test[${testIndex}]`;
      examples.push({
        taskId: task.id,
        testIndex,
        versionName: name,
        dihedral: 0,
        colours: [...IDENTITY_COLOURS],
        puzzleId: ids.idFor(name),
        inputs: enc2.inputs,
        labels: enc2.labels,
      });
    });
  }
  return {
    train: { encoding: enc, numPuzzleIds: ids.names.length, versionNames: ids.names, groups, totalExamples },
    eval: { encoding: enc, examples, tests },
  };
}

export function buildDatasets(tasks: Task[], o: DataBuildOptions): { train: TrainingSet; eval: EvalSet } {
  checkOptions(o);
  if (tasks.length === 0) throw new Error('buildDatasets: there are no tasks to train on');
  const seen = new Set<string>();
  for (const t of tasks) {
    if (seen.has(t.id)) throw new Error(`buildDatasets: task id ${t.id} appears twice; task ids must be unique`);
    seen.add(t.id);
    checkTaskFits(t, o.encoding);
  }
  // Separate streams, so that switching translation on or off does not change the versions.
  const root = new Rng(o.seed);
  const augRng = root.fork();
  const shiftRng = root.fork();
  const sets = o.encoding.kind === 'arc' ? buildArc(tasks, o, augRng, shiftRng) : buildBoards(tasks, o, augRng);
  if (sets.train.totalExamples === 0) {
    throw new Error(
      `buildDatasets: the ${tasks.length} task(s) have no training pairs` +
        (o.trainOnTestPairs ? '' : ' (their test pairs are held out; set trainOnTestPairs to train on them)'),
    );
  }
  return sets;
}
