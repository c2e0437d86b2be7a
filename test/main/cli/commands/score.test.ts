// `puzzle-lab score` in-process against the real ARC-AGI-1 evaluation solutions in ../shared/arc.
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../../src-main/cli/index';
import type { SubmissionScore } from '../../../../src-shared/puzzle/submission';
import type { Grid } from '../../../../src-shared/puzzle/types';
import { captureIo } from '../capture-io';

const root = path.resolve(import.meta.dirname, '../../../..');
const SOLUTIONS = path.resolve(root, '../shared/arc/arc-agi_evaluation_solutions.json');
const HAVE_ARC = existsSync(SOLUTIONS);

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'cli-score-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe.skipIf(!HAVE_ARC)(`puzzle-lab score${HAVE_ARC ? '' : ' (skipped: ../shared/arc/arc-agi_evaluation_solutions.json is absent)'}`, () => {
  const solutions = (): Record<string, Grid[]> => JSON.parse(readFileSync(SOLUTIONS, 'utf8')) as Record<string, Grid[]>;

  it('prints the official score, the missing tasks by name and per-task detail', async () => {
    const sol = solutions();
    const ids = Object.keys(sol);
    // the first two tasks solved by attempt_1 and attempt_2, the third wrong, the other 397 missing
    const wrong: Grid = [[0]];
    const sub = {
      [ids[0]!]: sol[ids[0]!]!.map((g) => ({ attempt_1: g, attempt_2: wrong })),
      [ids[1]!]: sol[ids[1]!]!.map((g) => ({ attempt_1: wrong, attempt_2: g })),
      [ids[2]!]: sol[ids[2]!]!.map(() => ({ attempt_1: wrong, attempt_2: wrong })),
    };
    const file = path.join(dir, 'three.json');
    await writeFile(file, JSON.stringify(sub));
    const io = captureIo();
    expect(await main(['score', file, '--solutions', SOLUTIONS], io)).toBe(0);
    const text = io.stdout();
    expect(text).toContain('official score 0.50%  (2/419 test inputs solved over 400 tasks; attempt_1 alone 0.25%)');
    expect(text).toContain(`missing: 397 of 400 tasks have no entry and count 0: ${ids.slice(3, 23).join(', ')}, … (377 more)`);
    expect(text).toContain('over the 3 submitted tasks only: 66.67%');
    expect(text).toMatch(new RegExp(`${ids[0]}\\s+1\\.00   1\\n`));
    expect(text).toMatch(new RegExp(`${ids[1]}\\s+1\\.00   2\\n`));
    expect(text).toMatch(new RegExp(`${ids[2]}\\s+0\\.00   -\\n`));
    expect(text).toMatch(new RegExp(`${ids[3]}\\s+0\\.00   missing\\n`));

    const json = captureIo();
    expect(await main(['score', file, '--solutions', SOLUTIONS, '--json'], json)).toBe(0);
    const s = JSON.parse(json.stdout()) as SubmissionScore;
    expect(s.score).toBeCloseTo(2 / 400, 12);
    expect(s.missing).toHaveLength(397);
  });

  it('refuses a bad submission with every located problem and exit code 1', async () => {
    const sol = solutions();
    const [a, b] = Object.keys(sol);
    const file = path.join(dir, 'bad.json');
    await writeFile(file, JSON.stringify({ [a!]: [{ attempt_1: [[1, -1]], attempt_2: [[1]], attempt_3: [[1]] }], [b!]: [{ attempt_1: [[1]] }] }));
    const io = captureIo();
    expect(await main(['score', file, '--solutions', SOLUTIONS], io)).toBe(1);
    expect(io.stderr()).toBe(
      [
        'puzzle-lab score: bad.json has 3 problems:',
        `  bad.json › task ${a} › test[0]: unexpected key "attempt_3"; an entry holds exactly "attempt_1" and "attempt_2"`,
        `  bad.json › task ${a} › test[0].attempt_1 › cell (0,1): colour -1 is outside 0..9`,
        `  bad.json › task ${b} › test[0].attempt_2: missing; every entry needs "attempt_1" and "attempt_2" (repeat the first when there is only one answer)`,
        '',
      ].join('\n'),
    );
    // a task the solutions do not hold is refused unless --ignore-extra
    const extra = path.join(dir, 'extra.json');
    await writeFile(extra, JSON.stringify({ [a!]: sol[a!]!.map((g) => ({ attempt_1: g, attempt_2: g })), notatask: [{ attempt_1: [[1]], attempt_2: [[1]] }] }));
    const refused = captureIo();
    expect(await main(['score', extra, '--solutions', SOLUTIONS], refused)).toBe(1);
    expect(refused.stderr()).toContain('extra.json › task notatask: task is not in arc-agi_evaluation_solutions.json');
    const ignored = captureIo();
    expect(await main(['score', extra, '--solutions', SOLUTIONS, '--ignore-extra'], ignored)).toBe(0);
    expect(ignored.stdout()).toContain('ignored: 1 submitted tasks are not in the solutions: notatask');
  });

  it('also scores against ARC task files whose test outputs are known, and refuses ones without', async () => {
    const sol = solutions();
    const [a, b] = Object.keys(sol);
    const file = path.join(dir, 'two.json');
    await writeFile(file, JSON.stringify({ [a!]: sol[a!]!.map((g) => ({ attempt_1: g, attempt_2: g })), [b!]: sol[b!]!.map(() => ({ attempt_1: [[0]], attempt_2: [[0]] })) }));
    // the challenges file finds its solutions partner beside it
    const io = captureIo();
    expect(await main(['score', file, '--solutions', SOLUTIONS.replace('_solutions.json', '_challenges.json'), '--json'], io), io.stderr()).toBe(0);
    const s = JSON.parse(io.stdout()) as SubmissionScore;
    expect(s.taskCount).toBe(400);
    expect(s.score).toBeCloseTo(1 / 400, 12);
    // a per-task folder without outputs cannot be scored against
    const tasks = path.join(dir, 'tasks');
    await mkdir(tasks);
    await writeFile(path.join(tasks, `${a}.json`), JSON.stringify({ train: [{ input: [[1]], output: [[2]] }], test: [{ input: [[1]] }] }));
    const refused = captureIo();
    expect(await main(['score', file, '--solutions', tasks], refused)).toBe(1);
    expect(refused.stderr()).toContain(`1 task(s) have test inputs without a known output (${a}); give the *_solutions.json that holds them`);
  });

  it('needs --solutions', async () => {
    const io = captureIo();
    expect(await main(['score', path.join(dir, 'x.json')], io)).toBe(2);
    expect(io.stderr()).toContain('--solutions <solutions.json> is required');
  });
});
