// Task-level validation of untrusted JSON values. Checks run in tight loops without copying grids, so a
// 4 MB combined file validates in milliseconds; the first defect of a task is reported with its location.

import { describeValue, PuzzleFormatError, type ErrorLocation } from './errors';
import { validateGrid } from './grid';
import { MAX_PAIRS, type Grid, type Pair, type Task, type TestPair } from './types';

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function pairList(task: Record<string, unknown>, key: 'train' | 'test', loc: ErrorLocation): unknown[] {
  if (!Object.hasOwn(task, key)) {
    const what = key === 'train' ? 'demonstration' : 'test';
    throw new PuzzleFormatError(loc, `task has no "${key}" list of ${what} pairs`);
  }
  const list = task[key];
  if (!Array.isArray(list)) {
    throw new PuzzleFormatError(loc, `"${key}" must be an array of pairs, got ${describeValue(list)}`);
  }
  if (list.length > MAX_PAIRS) {
    throw new PuzzleFormatError(loc, `"${key}" has ${list.length} pairs; the lab handles at most ${MAX_PAIRS} per task`);
  }
  if (list.length === 0) {
    const need = key === 'train' ? 'demonstration pair' : 'test pair';
    throw new PuzzleFormatError(loc, `"${key}" is empty; a task needs at least one ${need}`);
  }
  return list;
}

function pairObject(value: unknown, kind: 'demonstration' | 'test', loc: ErrorLocation): Record<string, unknown> {
  if (!isPlainObject(value)) {
    throw new PuzzleFormatError(loc, `${kind} pair must be an object with "input" and "output", got ${describeValue(value)}`);
  }
  if (!Object.hasOwn(value, 'input')) throw new PuzzleFormatError(loc, `${kind} pair has no "input" grid`);
  return value;
}

/**
 * Checks an untrusted value is a task `{"train": [{input, output}, ...], "test": [{input, output?}, ...]}`
 * and returns it as a Task with id `loc.taskId` (grids are reused, not copied). Unknown keys are ignored.
 */
export function validateTask(value: unknown, loc: ErrorLocation): Task {
  if (!isPlainObject(value)) {
    throw new PuzzleFormatError(loc, `task must be a JSON object {"train": [...], "test": [...]}, got ${describeValue(value)}`);
  }
  const trainIn = pairList(value, 'train', loc);
  const testIn = pairList(value, 'test', loc);
  const train: Pair[] = new Array(trainIn.length);
  for (let i = 0; i < trainIn.length; i++) {
    const at = `train[${i}]`;
    const p = pairObject(trainIn[i], 'demonstration', { ...loc, pair: at });
    if (!Object.hasOwn(p, 'output')) throw new PuzzleFormatError({ ...loc, pair: at }, 'demonstration pair has no "output" grid');
    train[i] = {
      input: validateGrid(p.input, { ...loc, pair: `${at}.input` }),
      output: validateGrid(p.output, { ...loc, pair: `${at}.output` }),
    };
  }
  const test: TestPair[] = new Array(testIn.length);
  for (let i = 0; i < testIn.length; i++) {
    const at = `test[${i}]`;
    const p = pairObject(testIn[i], 'test', { ...loc, pair: at });
    const input = validateGrid(p.input, { ...loc, pair: `${at}.input` });
    // The test output is optional: challenges files hold only inputs.
    test[i] = p.output === undefined ? { input } : { input, output: validateGrid(p.output, { ...loc, pair: `${at}.output` }) };
  }
  return { id: loc.taskId ?? '', train, test };
}

/**
 * Checks one task's entry of a Kaggle solutions file (a list with one output grid per test input) and
 * returns the outputs. `loc` names the solutions file and task.
 */
export function validateSolutions(value: unknown, testCount: number, loc: ErrorLocation): Grid[] {
  if (!Array.isArray(value)) {
    throw new PuzzleFormatError(loc, `solutions must be a list of output grids, one per test input, got ${describeValue(value)}`);
  }
  if (value.length !== testCount) {
    const grids = value.length === 1 ? 'solution grid' : 'solution grids';
    const inputs = testCount === 1 ? 'test input' : 'test inputs';
    throw new PuzzleFormatError(loc, `has ${value.length} ${grids} but the task has ${testCount} ${inputs}`);
  }
  return value.map((g, k) => validateGrid(g, { ...loc, pair: `test[${k}].output` }));
}

export { isPlainObject };
