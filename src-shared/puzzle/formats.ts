// Reading and writing the two ARC file formats. Pure functions over text (no file system), so the
// renderer, the service and tests share them:
//   per-task:  "<taskid>.json" = {"train": [{input, output}...], "test": [{input, output?}...]}
//   combined (Kaggle): "<prefix>_challenges.json" = {taskid: task without test outputs, ...} and
//                      "<prefix>_solutions.json"  = {taskid: [test output grid, ...], ...}
// Readers collect one error per bad task and keep going; writers keep key order train/test, input/output.

import { describeValue, PuzzleFormatError, type ErrorLocation } from './errors';
import { gridsEqual } from './grid';
import { idProblem, showId } from './ids';
import { duplicateKeys, type DuplicateKey } from './json-keys';
import type { Grid, Task, TestPair } from './types';
import { isPlainObject, validateSolutions, validateTask } from './validate';

export interface LoadResult {
  tasks: Task[];
  errors: PuzzleFormatError[];
}

const CHALLENGES_SUFFIX = '_challenges.json';
const SOLUTIONS_SUFFIX = '_solutions.json';

/** Largest file the lab reads (the biggest ARC file, ARC-AGI-2 training, is about 4 MB). */
export const MAX_FILE_BYTES = 32 * 1024 * 1024;

interface Parsed {
  value: unknown;
  duplicates: DuplicateKey[];
}

/** "line 3, column 7" for a character offset. */
function lineColumn(text: string, offset: number): string {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      start = i + 1;
    }
  }
  return `line ${line}, column ${offset - start + 1}`;
}

/**
 * Parses a file's text. The error never quotes the file's content (V8's messages do), only where the
 * problem is; UTF-16 text read as UTF-8 is recognised and named.
 */
function parseJson(text: string, file: string): Parsed {
  if (text.length > MAX_FILE_BYTES) {
    throw new PuzzleFormatError({ file }, `file is ${(text.length / 2 ** 20).toFixed(0)} MB; the lab reads files up to ${MAX_FILE_BYTES / 2 ** 20} MB (split it)`);
  }
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  // UTF-16 decoded as UTF-8: a byte-order mark that became two U+FFFD, or NULs between the characters.
  const head = body.slice(0, 64);
  if (/^\uFFFD\uFFFD/.test(head) || head.includes('\u0000')) throw new PuzzleFormatError({ file }, 'file is UTF-16; save it as UTF-8');
  if (body.trim() === '') throw new PuzzleFormatError({ file }, 'file is empty; expected JSON');
  let value: unknown;
  try {
    value = JSON.parse(body) as unknown;
  } catch (e) {
    const m = e instanceof Error ? e.message : '';
    const pos = /position (\d+)/.exec(m);
    const token = /^Unexpected token '(.)'/.exec(m);
    const where =
      pos !== null ? ` at ${lineColumn(body, Number(pos[1]))}`
      : /end of JSON/.test(m) ? ' (it ends too early)'
      : token !== null ? ` (unexpected ${JSON.stringify(token[1])})`
      : '';
    throw new PuzzleFormatError({ file }, `not valid JSON${where}`);
  }
  return { value, duplicates: duplicateKeys(body) };
}

/** The error for a repeated key; JSON would silently keep the last one. */
function duplicateError(d: DuplicateKey, file: string, taskId?: string): PuzzleFormatError {
  if (d.top === null && taskId !== undefined) {
    return new PuzzleFormatError({ file, taskId }, 'task id appears more than once in the file; JSON would keep only the last, so none is loaded');
  }
  const inner = d.top === null ? d.path : d.path.slice(d.top.length + 1);
  const at = inner === '' ? '' : ` in ${inner}`;
  return new PuzzleFormatError({ file, ...(taskId !== undefined && { taskId }) }, `key ${JSON.stringify(d.key)} appears twice${at}; JSON would keep only the last`);
}

/** The task's id checked against the lab's one id rule. */
function checkId(taskId: string, loc: ErrorLocation): void {
  const problem = idProblem(taskId);
  if (problem !== null) throw new PuzzleFormatError({ ...loc, taskId: showId(taskId) }, `task id ${problem}`);
}

function asError(e: unknown): PuzzleFormatError {
  if (e instanceof PuzzleFormatError) return e;
  throw e;
}

