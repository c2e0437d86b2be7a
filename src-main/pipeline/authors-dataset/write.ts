// Lab tasks → the authors' dataset folder (format.ts), so their `pretrain.py` /
// `train_arc_tiny_corrupt.py` train on exactly the lab's data. The versions, puzzle ids and
// translations come from the lab's own builder (buildDatasets), which follows build_arc_dataset.py:
// version 0 is the original, then up to `augmentations` distinct dihedral × colour-permutation
// versions (colour 0 fixed, at most 5× as many draws, duplicates dropped), names
// "<task>|||t<d>|||<map>", ids by first appearance over train then test with 0 = "<blank>", and
// translation of the train split only with one example per version left at the origin.
//
// Splits follow the builder's test-set rule for every task: its demonstration pairs go to `train`,
// its test pairs to `test` (all versions, untranslated), and test_puzzles.json holds the raw tasks
// for the evaluator. With trainOnTestPairs the solved test pairs train too (the builder's rule for
// its non-evaluation subsets), and still evaluate.
//
// The folder is written under a temporary name and renamed into place, so a failed export never
// leaves a half-written dataset where the authors' loader would find it.
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { buildDatasets, type EvalSet, type TrainingSet } from '../../engine/data/training-set';
import { getEncoding, IGNORE, type Encoding } from '../../../src-shared/puzzle/tokens';
import type { Grid, Task } from '../../../src-shared/puzzle/types';
import { BLANK_IDENTIFIER, IDENTIFIERS_FILE, METADATA_FILE, npyName, TEST_PUZZLES_FILE, type AuthorsMetadata } from './format';
import { encodeNpy } from './npy';
import { pathExists } from '../../engine/fs';

export interface AuthorsExportOptions {
  /** augmented versions per task besides the original; the builder's default is 1000 */
  augmentations: number;
  /** random translation of the train split (the builder always does it) */
  translate: boolean;
  /** also train on the solved test pairs (the builder's rule for non-evaluation subsets) */
  trainOnTestPairs: boolean;
  seed: number;
  /** 'arc' (30×30 canvas, 900 tokens) unless the tasks are N-Queens/Sudoku boards */
  encoding?: Encoding;
}

/**
 * Examples (both splits) one export may hold. The lab builder keeps every encoded example in memory
 * (≈ 8 KB each), so this bounds an export to a few GB; the full ARC sets (≈ 4 M examples at 1000
 * augmentations) are built with the authors' build_arc_dataset.py from the Kaggle files instead.
 */
export const MAX_EXPORT_EXAMPLES = 400_000;

export const DEFAULT_EXPORT_OPTIONS: AuthorsExportOptions = { augmentations: 1000, translate: true, trainOnTestPairs: false, seed: 42 };

export interface AuthorsExportSummary {
  folder: string;
  tasks: number;
  numPuzzleIdentifiers: number;
  splits: Record<'train' | 'test', { groups: number; puzzles: number; examples: number }>;
  /** things the user should know (unsolved test pairs filled with the builder's dummy, …) */
  notes: string[];
}

interface SplitArrays {
  inputs: Uint8Array;
  labels: Uint8Array;
  puzzleIdentifiers: number[];
  puzzleIndices: number[];
  groupIndices: number[];
  examples: number;
}

/** Token ids as the builder stores them: uint8, with the loss-ignored label positions back to PAD 0. */
function putTokens(dst: Uint8Array, at: number, tokens: Int32Array, isLabel: boolean, where: string): void {
  for (let i = 0; i < tokens.length; i++) {
    let t = tokens[i] as number;
    if (isLabel && t === IGNORE) t = 0;
    if (t < 0 || t > 255) throw new Error(`${where}: token ${t} at position ${i} does not fit uint8`);
    dst[at + i] = t;
  }
}

function trainArrays(train: TrainingSet, seqLen: number): SplitArrays {
  const inputs = new Uint8Array(train.totalExamples * seqLen);
  const labels = new Uint8Array(train.totalExamples * seqLen);
  const puzzleIdentifiers: number[] = [];
  const puzzleIndices = [0];
  const groupIndices = [0];
  let e = 0;
  for (const g of train.groups) {
    for (const v of g.versions) {
      for (const ex of v.examples) {
        putTokens(inputs, e * seqLen, ex.inputs, false, `task ${g.taskId}`);
        putTokens(labels, e * seqLen, ex.labels, true, `task ${g.taskId}`);
        e++;
      }
      puzzleIndices.push(e);
      puzzleIdentifiers.push(v.puzzleId);
    }
    groupIndices.push(puzzleIdentifiers.length);
  }
  return { inputs, labels, puzzleIdentifiers, puzzleIndices, groupIndices, examples: e };
}

