// The ARC Prize / Kaggle `submission.json`: {task_id: [{"attempt_1": grid, "attempt_2": grid}, ...]}, one
// entry per test input in the task's order. Pure functions shared by the CLI, the lab service and the
// renderer: reading with located messages, writing from a lab evaluation (attempts ranked as the vote
// view ranks them, padded to two by repeating the first, as the authors' `evaluators/arc.py`), and the
// official score (per task: the fraction of its test inputs where either attempt equals the solution
// exactly; mean over tasks). Tasks the submission lacks are reported by name, never silently zero.

import type { EvalReport, TaskEvalResult } from '../method/protocol';
import { describeValue, PuzzleFormatError, type ErrorLocation } from './errors';
import { gridKey, validateGrid } from './grid';
import type { Grid } from './types';
import { isPlainObject } from './validate';

export const ATTEMPT_KEYS = ['attempt_1', 'attempt_2'] as const;

export interface Attempts {
  attempt_1: Grid;
  attempt_2: Grid;
}

/** task id → one entry per test input, in the task's test order */
export type Submission = Record<string, Attempts[]>;

/** A submission (or a reference) that cannot be used as given; `problems` holds every located defect. */
export class SubmissionError extends Error {
  readonly problems: PuzzleFormatError[];
  constructor(summary: string, problems: PuzzleFormatError[]) {
    super(`${summary}:\n${listProblems(problems)}`);
    this.name = 'SubmissionError';
    this.problems = problems;
  }
}

/** How many problems a message lists before summarising the rest. */
const PROBLEMS_SHOWN = 20;

export function listProblems(problems: readonly PuzzleFormatError[], shown = PROBLEMS_SHOWN): string {
  const lines = problems.slice(0, shown).map((p) => `  ${p.message}`);
  if (problems.length > shown) lines.push(`  … and ${problems.length - shown} more`);
  return lines.join('\n');
}

function parseJson(text: string, file: string): unknown {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.trim() === '') throw new SubmissionError(`${file} is empty`, [new PuzzleFormatError({ file }, 'file is empty; expected JSON')]);
  try {
    return JSON.parse(body) as unknown;
  } catch (e) {
    throw new SubmissionError(`${file} is not JSON`, [new PuzzleFormatError({ file }, `not valid JSON (${e instanceof Error ? e.message : String(e)})`)]);
  }
}

/** Where an attempt sits: "submission.json › task 00576224 › test[1].attempt_2". */
function at(file: string, taskId: string, testIndex?: number, key?: string): ErrorLocation {
  const loc: ErrorLocation = { file, taskId };
  if (testIndex !== undefined) loc.pair = key === undefined ? `test[${testIndex}]` : `test[${testIndex}].${key}`;
  return loc;
}

/**
 * Checks the shape of a submission value: an object of tasks, each a list of entries holding exactly
 * `attempt_1` and `attempt_2`, each a grid of 1..30 × 1..30 colours 0..9. Collects every defect (one
 * per grid) instead of stopping at the first, and throws them together.
 */
