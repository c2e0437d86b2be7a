// Reading the authors' dataset folder (format.ts) with every cross-check the loader and evaluator
// rely on: each file present with the dtype and shape its key needs, the CSR tables consistent with
// each other and with dataset.json, every puzzle id inside identifiers.json, every identifier a valid
// version name ("<task>|||t<d>|||<colour map>", parsed as build_arc_dataset.py's inverse_aug does),
// each group holding versions of one task, and each test example's de-augmented input one of its
// task's test inputs in test_puzzles.json. Any defect is an AuthorsDatasetError naming the file and
// the key (or example); nothing is returned half-read.
//
// The token tables stay on disk: the index arrays are read whole, inputs/labels by row ranges, so a
// full ARC-1 folder (3.6 M train examples) opens in well under a second.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { deaugmentGrid, parseVersionName } from '../../../src-shared/puzzle/augment';
import { invertColourMap } from '../../../src-shared/puzzle/colours';
import { DIHEDRAL_INVERSE } from '../../../src-shared/puzzle/dihedral';
import { PuzzleFormatError } from '../../../src-shared/puzzle/errors';
import { gridKey } from '../../../src-shared/puzzle/grid';
import { ARC_SEQ_LEN, ARC_VOCAB, getEncoding } from '../../../src-shared/puzzle/tokens';
import type { EvalSet } from '../../engine/data/training-set';
import type { Grid, Task } from '../../../src-shared/puzzle/types';
import { validateTask } from '../../../src-shared/puzzle/validate';
import { decodeArcCanvas } from './decode';
import {
  BLANK_IDENTIFIER,
  FIELDS,
  IDENTIFIERS_FILE,
  METADATA_FILE,
  npyName,
  SPLITS,
  TEST_PUZZLES_FILE,
  type AuthorsMetadata,
  type FieldName,
  type SplitName,
} from './format';
import { isIntegerDtype, NpyError, NpyFile, toSafeNumbers } from './npy';

/** A defect in an authors' dataset folder: `file` (relative to the folder) and `key` say where. */
export class AuthorsDatasetError extends Error {
  constructor(
    readonly file: string,
    readonly key: string,
    detail: string,
  ) {
    super(`${file}${key === '' ? '' : ` › ${key}`}: ${detail}`);
    this.name = 'AuthorsDatasetError';
  }
}

/** One puzzle id's augmentation, and the transform that undoes it (inverse dihedral, then inverse colours). */
export interface AuthorsVersion {
  puzzleId: number;
  name: string;
  taskId: string;
  dihedral: number;
  colours: number[];
  inverse: { dihedral: number; colours: number[] };
}

export interface AuthorsExample {
  inputs: Uint8Array;
  labels: Uint8Array;
}

export interface AuthorsSplit {
  name: SplitName;
  metadata: AuthorsMetadata;
  /** the one set name (the builder's "all") */
  set: string;
  examples: number;
  puzzleIdentifiers: number[];
  /** CSR offsets: puzzle p holds examples [puzzleIndices[p], puzzleIndices[p+1]) */
  puzzleIndices: number[];
  /** CSR offsets: group g holds puzzles [groupIndices[g], groupIndices[g+1]) */
  groupIndices: number[];
  /** examples [start, start+count), token values checked against the vocabulary */
  readExamples(start: number, count: number): Promise<AuthorsExample[]>;
}

export interface AuthorsDataset {
  folder: string;
  /** 'arc' for the 30×30 ARC layout (900 tokens, vocab 12); 'other' for boards (Sudoku, N-Queens, mazes) */
  kind: 'arc' | 'other';
  seqLen: number;
  vocabSize: number;
  numPuzzleIdentifiers: number;
  identifiers: string[];
  /** index = puzzle id; null for the blank id 0 */
  versions: Array<AuthorsVersion | null>;
  splits: Partial<Record<SplitName, AuthorsSplit>>;
  /** test_puzzles.json: the raw evaluation tasks with their solutions */
  testPuzzles: Task[];
  close(): Promise<void>;
}

function rel(folder: string, file: string): string {
  return path.relative(folder, file).split(path.sep).join('/');
}

async function readJson(folder: string, file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new AuthorsDatasetError(rel(folder, file), '', code === 'ENOENT' ? 'file is missing' : `cannot be read (${code ?? String(e)})`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new AuthorsDatasetError(rel(folder, file), '', `is not valid JSON (${(e as Error).message})`);
  }
}