/**
 * The test split: per task (group), per version (puzzle, in the versions' order), that version's test
 * pairs in order. A test pair without a known output gets the builder's dummy output [[0]].
 */
function testArrays(evalSet: EvalSet, enc: Encoding, seqLen: number): { arrays: SplitArrays; dummies: number } {
  const byTask = new Map<string, Map<string, typeof evalSet.examples>>();
  for (const ex of evalSet.examples) {
    let versions = byTask.get(ex.taskId);
    if (versions === undefined) byTask.set(ex.taskId, (versions = new Map()));
    let list = versions.get(ex.versionName);
    if (list === undefined) versions.set(ex.versionName, (list = []));
    list.push(ex);
  }
  const inputs = new Uint8Array(evalSet.examples.length * seqLen);
  const labels = new Uint8Array(evalSet.examples.length * seqLen);
  const puzzleIdentifiers: number[] = [];
  const puzzleIndices = [0];
  const groupIndices = [0];
  let e = 0;
  let dummies = 0;
  const dummy = enc.kind === 'arc' ? enc.encodeLabel([[0]]) : null;
  for (const [taskId, versions] of byTask) {
    for (const [name, list] of versions) {
      list.sort((a, b) => a.testIndex - b.testIndex);
      for (const ex of list) {
        const where = `task ${taskId} version ${name} test[${ex.testIndex}]`;
        putTokens(inputs, e * seqLen, ex.inputs, false, where);
        let lab = ex.labels;
        if (lab === null) {
          if (dummy === null) throw new Error(`${where}: the test board has no solution; the authors' format needs one`);
          lab = dummy;
          dummies++;
        }
        putTokens(labels, e * seqLen, lab, true, where);
        e++;
      }
      puzzleIndices.push(e);
      puzzleIdentifiers.push((list[0] as (typeof list)[number]).puzzleId);
    }
    groupIndices.push(puzzleIdentifiers.length);
  }
  return { arrays: { inputs, labels, puzzleIdentifiers, puzzleIndices, groupIndices, examples: e }, dummies };
}

function metadata(enc: Encoding, numIds: number, a: SplitArrays): AuthorsMetadata {
  const puzzles = a.puzzleIdentifiers.length;
  return {
    seq_len: enc.seqLen,
    vocab_size: enc.vocab,
    pad_id: 0,
    ignore_label_id: 0,
    blank_identifier_id: 0,
    num_puzzle_identifiers: numIds,
    total_groups: a.groupIndices.length - 1,
    mean_puzzle_examples: puzzles === 0 ? 0 : a.examples / puzzles,
    total_puzzles: puzzles,
    sets: ['all'],
  };
}

async function writeSplit(dir: string, enc: Encoding, numIds: number, a: SplitArrays): Promise<void> {
  await mkdir(dir, { recursive: true });
  const rows = a.examples;
  await writeFile(path.join(dir, npyName('all', 'inputs')), encodeNpy('uint8', [rows, enc.seqLen], a.inputs));
  await writeFile(path.join(dir, npyName('all', 'labels')), encodeNpy('uint8', [rows, enc.seqLen], a.labels));
  await writeFile(path.join(dir, npyName('all', 'puzzle_identifiers')), encodeNpy('int32', [a.puzzleIdentifiers.length], a.puzzleIdentifiers));
  await writeFile(path.join(dir, npyName('all', 'puzzle_indices')), encodeNpy('int32', [a.puzzleIndices.length], a.puzzleIndices));
  await writeFile(path.join(dir, npyName('all', 'group_indices')), encodeNpy('int32', [a.groupIndices.length], a.groupIndices));
  await writeFile(path.join(dir, METADATA_FILE), JSON.stringify(metadata(enc, numIds, a)));
}

function rawTask(t: Task): { train: Array<{ input: Grid; output: Grid }>; test: Array<{ input: Grid; output: Grid }> } {
  return {
    train: t.train.map((p) => ({ input: p.input, output: p.output })),
    test: t.test.map((p) => ({ input: p.input, output: p.output ?? [[0]] })),
  };
}