export function validateSubmission(value: unknown, file = 'submission.json'): Submission {
  if (!isPlainObject(value)) {
    throw new SubmissionError(`${file} is not a submission`, [
      new PuzzleFormatError({ file }, `a submission must be a JSON object {task_id: [{"attempt_1": grid, "attempt_2": grid}, ...]}, got ${describeValue(value)}`),
    ]);
  }
  const problems: PuzzleFormatError[] = [];
  // entries, not assignments: a task id such as "__proto__" must stay an ordinary key
  const out: Array<[string, Attempts[]]> = [];
  const ids = Object.keys(value);
  if (ids.length === 0) problems.push(new PuzzleFormatError({ file }, 'the submission holds no tasks'));
  for (const taskId of ids) {
    const entries = value[taskId];
    if (!Array.isArray(entries)) {
      problems.push(new PuzzleFormatError(at(file, taskId), `must be a list with one {"attempt_1", "attempt_2"} entry per test input, got ${describeValue(entries)}`));
      continue;
    }
    if (entries.length === 0) {
      problems.push(new PuzzleFormatError(at(file, taskId), 'has no entries; it needs one per test input'));
      continue;
    }
    const list: Attempts[] = [];
    let ok = true;
    entries.forEach((entry: unknown, i) => {
      if (!isPlainObject(entry)) {
        problems.push(new PuzzleFormatError(at(file, taskId, i), `entry must be an object {"attempt_1": grid, "attempt_2": grid}, got ${describeValue(entry)}`));
        ok = false;
        return;
      }
      for (const key of Object.keys(entry)) {
        if (!(ATTEMPT_KEYS as readonly string[]).includes(key)) {
          problems.push(new PuzzleFormatError(at(file, taskId, i), `unexpected key ${JSON.stringify(key)}; an entry holds exactly "attempt_1" and "attempt_2"`));
          ok = false;
        }
      }
      const grids: Grid[] = [];
      for (const key of ATTEMPT_KEYS) {
        if (!(key in entry)) {
          problems.push(new PuzzleFormatError(at(file, taskId, i, key), `missing; every entry needs "attempt_1" and "attempt_2" (repeat the first when there is only one answer)`));
          ok = false;
          continue;
        }
        try {
          grids.push(validateGrid(entry[key], at(file, taskId, i, key)));
        } catch (e) {
          if (!(e instanceof PuzzleFormatError)) throw e;
          problems.push(e);
          ok = false;
        }
      }
      if (grids.length === 2) list.push({ attempt_1: grids[0]!, attempt_2: grids[1]! });
    });
    if (ok) out.push([taskId, list]);
  }
  if (problems.length > 0) throw new SubmissionError(`${file} has ${problems.length} problem${problems.length === 1 ? '' : 's'}`, problems);
  return Object.fromEntries(out);
}

export function parseSubmission(text: string, file = 'submission.json'): Submission {
  return validateSubmission(parseJson(text, file), file);
}

/** The solutions of a Kaggle `*_solutions.json` ({task_id: [output grid per test input]}), validated. */
export function parseSolutions(text: string, file = 'solutions.json'): Record<string, Grid[]> {
  const value = parseJson(text, file);
  if (!isPlainObject(value)) {
    throw new SubmissionError(`${file} is not a solutions file`, [new PuzzleFormatError({ file }, `a solutions file must be a JSON object {task_id: [grid, ...]}, got ${describeValue(value)}`)]);
  }
  const problems: PuzzleFormatError[] = [];
  const out: Array<[string, Grid[]]> = [];
  for (const [taskId, list] of Object.entries(value)) {
    if (!Array.isArray(list) || list.length === 0) {
      problems.push(new PuzzleFormatError({ file, taskId }, `must be a non-empty list of output grids, one per test input, got ${describeValue(list)}`));
      continue;
    }
    try {
      out.push([taskId, list.map((g, k) => validateGrid(g, { file, taskId, pair: `test[${k}].output` }))]);
    } catch (e) {
      if (!(e instanceof PuzzleFormatError)) throw e;
      problems.push(e);
    }
  }
  if (problems.length > 0) throw new SubmissionError(`${file} has ${problems.length} problem${problems.length === 1 ? '' : 's'}`, problems);
  return Object.fromEntries(out);
}

// --- export -----------------------------------------------------------------------------------------

/** A test input whose submission entry could not come from the model's own answers. */
export interface Placeholder {
  taskId: string;
  testIndex: number;
  why: 'no-answer' | 'empty-crop';
}

/** Stands in for an attempt the model did not give (no votes, or an empty crop): wrong for any real output but [[0]]. */
export const PLACEHOLDER_GRID: Grid = [[0]];

function usable(g: Grid | undefined): g is Grid {
  return g !== undefined && g.length > 0 && g.length <= 30 && (g[0]?.length ?? 0) > 0 && (g[0]?.length ?? 0) <= 30;
}

/**
 * The submission of an evaluation: per test input the top two voted candidates (the ranking of the vote
 * view), padded to two by repeating the first. A candidate that is not a grid (an empty crop) or a test
 * input without any candidate gets [[0]] and is listed in `placeholders`, so the file stays valid for
 * Kaggle while the lab's pass@2 (which counts those 0) and the official score agree.
 */