function parseMetadata(file: string, raw: unknown): AuthorsMetadata {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new AuthorsDatasetError(file, '', 'must be a JSON object (PuzzleDatasetMetadata)');
  const o = raw as Record<string, unknown>;
  const int = (key: string, min: number): number => {
    const v = o[key];
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min) throw new AuthorsDatasetError(file, key, `must be an integer ≥ ${min}, got ${JSON.stringify(v)}`);
    return v;
  };
  const ignore = o['ignore_label_id'];
  if (ignore !== null && (typeof ignore !== 'number' || !Number.isInteger(ignore))) {
    throw new AuthorsDatasetError(file, 'ignore_label_id', `must be an integer or null, got ${JSON.stringify(ignore)}`);
  }
  const sets = o['sets'];
  if (!Array.isArray(sets) || sets.length === 0 || !sets.every((s) => typeof s === 'string' && /^[A-Za-z0-9_.-]+$/.test(s))) {
    throw new AuthorsDatasetError(file, 'sets', `must be a non-empty list of set names, got ${JSON.stringify(sets)}`);
  }
  if (sets.length !== 1) throw new AuthorsDatasetError(file, 'sets', `holds ${sets.length} sets (${sets.join(', ')}); the lab reads folders with one set, as every builder writes`);
  const mean = o['mean_puzzle_examples'];
  if (typeof mean !== 'number' || !Number.isFinite(mean) || mean < 0) throw new AuthorsDatasetError(file, 'mean_puzzle_examples', `must be a number ≥ 0, got ${JSON.stringify(mean)}`);
  const m: AuthorsMetadata = {
    seq_len: int('seq_len', 1),
    vocab_size: int('vocab_size', 1),
    pad_id: int('pad_id', 0),
    ignore_label_id: ignore as number | null,
    blank_identifier_id: int('blank_identifier_id', 0),
    num_puzzle_identifiers: int('num_puzzle_identifiers', 1),
    total_groups: int('total_groups', 0),
    mean_puzzle_examples: mean,
    total_puzzles: o['total_puzzles'] === undefined ? -1 : int('total_puzzles', 0),
    sets: sets as string[],
  };
  if (m.vocab_size > 256) throw new AuthorsDatasetError(file, 'vocab_size', `${m.vocab_size} tokens do not fit the builder's uint8 tables`);
  return m;
}

function checkCsr(file: string, what: string, offsets: number[], last: number, lastWhat: string): void {
  if (offsets[0] !== 0) throw new AuthorsDatasetError(file, '[0]', `${what} offsets must start at 0, got ${offsets[0]}`);
  for (let i = 1; i < offsets.length; i++) {
    if ((offsets[i] as number) < (offsets[i - 1] as number)) {
      throw new AuthorsDatasetError(file, `[${i}]`, `${what} offsets must not decrease (${offsets[i - 1]} then ${offsets[i]})`);
    }
  }
  if (offsets[offsets.length - 1] !== last) {
    throw new AuthorsDatasetError(file, `[${offsets.length - 1}]`, `the last offset must equal ${lastWhat} (${last}), got ${offsets[offsets.length - 1]}`);
  }
}

async function openField(folder: string, dir: string, set: string, field: FieldName): Promise<NpyFile> {
  const file = path.join(dir, npyName(set, field));
  try {
    const f = await NpyFile.open(file);
    if (!isIntegerDtype(f.dtype)) {
      await f.close();
      throw new AuthorsDatasetError(rel(folder, file), 'dtype', `must be an integer type (the builder writes ${field === 'inputs' || field === 'labels' ? 'uint8' : 'int32'}), got ${f.dtype}`);
    }
    return f;
  } catch (e) {
    if (e instanceof NpyError) throw new AuthorsDatasetError(rel(folder, file), '', e.message.slice(e.file.length + 2));
    throw e;
  }
}

async function readIndex(folder: string, f: NpyFile): Promise<number[]> {
  if (f.shape.length !== 1) throw new AuthorsDatasetError(rel(folder, f.file), 'shape', `must be 1-D, got (${f.shape.join(', ')})`);
  try {
    return toSafeNumbers(f.file, await f.readAll());
  } catch (e) {
    if (e instanceof NpyError) throw new AuthorsDatasetError(rel(folder, f.file), '', e.message.slice(e.file.length + 2));
    throw e;
  }
}

