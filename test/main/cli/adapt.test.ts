// `puzzle-lab adapt`, run in-process on a tiny TRM checkpoint and an ARC task file it never saw.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../src-main/cli/index';
import type { Io } from '../../../src-main/cli/io';
import type { AdaptResult } from '../../../src-shared/method/protocol';
import { generateTasks } from '../../../src-shared/generators';
import { useWasm } from '../engine/helpers';
import { arcConfig, finishedOf, runJob, tempRunDir } from '../engine/trainer-fixtures';
import { stepBoundedFile } from '../../step-bounded';

// Bounded by optimizer steps and fixed work, not seconds (see test/step-bounded.ts).
stepBoundedFile();

function capture(): { io: Io; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    io: { out: (t) => void (out += t), err: (t) => void (err += t), isTTY: false, columns: 120, colour: 'none' },
    out: () => out,
    err: () => err,
  };
}

let runDir = '';
let taskFile = '';

beforeAll(async () => {
  await useWasm();
  runDir = await tempRunDir();
  // arcConfig trains recolour seed 0; a task of seed 7 is new to it.
  expect(finishedOf(await runJob(arcConfig('trm', 6, { T: 1, n: 1, Nsup: 2 }), runDir)).status).toBe('completed');
  const task = generateTasks('recolour', { count: 1, minSide: 2, maxSide: 4, difficulty: 1, seed: 7 })[0]!;
  taskFile = path.join(runDir, 'new-task.json');
  await writeFile(taskFile, JSON.stringify({ train: task.train, test: task.test }));
});

describe('puzzle-lab adapt', () => {
  it('prints progress, where the rows went, and the top-2 answers with votes and whether they match', async () => {
    const c = capture();
    const code = await main(['adapt', '--checkpoint', runDir, '--task', taskFile, '--steps', '8', '--augmentations', '2', '--data-dir', path.join(runDir, 'lab'), '--color', 'never'], c.io);
    expect(c.err()).toBe('');
    expect(code).toBe(0);
    const text = c.out();
    expect(text).toContain('step 1/8  loss ');
    expect(text).toContain('step 8/8  loss ');
    expect(text).toMatch(/adapted 3 version\(s\) of task new-task in 8 step\(s\) \(sign-sgd, embedding\); saved to .*adapted[\\/]step-00000006-[0-9a-f]{32}/);
    expect(text).toMatch(/test\[0\]: pass@1 (yes|no), pass@2 (yes|no); \d distinct answer\(s\) from 3 version\(s\)/);
    expect(text).toContain('expected');
    expect(text).toMatch(/#1 \d\/3 votes [✓✗]/);
    expect(text).toMatch(/pass@1 (0|100)\.0%  pass@2 (0|100)\.0%/);
  });

  it('reuses the saved adaptation and prints the AdaptResult as JSON', async () => {
    const c = capture();
    const code = await main(['adapt', '--checkpoint', runDir, '--task', taskFile, '--steps', '8', '--augmentations', '2', '--data-dir', path.join(runDir, 'lab'), '--json'], c.io);
    expect(code).toBe(0);
    const r = JSON.parse(c.out()) as AdaptResult;
    expect(r.reused).toBe(true);
    expect(r.losses).toEqual([]);
    expect(r.adaptation).toMatchObject({ versions: 3, steps: 8, optimizer: 'sign-sgd', mode: 'embedding' });
    expect(r.tests[0]!.explanation.versions).toHaveLength(3);
  });

  it('rejects missing and bad flags with exit code 2', async () => {
    const missing = capture();
    expect(await main(['adapt', '--task', taskFile], missing.io)).toBe(2);
    expect(missing.err()).toContain('puzzle-lab adapt: --checkpoint is required');
    const bad = capture();
    expect(await main(['adapt', '--checkpoint', runDir, '--task', taskFile, '--optimizer', 'sgd'], bad.io)).toBe(2);
    expect(bad.err()).toContain('--optimizer must be one of sign-sgd, adam; got "sgd"');
  });
});