export function submissionFromEval(tasks: readonly TaskEvalResult[]): { submission: Submission; placeholders: Placeholder[] } {
  const byTask = new Map<string, TaskEvalResult[]>();
  for (const t of tasks) byTask.set(t.taskId, [...(byTask.get(t.taskId) ?? []), t]);
  const entries: Array<[string, Attempts[]]> = [];
  const placeholders: Placeholder[] = [];
  for (const [taskId, list] of byTask) {
    const sorted = [...list].sort((a, b) => a.testIndex - b.testIndex);
    sorted.forEach((t, i) => {
      if (t.testIndex !== i) throw new Error(`evaluation of task ${taskId} has test ${t.testIndex} where test ${i} belongs; a submission needs every test input`);
    });
    entries.push([taskId, sorted.map((t) => {
      const [top1, top2] = t.top;
      // attempt_1 is the first-ranked answer so that pass@1 keeps its meaning; a second answer that is
      // missing or unusable repeats attempt_1 (the authors' padding), which changes no score.
      let first: Grid = PLACEHOLDER_GRID;
      if (top1 === undefined) placeholders.push({ taskId, testIndex: t.testIndex, why: 'no-answer' });
      else if (!usable(top1)) placeholders.push({ taskId, testIndex: t.testIndex, why: 'empty-crop' });
      else first = top1;
      const second = top2 !== undefined && usable(top2) ? top2 : first;
      return { attempt_1: first.map((r) => r.slice()), attempt_2: second.map((r) => r.slice()) };
    })]);
  }
  return { submission: Object.fromEntries(entries), placeholders };
}

/** submission.json text of an evaluation report. */
export function writeSubmission(submission: Submission): string {
  return JSON.stringify(submission);
}

// --- scoring ----------------------------------------------------------------------------------------

export interface TestVerdict {
  testIndex: number;
  attempt1: boolean;
  attempt2: boolean;
  /** either attempt equals the solution */
  solved: boolean;
}

export interface TaskScore {
  taskId: string;
  /** fraction of the task's test inputs solved (0 for a missing task) */
  score: number;
  tests: TestVerdict[];
  /** the submission has no entry for this task */
  missing: boolean;
}

export interface SubmissionScore {
  /** the official score: mean task score over every task of the solutions (a missing task scores 0) */
  score: number;
  /** the same over the tasks the submission answers (null when it answers none) */
  submittedScore: number | null;
  /** fraction of tasks whose attempt_1 alone solves them, averaged like `score` (pass@1) */
  attempt1Score: number;
  taskCount: number;
  solvedTests: number;
  totalTests: number;
  tasks: TaskScore[];
  /** tasks of the solutions the submission does not answer, in the solutions' order */
  missing: string[];
  /** tasks of the submission that are not in the solutions and were left out (extraTasks: 'ignore') */
  ignored: string[];
}

export interface ScoreOptions {
  /** file names for messages */
  submissionFile?: string;
  solutionsFile?: string;
  /** a task of the submission with no solution: a located problem (default), or left out and listed */
  extraTasks?: 'error' | 'ignore';
}

const same = (a: Grid, b: Grid): boolean => gridKey(a) === gridKey(b);
/** own entries only: "constructor" or "toString" is a task id here, not an inherited member */
const own = <T>(o: Readonly<Record<string, T>>, key: string): T | undefined => (Object.hasOwn(o, key) ? o[key] : undefined);

/**
 * The official ARC Prize score of a submission against solutions ({task_id: [output per test input]}).
 * A task with the wrong number of entries, or (by default) a task the solutions do not hold, is a
 * located problem and nothing is scored; a task the submission lacks is listed in `missing` and counts 0
 * in `score`, as the competition counts it, while `submittedScore` leaves it out.
 */