async function openSplit(folder: string, name: SplitName, numIds: number): Promise<{ split: AuthorsSplit; close: () => Promise<void> }> {
  const dir = path.join(folder, name);
  const metaFile = `${name}/${METADATA_FILE}`;
  const metadata = parseMetadata(metaFile, await readJson(folder, path.join(dir, METADATA_FILE)));
  const set = metadata.sets[0] as string;
  const opened: Partial<Record<FieldName, NpyFile>> = {};
  const closeAll = async () => {
    for (const f of Object.values(opened)) await f.close();
  };
  try {
    for (const field of FIELDS) opened[field] = await openField(folder, dir, set, field);
    const inputs = opened.inputs as NpyFile;
    const labels = opened.labels as NpyFile;
    const inFile = rel(folder, inputs.file);
    if (inputs.shape.length !== 2 || inputs.shape[1] !== metadata.seq_len) {
      throw new AuthorsDatasetError(inFile, 'shape', `must be (examples, ${metadata.seq_len}) as ${metaFile} seq_len says, got (${inputs.shape.join(', ')})`);
    }
    if (labels.shape.length !== 2 || labels.shape[0] !== inputs.shape[0] || labels.shape[1] !== inputs.shape[1]) {
      throw new AuthorsDatasetError(rel(folder, labels.file), 'shape', `must equal the inputs' shape (${inputs.shape.join(', ')}), got (${labels.shape.join(', ')})`);
    }
    const examples = inputs.shape[0] as number;
    const puzzleIndices = await readIndex(folder, opened.puzzle_indices as NpyFile);
    const puzzleIdentifiers = await readIndex(folder, opened.puzzle_identifiers as NpyFile);
    const groupIndices = await readIndex(folder, opened.group_indices as NpyFile);
    const piFile = rel(folder, (opened.puzzle_indices as NpyFile).file);
    const idFile = rel(folder, (opened.puzzle_identifiers as NpyFile).file);
    const giFile = rel(folder, (opened.group_indices as NpyFile).file);
    if (puzzleIndices.length < 1) throw new AuthorsDatasetError(piFile, 'shape', 'must hold at least the leading 0');
    const puzzles = puzzleIndices.length - 1;
    checkCsr(piFile, 'puzzle', puzzleIndices, examples, `the number of examples in ${inFile}`);
    if (puzzleIdentifiers.length !== puzzles) {
      throw new AuthorsDatasetError(idFile, 'shape', `must hold one identifier per puzzle (${puzzles}, from ${piFile}), got ${puzzleIdentifiers.length}`);
    }
    puzzleIdentifiers.forEach((id, p) => {
      if (id < 0 || id >= numIds) throw new AuthorsDatasetError(idFile, `[${p}]`, `puzzle id ${id} is outside identifiers.json (${numIds} identifiers)`);
    });
    if (groupIndices.length < 1) throw new AuthorsDatasetError(giFile, 'shape', 'must hold at least the leading 0');
    checkCsr(giFile, 'group', groupIndices, puzzles, `the number of puzzles in ${piFile}`);
    if (metadata.total_puzzles !== -1 && metadata.total_puzzles !== puzzles) {
      throw new AuthorsDatasetError(metaFile, 'total_puzzles', `says ${metadata.total_puzzles}, but ${piFile} holds ${puzzles} puzzles`);
    }
    if (metadata.total_puzzles === -1) metadata.total_puzzles = puzzles;
    if (metadata.total_groups !== groupIndices.length - 1) {
      throw new AuthorsDatasetError(metaFile, 'total_groups', `says ${metadata.total_groups}, but ${giFile} holds ${groupIndices.length - 1} groups`);
    }
    if (metadata.num_puzzle_identifiers !== numIds) {
      throw new AuthorsDatasetError(metaFile, 'num_puzzle_identifiers', `says ${metadata.num_puzzle_identifiers}, but ${IDENTIFIERS_FILE} lists ${numIds} identifiers`);
    }
    const vocab = metadata.vocab_size;
    const readExamples = async (start: number, count: number): Promise<AuthorsExample[]> => {
      const seq = metadata.seq_len;
      const chunks: Uint8Array[] = [];
      for (const f of [inputs, labels]) {
        const data = await f.readRows(start, count);
        const bytes = new Uint8Array(data.length);
        for (let i = 0; i < data.length; i++) {
          const t = Number(data[i]);
          if (t < 0 || t >= vocab) {
            const row = start + Math.floor(i / seq);
            throw new AuthorsDatasetError(rel(folder, f.file), `example ${row}, position ${i % seq}`, `token ${t} is outside the vocabulary (vocab_size ${vocab})`);
          }
          bytes[i] = t;
        }
        chunks.push(bytes);
      }
      const [ins, labs] = chunks as [Uint8Array, Uint8Array];
      return Array.from({ length: count }, (_, k) => ({ inputs: ins.subarray(k * seq, (k + 1) * seq), labels: labs.subarray(k * seq, (k + 1) * seq) }));
    };
    return { split: { name, metadata, set, examples, puzzleIdentifiers, puzzleIndices, groupIndices, readExamples }, close: closeAll };
  } catch (e) {
    await closeAll();
    throw e;
  }
}

