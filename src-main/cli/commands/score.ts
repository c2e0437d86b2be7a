// `puzzle-lab score`: the official ARC Prize score of a Kaggle submission.json against a solutions file,
// with per-task detail and the tasks the submission lacks named (they count 0, as the competition counts them).

import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseSolutions, parseSubmission, scoreSubmission, type SubmissionScore } from '../../../src-shared/puzzle/submission';
import type { Grid } from '../../../src-shared/puzzle/types';
import { loadArcPath } from '../../engine/data/resolve-source';
import { bool, str, UsageError, type CommandSpec, type ParsedArgs } from '../../command-line/args';
import type { Io } from '../io';

export const spec: CommandSpec = {
  name: 'score',
  summary: 'Score a Kaggle submission.json the way the ARC Prize does: per task the fraction of test inputs either attempt solves, averaged over tasks.',
  usage: '<submission.json> --solutions <solutions.json>',
  positionals: ['submission'],
  flags: {
    solutions: {
      type: 'string',
      arg: 'PATH',
      help: 'Kaggle *_solutions.json {task_id: [output grid per test input]}, or ARC task files (a file, a folder, a challenges file with its solutions) whose test outputs are known (required)',
    },
    'ignore-extra': { type: 'boolean', help: 'leave out (and list) tasks the solutions do not hold instead of refusing the file' },
    json: { type: 'boolean', help: 'print the score with per-task detail as JSON' },
  },
  examples: [
    'puzzle-lab score submission.json --solutions ../shared/arc/arc-agi_evaluation_solutions.json',
    'puzzle-lab score submission.json --solutions ARC-AGI/data/evaluation',
  ],
};

const pct = (x: number): string => `${(100 * x).toFixed(2)}%`;

export function formatScore(s: SubmissionScore, files: { submission: string; solutions: string }): string {
  const lines: string[] = [];
  lines.push(`${files.submission} against ${files.solutions}`);
  lines.push(`official score ${pct(s.score)}  (${s.solvedTests}/${s.totalTests} test inputs solved over ${s.taskCount} tasks; attempt_1 alone ${pct(s.attempt1Score)})`);
  if (s.missing.length > 0) {
    const shown = s.missing.slice(0, 20).join(', ');
    lines.push(`missing: ${s.missing.length} of ${s.taskCount} tasks have no entry and count 0: ${shown}${s.missing.length > 20 ? `, … (${s.missing.length - 20} more)` : ''}`);
    if (s.submittedScore !== null) lines.push(`over the ${s.taskCount - s.missing.length} submitted tasks only: ${pct(s.submittedScore)}`);
  }
  if (s.ignored.length > 0) lines.push(`ignored: ${s.ignored.length} submitted tasks are not in the solutions: ${s.ignored.slice(0, 20).join(', ')}${s.ignored.length > 20 ? ', …' : ''}`);
  const idWidth = Math.max(4, ...s.tasks.map((t) => t.taskId.length));
  lines.push('', `${'task'.padEnd(idWidth)}  score   tests (1 = attempt_1, 2 = attempt_2, - = wrong)`);
  for (const t of s.tasks) {
    const tests = t.missing ? 'missing' : t.tests.map((v) => (v.attempt1 ? '1' : v.attempt2 ? '2' : '-')).join(' ');
    lines.push(`${t.taskId.padEnd(idWidth)}  ${t.score.toFixed(2).padStart(5)}   ${tests}`);
  }
  return `${lines.join('\n')}\n`;
}

/** The known test outputs of ARC task files; a task with an unknown output cannot be scored against. */
async function solutionsOfTasks(p: string): Promise<Record<string, Grid[]>> {
  const tasks = await loadArcPath(p);
  const out: Array<[string, Grid[]]> = [];
  const unknown: string[] = [];
  for (const t of tasks) {
    if (t.test.some((pair) => pair.output === undefined)) unknown.push(t.id);
    else out.push([t.id, t.test.map((pair) => pair.output!)]);
  }
  if (unknown.length > 0) {
    throw new Error(`${p}: ${unknown.length} task(s) have test inputs without a known output (${unknown.slice(0, 5).join(', ')}${unknown.length > 5 ? ', …' : ''}); give the *_solutions.json that holds them`);
  }
  return Object.fromEntries(out);
}

export async function run(args: ParsedArgs, io: Io): Promise<number> {
  const [submissionPath] = args.positionals as [string];
  const solutionsPath = str(args, 'solutions');
  if (solutionsPath === undefined) throw new UsageError('puzzle-lab score: --solutions <solutions.json> is required (the Kaggle *_solutions.json of the tasks)');
  const read = async (p: string, what: string): Promise<string> => {
    try {
      return await readFile(p, 'utf8');
    } catch (e) {
      throw new Error(`cannot read the ${what} ${p}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
    }
  };
  const files = { submission: path.basename(submissionPath), solutions: path.basename(solutionsPath) };
  const submission = parseSubmission(await read(submissionPath, 'submission'), files.submission);
  const solutions = solutionsPath.toLowerCase().endsWith('_solutions.json')
    ? parseSolutions(await read(solutionsPath, 'solutions file'), files.solutions)
    : await solutionsOfTasks(solutionsPath);
  const score = scoreSubmission(submission, solutions, {
    submissionFile: files.submission,
    solutionsFile: files.solutions,
    extraTasks: bool(args, 'ignore-extra') === true ? 'ignore' : 'error',
  });
  io.out(bool(args, 'json') === true ? `${JSON.stringify(score)}\n` : formatScore(score, files));
  return 0;
}
