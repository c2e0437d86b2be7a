// Reading and writing the two ARC file formats. Pure functions over text (no file system), so the
// renderer, the service and tests share them:
//   per-task:  "<taskid>.json" = {"train": [{input, output}...], "test": [{input, output?}...]}
//   combined (Kaggle): "<prefix>_challenges.json" = {taskid: task without test outputs, ...} and
//                      "<prefix>_solutions.json"  = {taskid: [test output grid, ...], ...}
// Readers collect one error per bad task and keep going; writers keep key order train/test, input/output.

import { describeValue, PuzzleFormatError, type ErrorLocation } from './errors';
import { gridsEqual } from './grid';
import type { Grid, Task, TestPair } from './types';
import { isPlainObject, validateSolutions, validateTask } from './validate';

export interface LoadResult {
  tasks: Task[];
  errors: PuzzleFormatError[];
}

const CHALLENGES_SUFFIX = '_challenges.json';
const SOLUTIONS_SUFFIX = '_solutions.json';

function parseJson(text: string, file: string): unknown {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.trim() === '') throw new PuzzleFormatError({ file }, 'file is empty; expected JSON');
  try {
    return JSON.parse(body) as unknown;
  } catch (e) {
    throw new PuzzleFormatError({ file }, `not valid JSON (${e instanceof Error ? e.message : String(e)})`);
  }
}

function asError(e: unknown): PuzzleFormatError {
  if (e instanceof PuzzleFormatError) return e;
  throw e;
}

/** One task from a per-task JSON file. Throws PuzzleFormatError on the first defect. */
export function parseTaskJson(text: string, file: string, taskId: string): Task {
  return validateTask(parseJson(text, file), { file, taskId });
}

function parseCombinedValues(
  challenges: unknown,
  solutions: unknown,
  files: { challenges: string; solutions?: string },
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
  for (const taskId of Object.keys(challenges)) {
    try {
      if (taskId.trim() === '') throw new PuzzleFormatError({ file: files.challenges, taskId: '""' }, 'task id is empty');
      const task = validateTask(challenges[taskId], { file: files.challenges, taskId });
      if (sol !== null) attachSolutions(task, sol[taskId], { file: solFile, taskId }, files.challenges);
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
  let challenges: unknown;
  let solutions: unknown;
  try {
    challenges = parseJson(challengesText, files.challenges);
    if (solutionsText !== null) solutions = parseJson(solutionsText, files.solutions ?? 'solutions');
  } catch (e) {
    return { tasks: [], errors: [asError(e)] };
  }
  return parseCombinedValues(challenges, solutions, files);
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
  let value: unknown;
  try {
    value = parseJson(content, name);
  } catch (e) {
    return { tasks: [], errors: [asError(e)] };
  }
  if (looksCombined(value)) return parseCombinedValues(value, undefined, { challenges: name });
  try {
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
  const out: Record<string, unknown> = {};
  for (const t of tasks) out[t.id] = taskBody(t, false);
  return JSON.stringify(out);
}

/**
 * A Kaggle challenges/solutions pair. Throws when a test output is unknown, because a solutions file
 * must list one output per test input; use writeChallenges alone for unsolved tasks.
 */
export function writeCombined(tasks: readonly Task[]): { challenges: string; solutions: string } {
  const solutions: Record<string, Grid[]> = {};
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