function parseIdentifiers(raw: unknown, withNames: boolean): { identifiers: string[]; versions: Array<AuthorsVersion | null> } {
  if (!Array.isArray(raw) || raw.length === 0) throw new AuthorsDatasetError(IDENTIFIERS_FILE, '', 'must be a non-empty JSON list of identifier names');
  const identifiers: string[] = [];
  const versions: Array<AuthorsVersion | null> = [];
  const seen = new Map<string, number>();
  raw.forEach((name, i) => {
    if (typeof name !== 'string') throw new AuthorsDatasetError(IDENTIFIERS_FILE, `[${i}]`, `must be a string, got ${JSON.stringify(name)}`);
    identifiers.push(name);
    if (i === 0) {
      if (name !== BLANK_IDENTIFIER) throw new AuthorsDatasetError(IDENTIFIERS_FILE, '[0]', `must be "${BLANK_IDENTIFIER}" (id 0 is the blank puzzle), got ${JSON.stringify(name)}`);
      versions.push(null);
      return;
    }
    // With puzzle_identifiers_start > 1 (several datasets merged) the builder leaves "<blank>" at the skipped ids.
    if (name === BLANK_IDENTIFIER) {
      versions.push(null);
      return;
    }
    const prev = seen.get(name);
    if (prev !== undefined) throw new AuthorsDatasetError(IDENTIFIERS_FILE, `[${i}]`, `"${name}" already is identifier ${prev}`);
    seen.set(name, i);
    if (!withNames) {
      versions.push(null);
      return;
    }
    let parsed;
    try {
      parsed = parseVersionName(name);
    } catch (e) {
      throw new AuthorsDatasetError(IDENTIFIERS_FILE, `[${i}]`, (e as Error).message);
    }
    versions.push({
      puzzleId: i,
      name,
      taskId: parsed.taskId,
      dihedral: parsed.dihedral,
      colours: parsed.colours,
      inverse: { dihedral: DIHEDRAL_INVERSE[parsed.dihedral] as number, colours: invertColourMap(parsed.colours) },
    });
  });
  return { identifiers, versions };
}

function parseTestPuzzles(raw: unknown): Task[] {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new AuthorsDatasetError(TEST_PUZZLES_FILE, '', 'must be a JSON object {task id: task}');
  const out: Task[] = [];
  for (const [id, value] of Object.entries(raw as Record<string, unknown>)) {
    try {
      out.push(validateTask(value, { taskId: id }));
    } catch (e) {
      if (e instanceof PuzzleFormatError) throw new AuthorsDatasetError(TEST_PUZZLES_FILE, id, e.message);
      throw e;
    }
  }
  return out;
}

