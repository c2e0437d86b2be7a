// Spawns the real CLI (node --import tsx), as `npx puzzle-lab` does.
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../../..');

function cli(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'src-main/cli/index.ts'), ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'cli-'));
  await writeFile(
    path.join(dir, 'swap.json'),
    JSON.stringify({ train: [{ input: [[1, 2], [3, 4]], output: [[2, 1], [4, 3]] }], test: [{ input: [[5, 6]], output: [[6, 5]] }] }),
  );
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('puzzle-lab CLI', () => {
  it('prints the command overview and per-command help', () => {
    const all = cli('--help');
    expect(all.code).toBe(0);
    for (const c of ['train', 'eval', 'infer', 'targets', 'families']) expect(all.stdout).toContain(`  ${c}`);
    const t = cli('targets', '--help');
    expect(t.code).toBe(0);
    expect(t.stdout).toContain('Usage: puzzle-lab targets [options]');
    expect(t.stdout).toMatch(/--generator <string>.*\(reveal \| mask \| random \| programmable\)/);
    expect(cli('train', '--help').stdout).toMatch(/--method <string>.*\(trm \| dis \| hrm\)/);
  });

  it('rejects unknown commands and flags with a hint and exit code 2', () => {
    const c = cli('trian');
    expect(c.code).toBe(2);
    expect(c.stderr).toContain('unknown command "trian" (did you mean "train"?)');
    const f = cli('targets', '--family', 'recolour', '--nusp', '3');
    expect(f.code).toBe(2);
    expect(f.stderr).toContain('puzzle-lab targets: unknown flag --nusp (did you mean --nsup?)');
    const v = cli('train', '--steps', 'many');
    expect(v.code).toBe(2);
    expect(v.stderr).toContain('--steps needs an integer, got "many"');
  });

  it('lists the built-in families', () => {
    const r = cli('families', '--json');
    expect(r.code).toBe(0);
    const list = JSON.parse(r.stdout) as Array<{ id: string; kind: string }>;
    expect(list.map((f) => f.id)).toEqual(expect.arrayContaining(['recolour', 'nqueens', 'sudoku']));
    const table = cli('families').stdout;
    expect(table).toMatch(/recolour\s+arc/);
    // the summary promises the defaults, so the table shows them too
    expect(table).toContain('defaults: 20 tasks, sides 3–10, difficulty 2, 3 demonstration pairs');
    expect(table).toContain('defaults: 800 tasks, n = 8, difficulty 1');
  });

  it('draws the reveal frames of a task file pair, from input to label', () => {
    const r = cli('targets', '--file', path.join(dir, 'swap.json'), '--nsup', '2', '--canvas', '4');
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('Targets for task swap train[0]: generator reveal (eligibility code), N_sup = 2, seed 0, arc 4×4');
    const header = lines.findIndex((l) => l.startsWith('input x'));
    expect(lines[header]).toMatch(/^input x\s+label y\s+F_0\s+F_1\s+F_2$/);
    expect(lines[header + 1]).toMatch(/^ 1 2 \|\s+ 2 1 \|\s+ 1 2 \|/);
    expect(lines[header + 1]?.trimEnd().endsWith('2 1 |')).toBe(true);
    // Eligible: the 4 swapped cells + the 8 label-PAD positions of the 4×4 canvas = 12, so 6 switch per step.
    const table = lines.slice(lines.indexOf('step  supervised  changed  off-label') + 1, -1).map((l) => l.trim().split(/\s+/));
    expect(table.map((row) => row[2])).toEqual(['-', '6', '6']);
  });

  it('prints the frames as JSON for a generated family, deterministically per seed', () => {
    const args = ['targets', '--family', 'sudoku', '--generator', 'programmable', '--nsup', '4', '--json'];
    const a = JSON.parse(cli(...args).stdout) as { frames: number[][]; label: number[]; input: number[]; side: number };
    expect(a.side).toBe(9);
    expect(a.frames).toHaveLength(5);
    expect(a.frames[0]).toEqual(a.input);
    expect(a.frames[4]).toEqual(a.label);
    expect(JSON.parse(cli(...args).stdout)).toEqual(a);
  });

  it('explains what is missing when the pair or source is wrong', () => {
    const none = cli('targets');
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('give exactly one of --file <path> or --family <id>');
    const missing = cli('targets', '--file', path.join(dir, 'swap.json'), '--pair', '4');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('task swap has 1 demonstration pairs; train[4] does not exist');
  });
});
