// The "done when", end to end through the CLI: a tiny run trained on a few ARC-AGI-1 evaluation
// tasks (canvas 30, bounded by steps), `eval --submission` writes submission.json, and `score` gives
// exactly the evaluation's pass@2.
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../../src-main/cli/index';
import type { EvalReport } from '../../../../src-shared/method/protocol';
import { parseSubmission, type SubmissionScore } from '../../../../src-shared/puzzle/submission';
import { captureIo } from '../capture-io';

const root = path.resolve(import.meta.dirname, '../../../..');
const ARC = path.resolve(root, '../shared/arc');
const HAVE_ARC = existsSync(path.join(ARC, 'arc-agi_evaluation_challenges.json'));
/** two single-test tasks and two with two test inputs, all small */
const TASKS = ['00576224', '0692e18c', '6ea4a07e', '8b28cd80'];

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'cli-eval-submission-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe.skipIf(!HAVE_ARC)(`eval --submission on ARC-AGI-1 evaluation tasks${HAVE_ARC ? '' : ' (skipped: ../shared/arc is absent)'}`, () => {
  it('exports a submission.json whose official score equals the evaluation’s pass@2', async () => {
    const pick = (kind: string) => {
      const all = JSON.parse(readFileSync(path.join(ARC, `arc-agi_evaluation_${kind}.json`), 'utf8')) as Record<string, unknown>;
      return Object.fromEntries(TASKS.map((id) => [id, all[id]]));
    };
    const challenges = path.join(dir, 'subset_challenges.json');
    const solutions = path.join(dir, 'subset_solutions.json');
    await writeFile(challenges, JSON.stringify(pick('challenges')));
    await writeFile(solutions, JSON.stringify(pick('solutions')));
    const runDir = path.join(dir, 'run');
    // prettier-ignore
    const trainArgs = ['train', '--method', 'trm', '--file', challenges, '--canvas', '30', '--augmentations', '2', '--hidden', '16', '--layers', '1', '--heads', '2',
      '--T', '1', '--n', '1', '--nsup', '2', '--steps', '3', '--batch', '4', '--eval-augmentations', '3', '--backend', 'wasm', '--data-dir', path.join(dir, 'lab'), '--out', runDir, '--json'];
    const trained = captureIo();
    expect(await main(trainArgs, trained), trained.stderr()).toBe(0);
    expect(trained.stdout()).toContain('"status":"completed"');

    const file = path.join(dir, 'submission.json');
    const evaluated = captureIo();
    expect(await main(['eval', runDir, challenges, '--augmentations', '3', '--submission', file, '--data-dir', path.join(dir, 'lab'), '--json'], evaluated), evaluated.stderr()).toBe(0);
    const report = JSON.parse(evaluated.stdout()) as EvalReport;
    expect(report.tasks).toHaveLength(6);
    expect(evaluated.stderr()).toContain(`wrote ${file}: 4 tasks, 6 test inputs`);

    const submission = parseSubmission(readFileSync(file, 'utf8'));
    expect(Object.keys(submission).sort()).toEqual(TASKS);
    expect(submission['6ea4a07e']).toHaveLength(2);
    // attempts are the evaluation's top two voted answers, in rank order
    for (const t of report.tasks) {
      const e = submission[t.taskId]![t.testIndex]!;
      if (t.top[0] !== undefined && t.top[0].length > 0) expect(e.attempt_1).toEqual(t.top[0]);
      if (t.top[1] !== undefined && t.top[1].length > 0) expect(e.attempt_2).toEqual(t.top[1]);
    }

    const scored = captureIo();
    expect(await main(['score', file, '--solutions', solutions, '--json'], scored), scored.stderr()).toBe(0);
    const s = JSON.parse(scored.stdout()) as SubmissionScore;
    expect(s.missing).toEqual([]);
    expect(s.score).toBeCloseTo(report.passAt2, 12);
    expect(s.attempt1Score).toBeCloseTo(report.passAt1, 12);
    // no temporary file is left beside the submission
    expect((await readdir(dir)).filter((f) => f.includes('.tmp-'))).toEqual([]);
  }, 240_000);
});