/** Each group must hold versions of one task, as the builder writes them (group = task). */
function checkGroups(split: AuthorsSplit, versions: Array<AuthorsVersion | null>): void {
  const giFile = `${split.name}/${npyName(split.set, 'group_indices')}`;
  for (let g = 0; g + 1 < split.groupIndices.length; g++) {
    let task: string | null = null;
    for (let p = split.groupIndices[g] as number; p < (split.groupIndices[g + 1] as number); p++) {
      const id = split.puzzleIdentifiers[p] as number;
      const v = versions[id];
      if (v === null || v === undefined) {
        throw new AuthorsDatasetError(`${split.name}/${npyName(split.set, 'puzzle_identifiers')}`, `[${p}]`, `identifier ${id} is "${BLANK_IDENTIFIER}", which marks no puzzle in an ARC dataset`);
      }
      if (task === null) task = v.taskId;
      else if (v.taskId !== task) {
        throw new AuthorsDatasetError(giFile, `group ${g}`, `mixes versions of task ${task} and task ${v.taskId} (puzzle ${p}, identifier ${id} "${v.name}"); identifiers.json does not match the table`);
      }
    }
  }
}

/**
 * identifiers.json; a board dataset (every puzzle the blank id, num_puzzle_identifiers 1 in
 * train/dataset.json) may come without one, and then it is just ["<blank>"].
 */
async function readIdentifiers(root: string): Promise<unknown> {
  try {
    return await readJson(root, path.join(root, IDENTIFIERS_FILE));
  } catch (e) {
    if (!(e instanceof AuthorsDatasetError) || !e.message.endsWith('file is missing')) throw e;
    let meta: unknown;
    try {
      meta = await readJson(root, path.join(root, 'train', METADATA_FILE));
    } catch {
      throw e;
    }
    if (typeof meta === 'object' && meta !== null && (meta as Record<string, unknown>)['num_puzzle_identifiers'] === 1) return [BLANK_IDENTIFIER];
    throw e;
  }
}

/** Opens and cross-checks an authors' dataset folder (build_arc_dataset.py output or any builder's). */
export async function readAuthorsDataset(folder: string): Promise<AuthorsDataset> {
  const root = path.resolve(folder);
  const rawIds = await readIdentifiers(root);
  const closers: Array<() => Promise<void>> = [];
  const closeAll = async () => {
    for (const c of closers) await c();
  };
  try {
    const count = Array.isArray(rawIds) ? rawIds.length : 0;
    const splits: Partial<Record<SplitName, AuthorsSplit>> = {};
    for (const name of SPLITS) {
      const { split, close } = await openSplit(root, name, count);
      closers.push(close);
      splits[name] = split;
    }
    const train = splits.train as AuthorsSplit;
    const test = splits.test as AuthorsSplit;
    for (const key of ['seq_len', 'vocab_size', 'pad_id', 'ignore_label_id', 'blank_identifier_id'] as const) {
      if (train.metadata[key] !== test.metadata[key]) {
        throw new AuthorsDatasetError(`test/${METADATA_FILE}`, key, `is ${test.metadata[key]} but train/${METADATA_FILE} says ${train.metadata[key]}; the two splits must agree`);
      }
    }
    const seqLen = train.metadata.seq_len;
    const vocabSize = train.metadata.vocab_size;
    const kind = seqLen === ARC_SEQ_LEN && vocabSize === ARC_VOCAB ? 'arc' : 'other';
    // Boards train with the one blank id; then identifiers.json is just ["<blank>"].
    const { identifiers, versions } = parseIdentifiers(rawIds, kind === 'arc' && count > 1);
    if (kind === 'arc' && count > 1) {
      checkGroups(train, versions);
      checkGroups(test, versions);
    }
    const testPuzzles = kind === 'arc' ? parseTestPuzzles(await readJson(root, path.join(root, TEST_PUZZLES_FILE))) : [];
    if (kind === 'arc' && count > 1) {
      const inTest = new Set<string>();
      for (const id of test.puzzleIdentifiers) inTest.add((versions[id] as AuthorsVersion).taskId);
      for (const t of testPuzzles) {
        if (!inTest.has(t.id)) throw new AuthorsDatasetError(TEST_PUZZLES_FILE, t.id, 'this task has no versions in the test split (test/ puzzle identifiers); the files do not belong together');
      }
    }
    return { folder: root, kind, seqLen, vocabSize, numPuzzleIdentifiers: count, identifiers, versions, splits, testPuzzles, close: closeAll };
  } catch (e) {
    await closeAll();
    throw e;
  }
}

/** One test-split example, as the lab's evaluation and vote view use it. */
export interface AuthorsEvalExample {
  taskId: string;
  /** which test input of the task (matched by the de-augmented input, as the evaluator hashes it) */
  testIndex: number;
  versionName: string;
  dihedral: number;
  colours: number[];
  puzzleId: number;
  /** the example's row in test/<set>__inputs.npy */
  row: number;
  inputs: Int32Array;
  /** −100 where the loss ignores (label PAD), as the loader's collate does */
  labels: Int32Array;
}

