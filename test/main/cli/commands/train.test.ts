import { describe, expect, it } from 'vitest';
import { parseArgs } from '../../../../src-main/cli/args';
import { configFromArgs, progressLine, spec } from '../../../../src-main/cli/commands/train';
import { defaultRunConfig } from '../../../../src-shared/method/run-config';
import { stepBoundedFile } from '../../../step-bounded';

// Bounded by optimizer steps and fixed work, not seconds (see test/step-bounded.ts).
stepBoundedFile();

const config = (...argv: string[]) => configFromArgs(parseArgs(spec, argv));

describe('puzzle-lab train configuration', () => {
  it('starts from the faithful defaults of the method', async () => {
    expect(await config('--method', 'trm')).toEqual(defaultRunConfig('trm'));
    expect(await config()).toEqual(defaultRunConfig('dis'));
  });

  it('applies sizes, data, budget and DIS flags, marking changed DIS options as custom', async () => {
    const c = await config(
      '--method', 'dis', '--preset', 'tiny', '--family', 'gravity', '--tasks', '5', '--max-side', '7', '--canvas', '10',
      '--steps', '300', '--batch', '16', '--nsup', '4', '--targets', 'mask', '--seed', '9', '--augmentations', '2',
    );
    expect(c.model).toMatchObject({ preset: 'tiny', hidden: 64, Nsup: 4 });
    expect(c.data.source).toMatchObject({ kind: 'family', family: 'gravity', tasks: 5, maxSide: 7 });
    expect(c.data).toMatchObject({ canvas: 10, augmentations: 2 });
    expect(c).toMatchObject({ batchSize: 16, seed: 9, mode: 'custom', budget: { optimizerSteps: 300 } });
    expect(c.dis.targets).toBe('mask');
    // The default 2000-step warm-up would outlast a 300-step run; it shrinks to a tenth of the run.
    expect(c.optimizer.warmupSteps).toBe(30);
  });

  it('builds N-Queens, Sudoku and file sources', async () => {
    expect((await config('--nqueens', '6', '--tasks', '40')).data.source).toEqual({ kind: 'nqueens', n: 6, train: 40, test: 10, seed: 0 });
    expect((await config('--sudoku', '--tasks', '8', '--difficulty', '2')).data.source).toEqual({ kind: 'sudoku', train: 8, test: 2, difficulty: 2, seed: 0 });
    const f = await config('--file', 'some/dir');
    expect(f.data.source.kind).toBe('file');
  });

  it('starts from a recipe and records what the flags changed from it', async () => {
    const c = await config('--recipe', 'sudoku-extreme', '--steps', '500', '--batch', '32');
    expect(c.method).toBe('trm');
    expect(c.model).toMatchObject({ mixer: 'mlp_t', posEncodings: 'none' });
    expect(c.recipe?.id).toBe('sudoku-extreme');
    expect(c.recipe?.changes.map((x) => x.path)).toEqual(['batchSize', 'budget.optimizerSteps', 'optimizer.warmupSteps']);
    await expect(config('--recipe', 'maze', '--method', 'dis')).rejects.toThrow(/recipe maze is a TRM recipe; it has no DIS setting/);
    const q = await config('--recipe', 'dis-nqueens');
    expect(q.optimizer.kind).toBe('adam-atan2-lucidrains');
    expect(q.recipe?.changes).toEqual([]);
  });

  it('translates ARC-style training examples by default, as the authors; --no-translate turns it off; boards are never translated', async () => {
    expect((await config('--family', 'gravity')).data.translate).toBe(true);
    expect((await config('--family', 'gravity', '--no-translate')).data.translate).toBe(false);
    expect((await config('--nqueens', '6')).data.translate).toBe(false);
    await expect(config('--sudoku', '--translate')).rejects.toThrow(/--translate applies to ARC-style sources/);
  });

  it('refuses contradictory or invalid settings with the field named', async () => {
    await expect(config('--nqueens', '6', '--file', 'x')).rejects.toThrow(/choose one data source, got --nqueens and --file/);
    await expect(config('--method', 'trm', '--targets', 'mask')).rejects.toThrow(/DIS options; this is a TRM run/);
    await expect(config('--canvas', '40')).rejects.toThrow(/invalid run config at data\.canvas/);
    // a bad --steps is reported as the budget, not as the warm-up derived from it
    await expect(config('--steps', '-3')).rejects.toThrow(/invalid run config at budget\.optimizerSteps/);
    await expect(config('--steps', '0')).rejects.toThrow(/invalid run config at budget\.optimizerSteps/);
    await expect(config('--sudoku', '--min-side', '3')).rejects.toThrow(/--min-side applies to --family sources only/);
  });
});

