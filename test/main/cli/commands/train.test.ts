import { describe, expect, it } from 'vitest';
import { parseArgs } from '../../../../src-main/command-line/args';
import { configFromArgs, etaLabel, progressLine, spec } from '../../../../src-main/cli/commands/train';
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

  it('names the DIS mode by the same rule as the app’s run setup: the paper’s four options are the paper mode', async () => {
    const paper = await config('--targets', 'mask', '--x-source', 'original', '--eligibility', 'label-only', '--step-weights', 'linear');
    expect(paper.mode).toBe('paper');
    expect((await config('--targets', 'mask')).mode).toBe('custom');
    expect((await config('--targets', 'reveal')).mode).toBe('code');
  });

  it('trains HRM with --method hrm: its defaults, the tiny preset, --h-layers, and refuses TRM/DIS-only or HRM-only flags on the wrong method', async () => {
    expect(await config('--method', 'hrm')).toEqual(defaultRunConfig('hrm'));
    const tiny = await config('--method', 'hrm', '--preset', 'tiny', '--steps', '100');
    expect(tiny.model).toMatchObject({ preset: 'tiny', hidden: 64, layers: 1, hLayers: 1, T: 2, n: 2, Nsup: 16, puzzleEmbLen: 1 });
    const custom = await config('--method', 'hrm', '--preset', 'tiny', '--layers', '2', '--h-layers', '3');
    expect(custom.model).toMatchObject({ preset: 'custom', layers: 2, hLayers: 3 });
    await expect(config('--method', 'trm', '--h-layers', '2')).rejects.toThrow(/--h-layers sizes HRM's high-level network; this run's method is TRM/);
    await expect(config('--method', 'hrm', '--targets', 'mask')).rejects.toThrow(/DIS options; this run's method is HRM/);
    await expect(config('--method', 'hrm', '--mixer', 'mlp_t')).rejects.toThrow(/model\.mixer: HRM has no MLP token mixer/);
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
    await expect(config('--method', 'trm', '--targets', 'mask')).rejects.toThrow(/DIS options; this run's method is TRM/);
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
      { step: 50, totalSteps: 100, examplesPerSec: 12.34, eta: { lowSec: 125, highSec: 125, known: true }, metrics: { lm_loss: 1.23456, token_accuracy: 0.5 } },
      100,
    );
    expect(line).toContain('step 50/100  loss 1.2346  acc 0.500  12.3 ex/s  ETA 2m05s');
    const bar = /▕(█*)(░*)▏/.exec(line);
    const [done, todo] = [bar?.[1]?.length ?? 0, bar?.[2]?.length ?? 0];
    expect(Math.abs(done - todo)).toBeLessThanOrEqual(1);
    expect(done + todo).toBeGreaterThanOrEqual(10);
  });

  it('shows the lab’s ETA as the app does: one value once measured, a range before, ? when nothing is measured', () => {
    expect(etaLabel({ lowSec: 125, highSec: 125, known: true })).toBe('2m05s');
    expect(etaLabel({ lowSec: 60, highSec: 120, known: false })).toBe('1m00s–2m00s');
    expect(etaLabel(null)).toBe('?');
    // counted down past its estimate, never negative
    expect(etaLabel({ lowSec: -5, highSec: -1, known: true })).toBe('0s');
  });
});

/** `puzzle-lab train …` in a child process (the real CLI entry), resolving when it exits. */
async function spawnCli(root: string, argv: string[]): Promise<{ code: number | null; stdout: string; stderr: string; events: Array<{ type: string; [k: string]: unknown }> }> {
  const { spawn } = await import('node:child_process');
  const path = await import('node:path');
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'src-main/cli/index.ts'), ...argv], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (t: string) => (stdout += t));
  child.stderr.setEncoding('utf8').on('data', (t: string) => (stderr += t));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const events = stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { type: string; [k: string]: unknown });
  return { code, stdout, stderr, events };
}

const TINY = [
  'train', '--method', 'dis', '--preset', 'tiny', '--family', 'recolour', '--tasks', '2', '--min-side', '3', '--max-side', '3',
  '--canvas', '4', '--batch', '4', '--augmentations', '1', '--eval-interval', '0', '--eval-augmentations', '1', '--backend', 'cpu', '--json',
];