/** One task from a per-task JSON file. Throws PuzzleFormatError on the first defect. */
export function parseTaskJson(text: string, file: string, taskId: string): Task {
  const { value, duplicates } = parseJson(text, file);
  checkId(taskId, { file });
  if (duplicates[0] !== undefined) throw duplicateError(duplicates[0], file);
  return validateTask(value, { file, taskId });
}

function parseCombinedValues(
  challenges: unknown,
  solutions: unknown,
  files: { challenges: string; solutions?: string },
  dups: { challenges: DuplicateKey[]; solutions: DuplicateKey[] } = { challenges: [], solutions: [] },
): LoadResult {
  const result: LoadResult = { tasks: [], errors: [] };
  if (!isPlainObject(challenges)) {
    result.errors.push(
      new PuzzleFormatError(
        { file: files.challenges },
        `challenges file must be a JSON object mapping task ids to tasks, got ${describeValue(challenges)}`,
      ),
    );
    return result;
  }
  const solFile = files.solutions ?? 'solutions';
  let sol: Record<string, unknown> | null = null;
  if (solutions !== undefined) {
    if (isPlainObject(solutions)) sol = solutions;
    else {
      result.errors.push(
        new PuzzleFormatError(
          { file: solFile },
          `solutions file must be a JSON object mapping task ids to lists of output grids, got ${describeValue(solutions)}`,
        ),
      );
      return result;
    }
  }
  // Keys are looked up as own properties only: "constructor" or "__proto__" are ids like any other.
  const dupOf = (list: DuplicateKey[], taskId: string) => list.find((d) => (d.top === null ? d.key === taskId : d.top === taskId));
  for (const taskId of Object.keys(challenges)) {
    try {
      checkId(taskId, { file: files.challenges });
      const dup = dupOf(dups.challenges, taskId);
      if (dup !== undefined) throw duplicateError(dup, files.challenges, taskId);
      const solDup = dupOf(dups.solutions, taskId);
      if (solDup !== undefined) throw duplicateError(solDup, solFile, taskId);
      const task = validateTask(challenges[taskId], { file: files.challenges, taskId });
      if (sol !== null) attachSolutions(task, Object.hasOwn(sol, taskId) ? sol[taskId] : undefined, { file: solFile, taskId }, files.challenges);
      result.tasks.push(task);
    } catch (e) {
      result.errors.push(asError(e));
    }
  }
  if (sol !== null) {
    for (const taskId of Object.keys(sol)) {
      if (!Object.hasOwn(challenges, taskId)) {
        result.errors.push(
          new PuzzleFormatError({ file: solFile, taskId }, `solutions given for a task that is not in ${files.challenges}`),
        );
      }
    }
  }
  return result;
}

function attachSolutions(task: Task, value: unknown, loc: ErrorLocation, challengesFile: string): void {
  if (value === undefined) {
    throw new PuzzleFormatError(loc, `no solutions for this task, which ${challengesFile} has`);
  }
  const outputs = validateSolutions(value, task.test.length, loc);
  task.test = task.test.map((p, k): TestPair => {
    const output = outputs[k] as Grid;
    if (p.output !== undefined && !gridsEqual(p.output, output)) {
      throw new PuzzleFormatError(
        { ...loc, pair: `test[${k}].output` },
        `solution differs from the test output already given in ${challengesFile}`,
      );
    }
    return { input: p.input, output };
  });
}

/** Tasks of a Kaggle combined challenges file, with its solutions file when there is one. */
export function parseCombined(
  challengesText: string,
  solutionsText: string | null,
  files: { challenges: string; solutions?: string },
): LoadResult {
  let challenges: Parsed;
  let solutions: Parsed | undefined;
  try {
    challenges = parseJson(challengesText, files.challenges);
    if (solutionsText !== null) solutions = parseJson(solutionsText, files.solutions ?? 'solutions');
  } catch (e) {
    return { tasks: [], errors: [asError(e)] };
  }
  return parseCombinedValues(challenges.value, solutions?.value, files, { challenges: challenges.duplicates, solutions: solutions?.duplicates ?? [] });
}

function baseName(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1] ?? path;
}

/** A per-task file that is really a combined challenges file under another name: {id: {train, test}}. */
function looksCombined(value: unknown): value is Record<string, unknown> {
  if (!isPlainObject(value) || 'train' in value || 'test' in value) return false;
  const first = Object.values(value)[0];
  return isPlainObject(first) && 'train' in first;
}