function toInputs(a: Uint8Array): Int32Array {
  return Int32Array.from(a);
}

function toLabels(a: Uint8Array, ignore: number | null): Int32Array {
  const out = Int32Array.from(a);
  if (ignore !== null) for (let i = 0; i < out.length; i++) if (out[i] === ignore) out[i] = -100;
  return out;
}

/**
 * The test split as evaluation examples, every version with its puzzle id and transform; testIndex
 * comes from matching the cropped, de-augmented input against test_puzzles.json (an example whose
 * input matches none means identifiers.json does not describe the table, and is an error).
 * `taskIds` limits it to some tasks (read only their rows).
 */
export async function authorsEvalExamples(ds: AuthorsDataset, taskIds?: ReadonlySet<string>): Promise<AuthorsEvalExample[]> {
  const out: AuthorsEvalExample[] = [];
  await forEachTestExample(ds, taskIds, (e) => void out.push(e));
  return out;
}

/**
 * Checks that identifiers.json describes the test split: every test example, undone with its
 * identifier's transform, is a test input of its task (what the evaluator relies on to vote).
 * Streams group by group, keeping nothing; returns the number of examples checked.
 */
export async function verifyTestSplit(ds: AuthorsDataset): Promise<number> {
  let n = 0;
  await forEachTestExample(ds, undefined, () => void n++);
  return n;
}

async function forEachTestExample(ds: AuthorsDataset, taskIds: ReadonlySet<string> | undefined, visit: (e: AuthorsEvalExample) => void): Promise<void> {
  if (ds.kind !== 'arc') throw new Error(`${ds.folder}: only ARC datasets (900 tokens, vocab 12) have per-task evaluation examples`);
  const test = ds.splits.test as AuthorsSplit;
  const inFile = `test/${npyName(test.set, 'inputs')}`;
  const byTask = new Map(ds.testPuzzles.map((t) => [t.id, new Map(t.test.map((p, i) => [gridKey(p.input), i]))]));
  for (let g = 0; g + 1 < test.groupIndices.length; g++) {
    const p0 = test.groupIndices[g] as number;
    const p1 = test.groupIndices[g + 1] as number;
    if (p0 === p1) continue;
    const first = ds.versions[test.puzzleIdentifiers[p0] as number];
    if (first === null || first === undefined) continue;
    if (taskIds !== undefined && !taskIds.has(first.taskId)) continue;
    const inputsOf = byTask.get(first.taskId);
    if (inputsOf === undefined) throw new AuthorsDatasetError(TEST_PUZZLES_FILE, first.taskId, `is missing, but the test split evaluates this task (group ${g})`);
    const e0 = test.puzzleIndices[p0] as number;
    const rows = await test.readExamples(e0, (test.puzzleIndices[p1] as number) - e0);
    for (let p = p0; p < p1; p++) {
      const v = ds.versions[test.puzzleIdentifiers[p] as number] as AuthorsVersion;
      for (let e = test.puzzleIndices[p] as number; e < (test.puzzleIndices[p + 1] as number); e++) {
        const ex = rows[e - e0] as AuthorsExample;
        const grid = decodeArcCanvas(ex.inputs);
        if (grid === null) throw new AuthorsDatasetError(inFile, `example ${e}`, 'holds no grid (no colour tokens)');
        const original = deaugmentGrid(grid, v);
        const testIndex = inputsOf.get(gridKey(original));
        if (testIndex === undefined) {
          throw new AuthorsDatasetError(
            inFile,
            `example ${e}`,
            `undone with "${v.name}" (identifier ${v.puzzleId}) it matches no test input of task ${v.taskId} in ${TEST_PUZZLES_FILE}; identifiers.json does not match the table`,
          );
        }
        visit({
          taskId: v.taskId,
          testIndex,
          versionName: v.name,
          dihedral: v.dihedral,
          colours: [...v.colours],
          puzzleId: v.puzzleId,
          row: e,
          inputs: toInputs(ex.inputs),
          labels: toLabels(ex.labels, test.metadata.ignore_label_id),
        });
      }
    }
  }
}