export function scoreSubmission(submission: Submission, solutions: Readonly<Record<string, readonly Grid[]>>, o: ScoreOptions = {}): SubmissionScore {
  const file = o.submissionFile ?? 'submission.json';
  const problems: PuzzleFormatError[] = [];
  const ignored: string[] = [];
  for (const taskId of Object.keys(submission)) {
    if (Object.hasOwn(solutions, taskId)) continue;
    if (o.extraTasks === 'ignore') ignored.push(taskId);
    else problems.push(new PuzzleFormatError(at(file, taskId), `task is not in ${o.solutionsFile ?? 'the solutions'}; remove it or score against the file that holds it`));
  }
  for (const [taskId, outputs] of Object.entries(solutions)) {
    const entries = own(submission, taskId);
    if (entries === undefined || entries.length === outputs.length) continue;
    const loc = entries.length > outputs.length ? at(file, taskId, outputs.length) : at(file, taskId);
    const entryWord = entries.length === 1 ? 'entry' : 'entries';
    const inputWord = outputs.length === 1 ? 'test input' : 'test inputs';
    problems.push(new PuzzleFormatError(loc, `has ${entries.length} ${entryWord} but the task has ${outputs.length} ${inputWord}; a submission needs exactly one entry per test input`));
  }
  if (problems.length > 0) throw new SubmissionError(`${file} cannot be scored (${problems.length} problem${problems.length === 1 ? '' : 's'})`, problems);

  const tasks: TaskScore[] = [];
  const missing: string[] = [];
  let total = 0;
  let total1 = 0;
  let submittedTotal = 0;
  let submitted = 0;
  let solvedTests = 0;
  let totalTests = 0;
  for (const [taskId, outputs] of Object.entries(solutions)) {
    totalTests += outputs.length;
    const entries = own(submission, taskId);
    if (entries === undefined) {
      missing.push(taskId);
      tasks.push({ taskId, score: 0, missing: true, tests: outputs.map((_, i) => ({ testIndex: i, attempt1: false, attempt2: false, solved: false })) });
      continue;
    }
    const tests = outputs.map((truth, i): TestVerdict => {
      const e = entries[i]!;
      const attempt1 = same(e.attempt_1, truth);
      const attempt2 = same(e.attempt_2, truth);
      return { testIndex: i, attempt1, attempt2, solved: attempt1 || attempt2 };
    });
    const solved = tests.filter((t) => t.solved).length;
    solvedTests += solved;
    const score = solved / outputs.length;
    total += score;
    total1 += tests.filter((t) => t.attempt1).length / outputs.length;
    submittedTotal += score;
    submitted++;
    tasks.push({ taskId, score, missing: false, tests });
  }
  const n = tasks.length;
  return {
    score: n > 0 ? total / n : 0,
    submittedScore: submitted > 0 ? submittedTotal / submitted : null,
    attempt1Score: n > 0 ? total1 / n : 0,
    taskCount: n,
    solvedTests,
    totalTests,
    tasks,
    missing,
    ignored,
  };
}

/**
 * A scored submission as an evaluation report, so the views that compare runs (the solved-by table,
 * the per-task grids) show an external solver beside a run: per test input its two attempts, pass@1 =
 * attempt_1, pass@2 = either. No votes, per-step metrics or network calls: a file has none.
 */
export function reportFromSubmission(submission: Submission, score: SubmissionScore): EvalReport {
  const tasks: TaskEvalResult[] = [];
  for (const t of score.tasks) {
    if (t.missing) continue;
    const entries = own(submission, t.taskId)!;
    for (const v of t.tests) {
      const e = entries[v.testIndex]!;
      tasks.push({ taskId: t.taskId, testIndex: v.testIndex, top: [e.attempt_1, e.attempt_2], votes: [], passAt1: v.attempt1, passAt2: v.solved });
    }
  }
  return { step: 0, passAt1: score.attempt1Score, passAt2: score.score, passAtK: { '1': score.attempt1Score, '2': score.score }, perStep: [], tasks, callsPerExample: 0 };
}

/** Test inputs a submission answers per task (for the library record of an external solver). */
export function submissionTestCount(submission: Submission): number {
  return Object.values(submission).reduce((n, list) => n + list.length, 0);
}