describe('puzzle-lab train is a run of the lab (spawned, tiny runs bounded by steps)', () => {
  it('trains in the lab’s data directory, so the service lists the run with its checkpoint, and exports it to --out', async () => {
    const { mkdtemp, readFile, rm } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const path = await import('node:path');
    const { LabService } = await import('../../../../src-main/service/api');
    const { forkLauncher } = await import('../../../../src-main/engine/process/host');
    const root = path.resolve(import.meta.dirname, '../../../..');
    const dataDir = await mkdtemp(path.join(tmpdir(), 'cli-lab-'));
    const out = path.join(dataDir, 'exported');
    try {
      const r = await spawnCli(root, [...TINY, '--steps', '2', '--data-dir', dataDir, '--out', out]);
      expect(r.code, r.stderr).toBe(0);
      const finished = r.events.at(-1) as { type: string; run: { id: string; status: string; step: number }; checkpoints: Array<{ step: number }>; out: string };
      expect(finished).toMatchObject({ type: 'finished', run: { status: 'completed', step: 2 }, out });
      expect(finished.checkpoints.at(-1)?.step).toBe(2);
      expect(r.events.some((e) => e.type === 'metrics')).toBe(true);
      // the exported folder: the run's config, its checkpoints and which lab run it is
      const saved = JSON.parse(await readFile(path.join(out, 'config.json'), 'utf8')) as { budget: { optimizerSteps: number } };
      expect(saved.budget.optimizerSteps).toBe(2);
      expect(JSON.parse(await readFile(path.join(out, 'lab-run.json'), 'utf8'))).toEqual({ runId: finished.run.id, dataDir });

      // what the app (or serve) shows afterwards: the run, completed, with its checkpoint and metrics
      const service = new LabService({ dataDir, mode: 'serve', launcher: forkLauncher(), probeBackend: false, log: () => {} });
      try {
        const listed = (await service.listRuns()).find((x) => x.id === finished.run.id);
        expect(listed).toMatchObject({ status: 'completed', step: 2, totalSteps: 2, method: 'dis' });
        expect((await service.listCheckpoints({ runId: finished.run.id })).map((c) => c.step)).toContain(2);
        expect((await service.getMetrics({ runId: finished.run.id })).length).toBeGreaterThan(0);
      } finally {
        await service.close();
      }

      // a finished run cannot be resumed, and --resume takes no new settings
      const again = await spawnCli(root, ['train', '--data-dir', dataDir, '--out', out, '--resume']);
      expect(again.code).toBe(2);
      expect(again.stderr).toMatch(/is completed; only a paused run can be resumed/);
      const changed = await spawnCli(root, ['train', '--data-dir', dataDir, '--out', out, '--resume', '--steps', '3']);
      expect(changed.code).toBe(2);
      expect(changed.stderr).toMatch(/--resume continues the run as it was configured; drop --steps/);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('pauses on Ctrl-C with a checkpoint, and --out … --resume continues the same lab run to its end', async () => {
    const { spawn } = await import('node:child_process');
    const { mkdtemp, rm } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const path = await import('node:path');
    const root = path.resolve(import.meta.dirname, '../../../..');
    const dataDir = await mkdtemp(path.join(tmpdir(), 'cli-pause-'));
    const out = path.join(dataDir, 'exported');
    try {
      const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'src-main/cli/index.ts'), ...TINY, '--steps', '150', '--data-dir', dataDir, '--out', out], {
        cwd: root,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      let interrupted = false;
      child.stderr.setEncoding('utf8').on('data', (t: string) => (stderr += t));
      child.stdout.setEncoding('utf8').on('data', (t: string) => {
        stdout += t;
        // Ctrl-C once the run reports training progress
        if (!interrupted && /"type":"run","run":\{[^\n]*"status":"running"[^\n]*"step":[1-9]/.test(stdout)) {
          interrupted = true;
          child.kill('SIGINT');
        }
      });
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      expect(code, stderr).toBe(0);
      expect(stderr).toMatch(/pausing: the run writes a checkpoint and stops/);
      const events = stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { type: string; run?: { id: string; status: string; step: number }; checkpoints?: Array<{ step: number }> });
      const paused = events.at(-1)!;
      expect(paused).toMatchObject({ type: 'finished', run: { status: 'paused' } });
      expect(paused.run!.step).toBeGreaterThan(0);
      expect(paused.run!.step).toBeLessThan(150);
      expect(paused.checkpoints!.at(-1)?.step).toBe(paused.run!.step);

      const resumed = await spawnCli(root, ['train', '--data-dir', dataDir, '--out', out, '--resume', '--json']);
      expect(resumed.code, resumed.stderr).toBe(0);
      expect(resumed.stderr).toMatch(new RegExp(`resuming run ${paused.run!.id} .* from step ${paused.run!.step}`));
      expect(resumed.events.at(-1)).toMatchObject({ type: 'finished', run: { id: paused.run!.id, status: 'completed', step: 150 } });
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('with a lab already running on the data directory, queues the run through its control channel and follows its events; only that lab trains it', async () => {
    const { rm } = await import('node:fs/promises');
    const path = await import('node:path');
    const { scriptedService, tempDataDir, waitForStatus } = await import('../../service/helpers');
    const root = path.resolve(import.meta.dirname, '../../../..');
    const { dir, cleanup } = tempDataDir();
    const { startControlChannel } = await import('../../../../src-main/service/control-channel');
    const { service, events } = scriptedService(dir);
    const control = await startControlChannel(service);
    try {
      const r = await spawnCli(root, [...TINY, '--steps', '6', '--data-dir', dir, '--out', path.join(dir, 'exported')]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toMatch(new RegExp(`run run-\\S+ in the lab already running on \\S+ \\(pid ${process.pid}\\); following it here`));
      const finished = r.events.at(-1) as { type: string; run: { id: string; status: string; step: number } };
      expect(finished).toMatchObject({ type: 'finished', run: { status: 'completed', step: 6 } });
      // the running lab (scripted engine: its own processes) trained it, and told its clients
      expect(await waitForStatus(service, finished.run.id, ['completed'])).toMatchObject({ step: 6 });
      expect(events.some((e) => e.type === 'run' && e.run.id === finished.run.id && e.run.status === 'queued')).toBe(true);
      expect(events.some((e) => e.type === 'metrics' && e.runId === finished.run.id)).toBe(true);
    } finally {
      await control.close();
      await service.close();
      cleanup();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