/**
 * Tasks from a set of files (e.g. a dropped folder). Per-task files take the file stem as id and may sit
 * in folders ("training/007bbfb7.json"); "<prefix>_challenges.json" pairs with "<prefix>_solutions.json".
 * Every defect becomes an error; good tasks still load. A task id seen twice keeps the first.
 */
export function importFiles(files: ReadonlyArray<{ name: string; content: string }>): LoadResult {
  const result: LoadResult = { tasks: [], errors: [] };
  const byName = new Map(files.map((f) => [f.name, f]));
  const origin = new Map<string, string>();
  for (const f of files) {
    const lower = f.name.toLowerCase();
    let loaded: LoadResult;
    if (lower.endsWith(SOLUTIONS_SUFFIX)) {
      const challengesName = f.name.slice(0, -SOLUTIONS_SUFFIX.length) + CHALLENGES_SUFFIX;
      if (byName.has(challengesName)) continue; // read together with its challenges file
      result.errors.push(
        new PuzzleFormatError({ file: f.name }, `solutions file has no matching ${baseName(challengesName)} to go with`),
      );
      continue;
    } else if (lower.endsWith(CHALLENGES_SUFFIX)) {
      const solutionsName = f.name.slice(0, -CHALLENGES_SUFFIX.length) + SOLUTIONS_SUFFIX;
      const sol = byName.get(solutionsName);
      loaded = sol === undefined
        ? parseCombined(f.content, null, { challenges: f.name })
        : parseCombined(f.content, sol.content, { challenges: f.name, solutions: sol.name });
    } else if (lower.endsWith('.json')) {
      loaded = loadTaskFile(f.name, f.content);
    } else {
      result.errors.push(
        new PuzzleFormatError(
          { file: f.name },
          'not a .json file; expected a task file or a Kaggle *_challenges.json / *_solutions.json pair',
        ),
      );
      continue;
    }
    result.errors.push(...loaded.errors);
    for (const task of loaded.tasks) {
      const first = origin.get(task.id);
      if (first !== undefined) {
        result.errors.push(new PuzzleFormatError({ file: f.name, taskId: task.id }, `duplicate task id; already loaded from ${first}`));
        continue;
      }
      origin.set(task.id, f.name);
      result.tasks.push(task);
    }
  }
  return result;
}

function loadTaskFile(name: string, content: string): LoadResult {
  const stem = baseName(name).replace(/\.json$/i, '');
  let parsed: Parsed;
  try {
    parsed = parseJson(content, name);
  } catch (e) {
    return { tasks: [], errors: [asError(e)] };
  }
  const value = parsed.value;
  if (looksCombined(value)) return parseCombinedValues(value, undefined, { challenges: name }, { challenges: parsed.duplicates, solutions: [] });
  try {
    checkId(stem, { file: name });
    if (parsed.duplicates[0] !== undefined) throw duplicateError(parsed.duplicates[0], name);
    return { tasks: [validateTask(value, { file: name, taskId: stem })], errors: [] };
  } catch (e) {
    return { tasks: [], errors: [asError(e)] };
  }
}

function taskBody(task: Task, withTestOutputs: boolean): unknown {
  return {
    train: task.train.map((p) => ({ input: p.input, output: p.output })),
    test: task.test.map((p) => (withTestOutputs && p.output !== undefined ? { input: p.input, output: p.output } : { input: p.input })),
  };
}

/** The per-task JSON text of a task (test outputs included where known). */
export function writeTaskJson(task: Task): string {
  return JSON.stringify(taskBody(task, true));
}

/** A Kaggle challenges file: every task without its test outputs. */
export function writeChallenges(tasks: readonly Task[]): string {
  // Null prototype: a task id "__proto__" is an own key like any other, not the object's prototype.
  const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const t of tasks) out[t.id] = taskBody(t, false);
  return JSON.stringify(out);
}

/**
 * A Kaggle challenges/solutions pair. Throws when a test output is unknown, because a solutions file
 * must list one output per test input; use writeChallenges alone for unsolved tasks.
 */
export function writeCombined(tasks: readonly Task[]): { challenges: string; solutions: string } {
  const solutions: Record<string, Grid[]> = Object.create(null) as Record<string, Grid[]>;
  for (const t of tasks) {
    solutions[t.id] = t.test.map((p, k) => {
      if (p.output === undefined) {
        throw new Error(`cannot write a solutions file: task ${t.id} test[${k}] has no output (use writeChallenges)`);
      }
      return p.output;
    });
  }
  return { challenges: writeChallenges(tasks), solutions: JSON.stringify(solutions) };
}