/** Writes `tasks` as the authors' dataset folder `folder` (which must not exist yet). */
export async function writeAuthorsDataset(tasks: Task[], folder: string, options: Partial<AuthorsExportOptions> = {}): Promise<AuthorsExportSummary> {
  const o: AuthorsExportOptions = { ...DEFAULT_EXPORT_OPTIONS, ...options };
  const enc = o.encoding ?? getEncoding('arc');
  if (enc.kind === 'arc' && enc.side !== 30) {
    throw new Error(`the authors' ARC pipeline uses a 30×30 canvas (900 tokens); got a ${enc.side}×${enc.side} encoding`);
  }
  const target = path.resolve(folder);
  if (await pathExists(target)) throw new Error(`export folder ${target} already exists; choose a new folder (nothing was written)`);
  const seen = new Set<string>();
  for (const t of tasks) {
    if (t.id.includes('|||')) throw new Error(`task id ${JSON.stringify(t.id)} contains "|||", the authors' version-name separator`);
    if (seen.has(t.id)) throw new Error(`task id ${t.id} appears twice; the authors' identifiers need unique task ids`);
    seen.add(t.id);
  }
  const perVersion = tasks.reduce((n, t) => n + t.train.length + t.test.length * (o.trainOnTestPairs ? 2 : 1), 0);
  const estimate = perVersion * (o.augmentations + 1);
  if (estimate > MAX_EXPORT_EXAMPLES) {
    throw new Error(
      `${tasks.length} task(s) × ${o.augmentations + 1} versions make up to ${estimate} examples, more than one export holds (${MAX_EXPORT_EXAMPLES}); ` +
        `use fewer augmentations (at most ${Math.max(0, Math.floor(MAX_EXPORT_EXAMPLES / Math.max(1, perVersion)) - 1)} here) or export the tasks in parts ` +
        "(for the full ARC sets, run the authors' build_arc_dataset.py on the Kaggle files)",
    );
  }
  const { train, eval: evalSet } = buildDatasets(tasks, {
    encoding: enc,
    augmentations: o.augmentations,
    // The test split holds every version, as the builder's does.
    evalAugmentations: o.augmentations,
    translate: o.translate,
    trainOnTestPairs: o.trainOnTestPairs,
    seed: o.seed,
    blankPuzzleIds: enc.kind !== 'arc',
  });
  const trainA = trainArrays(train, enc.seqLen);
  const { arrays: testA, dummies } = testArrays(evalSet, enc, enc.seqLen);
  const identifiers = [BLANK_IDENTIFIER, ...train.versionNames.slice(1)];

  const notes: string[] = [];
  if (dummies > 0) notes.push(`${dummies} test example(s) have no known output; they carry the builder's dummy output [[0]] and cannot be scored`);
  const unsolved = tasks.filter((t) => t.test.some((p) => p.output === undefined)).length;
  if (unsolved > 0) notes.push(`${unsolved} task(s) have unsolved test inputs; test_puzzles.json holds [[0]] for those outputs as the builder does`);

  const tmp = `${target}.partial-${process.pid}-${Date.now()}`;
  await mkdir(path.dirname(target), { recursive: true });
  try {
    await writeSplit(path.join(tmp, 'train'), enc, identifiers.length, trainA);
    await writeSplit(path.join(tmp, 'test'), enc, identifiers.length, testA);
    await writeFile(path.join(tmp, IDENTIFIERS_FILE), JSON.stringify(identifiers));
    const testPuzzles: Record<string, ReturnType<typeof rawTask>> = {};
    if (enc.kind === 'arc') for (const t of tasks) if (t.test.length > 0) testPuzzles[t.id] = rawTask(t);
    await writeFile(path.join(tmp, TEST_PUZZLES_FILE), JSON.stringify(testPuzzles));
    await rename(tmp, target);
  } catch (e) {
    await rm(tmp, { recursive: true, force: true });
    throw e;
  }
  const count = (a: SplitArrays) => ({ groups: a.groupIndices.length - 1, puzzles: a.puzzleIdentifiers.length, examples: a.examples });
  return { folder: target, tasks: tasks.length, numPuzzleIdentifiers: identifiers.length, splits: { train: count(trainA), test: count(testA) }, notes };
}