describe('progress line', () => {
  it('shows step, bar, loss, accuracy, speed and ETA', () => {
    const line = progressLine(
      {
        type: 'progress', step: 50, totalSteps: 100, trajectories: 10, examplesPerSec: 12.34, etaSec: 125, wallSec: 100,
        metrics: { lm_loss: 1.23456, token_accuracy: 0.5 }, calls: { grad: 1, noGrad: 0 },
      },
      100,
    );
    expect(line).toContain('step 50/100  loss 1.2346  acc 0.500  12.3 ex/s  ETA 2m05s');
    const bar = /▕(█*)(░*)▏/.exec(line);
    const [done, todo] = [bar?.[1]?.length ?? 0, bar?.[2]?.length ?? 0];
    expect(Math.abs(done - todo)).toBeLessThanOrEqual(1);
    expect(done + todo).toBeGreaterThanOrEqual(10);
  });
});

describe('puzzle-lab train (spawned, tiny run on the cpu backend)', () => {
  it('trains, reports JSON events, writes a valid checkpoint and resumes from it', async () => {
    const { spawnSync } = await import('node:child_process');
    const { mkdtemp, readFile, rm } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const path = await import('node:path');
    const { readCheckpoint } = await import('../../../../src-main/engine/checkpoint-io');
    const root = path.resolve(import.meta.dirname, '../../../..');
    const out = await mkdtemp(path.join(tmpdir(), 'cli-train-'));
    const run = (...extra: string[]) => {
      const r = spawnSync(
        process.execPath,
        [
          '--import', 'tsx', path.join(root, 'src-main/cli/index.ts'), 'train',
          '--method', 'dis', '--preset', 'tiny', '--family', 'recolour', '--tasks', '2', '--min-side', '3', '--max-side', '3',
          '--canvas', '4', '--batch', '4', '--augmentations', '1', '--eval-interval', '0', '--eval-augmentations', '1',
          '--backend', 'cpu', '--out', out, '--json', ...extra,
        ],
        { cwd: root, encoding: 'utf8' },
      );
      const events = r.stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { type: string; [k: string]: unknown });
      return { code: r.status, stderr: r.stderr, events };
    };
    try {
      const first = run('--steps', '2');
      expect(first.code, first.stderr).toBe(0);
      expect(first.events[0]?.type).toBe('started');
      expect(first.events.at(-1)).toMatchObject({ type: 'finished', status: 'completed', step: 2 });
      expect(first.events.some((e) => e.type === 'progress')).toBe(true);
      const ckpt = first.events.find((e) => e.type === 'checkpoint') as { path: string; step: number } | undefined;
      expect(ckpt?.step).toBe(2);
      expect((await readCheckpoint(ckpt?.path ?? '')).step).toBe(2);
      const saved = JSON.parse(await readFile(path.join(out, 'config.json'), 'utf8')) as { budget: { optimizerSteps: number } };
      expect(saved.budget.optimizerSteps).toBe(2);

      const second = run('--steps', '3', '--resume');
      expect(second.code, second.stderr).toBe(0);
      expect(second.events[0]).toMatchObject({ type: 'started', startStep: 2, totalSteps: 3 });
      expect(second.events.at(-1)).toMatchObject({ type: 'finished', status: 'completed', step: 3 });
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });
});