/**
 * The test split as the lab's EvalSet (the shape evaluateModel, the vote view and pass@K take): every
 * version of every evaluation task with the puzzle id it has in the authors' embedding table, and
 * the raw test pairs from test_puzzles.json. `ds.identifiers` is the matching versionNames list
 * (index = puzzle id, "<blank>" at 0), as lab checkpoints record it.
 */
export async function authorsEvalSet(ds: AuthorsDataset, taskIds?: ReadonlySet<string>): Promise<EvalSet> {
  const examples = (await authorsEvalExamples(ds, taskIds)).map(({ row: _row, ...e }) => e);
  const tests: EvalSet['tests'] = [];
  for (const t of ds.testPuzzles) {
    if (taskIds !== undefined && !taskIds.has(t.id)) continue;
    t.test.forEach((p, testIndex) => tests.push(p.output === undefined ? { taskId: t.id, testIndex, input: p.input } : { taskId: t.id, testIndex, input: p.input, output: p.output }));
  }
  return { encoding: getEncoding('arc'), examples, tests };
}

/** Tasks recovered from the folder, with where each came from. */
export interface AuthorsTasks {
  tasks: Array<{ task: Task; origin: 'test_puzzles' | 'train-split' }>;
  notes: string[];
}

function decodePair(ex: AuthorsExample, v: AuthorsVersion, file: string, row: number): { input: Grid; output: Grid } {
  const input = decodeArcCanvas(ex.inputs);
  const output = decodeArcCanvas(ex.labels);
  if (input === null) throw new AuthorsDatasetError(file.replace('labels', 'inputs'), `example ${row}`, 'holds no grid (no colour tokens)');
  if (output === null) throw new AuthorsDatasetError(file, `example ${row}`, 'holds no grid (no colour tokens)');
  return { input: deaugmentGrid(input, v), output: deaugmentGrid(output, v) };
}

/**
 * The tasks of an ARC dataset folder: the evaluation tasks exactly as test_puzzles.json holds them,
 * and every other task (the builder's non-evaluation subsets, whose demonstration and test pairs all
 * went to the train split) rebuilt from its first version's examples, de-translated and de-augmented.
 * The builder appends a task's test pairs after its demonstrations, so the last example becomes the
 * test pair; a task with a single example is skipped (noted).
 */
export async function authorsTasks(ds: AuthorsDataset): Promise<AuthorsTasks> {
  if (ds.kind !== 'arc') throw new Error(`${ds.folder}: only ARC datasets (900 tokens, vocab 12) hold tasks the library can show; this one has seq_len ${ds.seqLen}, vocab ${ds.vocabSize}`);
  const tasks: AuthorsTasks['tasks'] = ds.testPuzzles.map((task) => ({ task, origin: 'test_puzzles' as const }));
  const known = new Set(ds.testPuzzles.map((t) => t.id));
  const notes: string[] = [];
  const train = ds.splits.train as AuthorsSplit;
  const labFile = `train/${npyName(train.set, 'labels')}`;
  for (let g = 0; g + 1 < train.groupIndices.length; g++) {
    const p = train.groupIndices[g] as number;
    if (p === train.groupIndices[g + 1]) continue;
    const v = ds.versions[train.puzzleIdentifiers[p] as number] as AuthorsVersion;
    if (known.has(v.taskId)) continue;
    known.add(v.taskId);
    const e0 = train.puzzleIndices[p] as number;
    const n = (train.puzzleIndices[p + 1] as number) - e0;
    if (n < 2) {
      notes.push(`task ${v.taskId} has ${n} example(s) in the train split and no entry in ${TEST_PUZZLES_FILE}; skipped (a task needs a demonstration and a test pair)`);
      continue;
    }
    const pairs = (await train.readExamples(e0, n)).map((ex, k) => decodePair(ex, v, labFile, e0 + k));
    const last = pairs.pop() as { input: Grid; output: Grid };
    tasks.push({ task: { id: v.taskId, train: pairs, test: [last] }, origin: 'train-split' });
  }
  const rebuilt = tasks.filter((t) => t.origin === 'train-split').length;
  if (rebuilt > 0) {
    notes.push(`${rebuilt} task(s) come only from the train split, where the builder merged demonstration and test pairs: each one's last pair is shown as its test pair`);
  }
  return { tasks, notes };
}
