// `puzzle-lab eval`: pass@K of a checkpoint on ARC tasks, with augmentation voting (docs/method-notes.md#evaluation-and-voting).
// A transport over the lab API's evaluateCheckpoint (run in the lab's engine process): a lab run id
// names the run, a checkpoint or run folder is handed to the lab as a path the user named; the task
// file is read here, as the user's input, and sent as tasks. With no lab running on the data
// directory this process starts one (lab.ts).

import path from 'node:path';
import type { EvalReport } from '../../../src-shared/method/protocol';
import { scoreSubmission, submissionFromEval, writeSubmission } from '../../../src-shared/puzzle/submission';
import type { Grid, Task } from '../../../src-shared/puzzle/types';
import { loadArcPath } from '../../engine/data/resolve-source';
import { DEFAULT_EVAL_AUGMENTATIONS } from '../../service/named-paths';
import { bool, num, str, type CommandSpec, type ParsedArgs } from '../../command-line/args';
import type { Io } from '../io';
import { onCheckpoint } from '../on-checkpoint';
import { writeTextAtomic } from '../write-file';
import { DATA_DIR_FLAG, resolveCheckpointTarget } from './checkpoint-path';

export const spec: CommandSpec = {
  name: 'eval',
  summary: 'Evaluate a checkpoint (or a run folder’s newest checkpoint) on the test pairs of an ARC file or folder.',
  usage: '<checkpoint> <tasks>',
  positionals: ['checkpoint', 'tasks'],
  flags: {
    'data-dir': DATA_DIR_FLAG,
    augmentations: { type: 'int', arg: 'N', help: 'augmented versions per test pair for voting', defaultText: '8' },
    json: { type: 'boolean', help: 'print the EvalReport as JSON' },
    submission: { type: 'string', arg: 'PATH', help: 'also write the evaluation as a Kaggle submission.json (top two voted answers per test input)' },
  },
  examples: [
    'puzzle-lab eval runs/20260101-120000-dis ../shared/arc/arc-agi_evaluation_challenges.json --augmentations 16',
    'puzzle-lab eval runs/20260101-120000-dis ../shared/arc/arc-agi_evaluation_challenges.json --submission submission.json',
  ],
};

export function formatReport(r: EvalReport): string {
  const lines: string[] = [];
  const which = r.weights === 'ema' ? ' (EMA weights)' : r.weights === 'live' ? ' (live weights)' : '';
  lines.push(`step ${r.step}: pass@1 ${(100 * r.passAt1).toFixed(2)}%  pass@2 ${(100 * r.passAt2).toFixed(2)}%${which}`);
  const passK = (m: Record<string, number>): string => {
    const ks = Object.keys(m).sort((a, b) => Number(a) - Number(b));
    return ks.map((k) => `@${k} ${(100 * (m[k] as number)).toFixed(2)}%`).join('  ');
  };
  if (Object.keys(r.passAtK).length > 0) lines.push(`pass@K: ${passK(r.passAtK)}`);
  if (r.live) {
    const lastExact = r.live.perStep[r.live.perStep.length - 1]?.exactAccuracy;
    lines.push(
      `live weights: pass@1 ${(100 * r.live.passAt1).toFixed(2)}%  pass@2 ${(100 * r.live.passAt2).toFixed(2)}%` +
        (lastExact !== undefined ? `  last-step exact ${(100 * lastExact).toFixed(2)}%` : ''),
    );
    if (Object.keys(r.live.passAtK).length > 0) lines.push(`live pass@K: ${passK(r.live.passAtK)}`);
  }
  lines.push(`network calls per evaluated example: ${r.callsPerExample}`);
  if (r.perStep.length > 0) {
    lines.push('', 'step  token-acc  exact-acc  adv-margin');
    for (const s of r.perStep) {
      lines.push(`${String(s.step).padStart(4)}  ${s.tokenAccuracy.toFixed(4).padStart(9)}  ${s.exactAccuracy.toFixed(4).padStart(9)}  ${s.advantageMargin.toFixed(4).padStart(10)}`);
    }
  }
  const idWidth = Math.max(4, ...r.tasks.map((t) => t.taskId.length));
  lines.push('', `${'task'.padEnd(idWidth)}  test  pass@1  pass@2  votes`);
  for (const t of r.tasks) {
    const mark = (b: boolean): string => (b ? 'yes' : ' - ');
    lines.push(`${t.taskId.padEnd(idWidth)}  ${String(t.testIndex).padStart(4)}  ${mark(t.passAt1).padStart(6)}  ${mark(t.passAt2).padStart(6)}  ${t.votes.join('/')}`);
  }
  return `${lines.join('\n')}\n`;
}

export async function run(args: ParsedArgs, io: Io): Promise<number> {
  const [ckptArg, tasksArg] = args.positionals as [string, string];
  const target = await resolveCheckpointTarget(ckptArg, str(args, 'data-dir'));
  const tasks = await loadArcPath(tasksArg);
  const augmentations = num(args, 'augmentations') ?? DEFAULT_EVAL_AUGMENTATIONS;
  // a folder outside any lab is evaluated by the lab of the default (or given) data directory
  const report = await onCheckpoint(target, str(args, 'data-dir'), (api, ref) => api.evaluateCheckpoint({ ...ref, tasks, augmentations }));
  const json = bool(args, 'json') === true;
  io.out(json ? `${JSON.stringify(report)}\n` : formatReport(report));
  const submissionFile = str(args, 'submission');
  if (submissionFile !== undefined) {
    const note = await exportSubmission(report, tasks, submissionFile);
    // with --json stdout stays one JSON document; the note goes to stderr
    if (json) io.err(note);
    else io.out(`\n${note}`);
  }
  return 0;
}

/**
 * Writes the evaluation's submission.json and says what it holds; when every test output is known it
 * also scores the file the official way, which must equal the evaluation's pass@2.
 */
export async function exportSubmission(report: EvalReport, tasks: readonly Task[], file: string): Promise<string> {
  const { submission, placeholders } = submissionFromEval(report.tasks);
  await writeTextAtomic(file, writeSubmission(submission));
  const ids = Object.keys(submission);
  const lines = [`wrote ${file}: ${ids.length} tasks, ${report.tasks.length} test inputs`];
  if (placeholders.length > 0) {
    lines.push(`${placeholders.length} test input(s) had no usable answer and hold the placeholder [[0]]: ${placeholders.slice(0, 10).map((p) => `${p.taskId} test ${p.testIndex} (${p.why})`).join(', ')}`);
  }
  const inSubmission = new Set(ids);
  const outputs: Array<[string, Grid[]]> = [];
  let known = true;
  for (const t of tasks) {
    if (!inSubmission.has(t.id)) continue;
    if (t.test.some((p) => p.output === undefined)) known = false;
    outputs.push([t.id, t.test.map((p) => p.output ?? [])]);
  }
  const solutions = Object.fromEntries(outputs);
  if (known && ids.every((id) => Object.hasOwn(solutions, id))) {
    const s = scoreSubmission(submission, solutions, { submissionFile: path.basename(file) });
    lines.push(`official score of ${path.basename(file)}: ${(100 * s.score).toFixed(2)}% (the evaluation's pass@2: ${(100 * report.passAt2).toFixed(2)}%)`);
  } else {
    lines.push('some test outputs are unknown here; score the file with `puzzle-lab score <file> --solutions <solutions.json>`');
  }
  return `${lines.join('\n')}\n`;
}
