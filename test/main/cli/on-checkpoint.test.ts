// infer, adapt and eval on a run of the lab go through the lab's API (its canvas rule, its engine); so does a
// checkpoint folder outside the lab, handed to the lab of the given data directory, refused in the same words.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../../src-main/cli/index';
import { LabService } from '../../../src-main/service/api';
import type { EvalReport, InferResult } from '../../../src-shared/method/protocol';
import { captureIo } from './capture-io';
import { stepBoundedFile } from '../../step-bounded';

// Bounded by optimizer steps and fixed work, not seconds (see test/step-bounded.ts).
stepBoundedFile();

let dir = '';
let dataDir = '';
let outDir = '';
let runId = '';
const fits = () => path.join(dir, 'fits.json');
const big = () => path.join(dir, 'big.json');

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'cli-on-checkpoint-'));
  dataDir = path.join(dir, 'lab');
  outDir = path.join(dir, 'exported');
  // prettier-ignore
  const train = ['train', '--method', 'trm', '--family', 'recolour', '--tasks', '2', '--min-side', '2', '--max-side', '4', '--canvas', '6', '--augmentations', '1',
    '--hidden', '16', '--layers', '1', '--heads', '2', '--T', '1', '--n', '1', '--nsup', '2', '--steps', '2', '--batch', '4', '--eval-augmentations', '1',
    '--backend', 'wasm', '--data-dir', dataDir, '--out', outDir, '--json'];
  const t = captureIo();
  expect(await main(train, t), t.stderr()).toBe(0);
  const finished = t
    .stdout()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as { type: string; run?: { id: string; status: string } })
    .find((e) => e.type === 'finished');
  expect(finished?.run?.status).toBe('completed');
  runId = finished!.run!.id;
  const grid = (side: number) => Array.from({ length: side }, (_, r) => Array.from({ length: side }, (_, c) => (r + c) % 3));
  await writeFile(fits(), JSON.stringify({ train: [{ input: grid(3), output: grid(3) }], test: [{ input: grid(3), output: grid(3) }] }));
  await writeFile(big(), JSON.stringify({ train: [{ input: grid(3), output: grid(3) }], test: [{ input: grid(7), output: grid(7) }] }));
}, 240_000);
afterAll(async () => {
  vi.restoreAllMocks();
  await rm(dir, { recursive: true, force: true });
});

describe('puzzle-lab infer on a checkpoint', () => {
  it('runs a lab run by id through the lab service, printing its InferResult as before', async () => {
    const infer = vi.spyOn(LabService.prototype, 'infer');
    const o = captureIo();
    expect(await main(['infer', runId, fits(), '--data-dir', dataDir, '--json'], o), o.stderr()).toBe(0);
    expect(infer).toHaveBeenCalledTimes(1);
    expect(infer.mock.calls[0]![0]).toMatchObject({ runId, testIndex: 0, augmentations: 0 });
    const r = JSON.parse(o.stdout()) as InferResult;
    expect(r).toMatchObject({ side: 6 });
    expect(r.steps).toHaveLength(2);
    infer.mockRestore();
  }, 120_000);

  it('refuses a grid larger than the run’s canvas through the service, for a run id and a checkpoint folder alike', async () => {
    const infer = vi.spyOn(LabService.prototype, 'infer');
    const viaLab = captureIo();
    expect(await main(['infer', runId, big(), '--data-dir', dataDir], viaLab)).toBe(1);
    expect(infer).toHaveBeenCalledTimes(1);
    expect(viaLab.stderr()).toBe(
      "puzzle-lab infer: task big: test 1 input (7×7), test 1 output (7×7) are larger than the run's 6×6 canvas. Crop or resize to at most 5×5 (Rows/Cols in the editor). " +
        'Or train a new run with a canvas of at least 8 (run setup uses the same rule).\n',
    );
    const viaFolder = captureIo();
    expect(await main(['infer', outDir, big(), '--data-dir', path.join(dir, 'other-lab')], viaFolder)).toBe(1);
    expect(infer).toHaveBeenCalledTimes(2);
    expect(infer.mock.calls[1]![0]).toMatchObject({ checkpointDir: expect.stringContaining(outDir) });
    expect(viaFolder.stderr()).toBe(viaLab.stderr());
    expect(viaFolder.stdout()).toBe('');
    infer.mockRestore();
  }, 120_000);

  it('runs a checkpoint folder through the lab of the given data directory, to the same result as the run id', async () => {
    const infer = vi.spyOn(LabService.prototype, 'infer');
    const byId = captureIo();
    expect(await main(['infer', runId, fits(), '--data-dir', dataDir, '--json'], byId), byId.stderr()).toBe(0);
    const byFolder = captureIo();
    expect(await main(['infer', outDir, fits(), '--data-dir', path.join(dir, 'other-lab'), '--json'], byFolder), byFolder.stderr()).toBe(0);
    expect(infer).toHaveBeenCalledTimes(2);
    const a = JSON.parse(byId.stdout()) as InferResult;
    const b = JSON.parse(byFolder.stdout()) as InferResult;
    expect(b.steps.map((s) => s.tokens)).toEqual(a.steps.map((s) => s.tokens));
    infer.mockRestore();
  }, 120_000);

  it('adapts a lab run by id through the lab service, printing the service’s progress events and the report', async () => {
    const adapt = vi.spyOn(LabService.prototype, 'adapt');
    const o = captureIo();
    expect(await main(['adapt', '--checkpoint', runId, '--task', fits(), '--steps', '4', '--augmentations', '1', '--seed', '3', '--data-dir', dataDir, '--color', 'never'], o), o.stderr()).toBe(0);
    expect(adapt).toHaveBeenCalledTimes(1);
    expect(adapt.mock.calls[0]![0]).toMatchObject({ runId, steps: 4, augmentations: 1, seed: 3 });
    expect(o.stdout()).toContain('step 4/4  loss ');
    expect(o.stdout()).toMatch(/adapted \d+ version\(s\) of task fits in 4 step\(s\) \(sign-sgd, embedding\); saved to /);
    adapt.mockRestore();
  }, 120_000);
});

describe('puzzle-lab eval through the lab API (evaluateCheckpoint)', () => {
  const evalJson = async (argv: string[]): Promise<EvalReport> => {
    const o = captureIo();
    expect(await main(['eval', ...argv, '--augmentations', '1', '--json'], o), o.stderr()).toBe(0);
    return JSON.parse(o.stdout()) as EvalReport;
  };

  it('evaluates a lab run by id and a checkpoint folder with no lab running, through the service request, to the same report', async () => {
    const evaluate = vi.spyOn(LabService.prototype, 'evaluateCheckpoint');
    const byId = await evalJson([runId, fits(), '--data-dir', dataDir]);
    expect(evaluate).toHaveBeenCalledTimes(1);
    expect(evaluate.mock.calls[0]![0]).toMatchObject({ runId, augmentations: 1 });
    expect(byId).toMatchObject({ step: 2 });
    expect(byId.tasks).toHaveLength(1);
    // a folder outside the lab: the lab of the given data directory evaluates it, the path granted by the CLI
    const byFolder = await evalJson([outDir, fits(), '--data-dir', path.join(dir, 'other-lab')]);
    expect(evaluate).toHaveBeenCalledTimes(2);
    expect(evaluate.mock.calls[1]![0]).toMatchObject({ checkpointDir: expect.stringContaining(outDir) });
    expect(byFolder).toEqual(byId);
    evaluate.mockRestore();
  }, 120_000);

  it('with a lab already running on the data directory, evaluates through its control channel', async () => {
    const { forkLauncher } = await import('../../../src-main/engine/process/host');
    const { startControlChannel } = await import('../../../src-main/service/control-channel');
    const running = new LabService({ dataDir, mode: 'serve', launcher: forkLauncher(), probeBackend: false, log: () => {} });
    const control = await startControlChannel(running);
    const evaluate = vi.spyOn(LabService.prototype, 'evaluateCheckpoint');
    try {
      const viaChannel = await evalJson([runId, fits(), '--data-dir', dataDir]);
      expect(evaluate).toHaveBeenCalledTimes(1);
      // the running lab answered (the CLI started no lab of its own)
      expect(evaluate.mock.contexts[0]).toBe(running);
      expect(viaChannel).toMatchObject({ step: 2 });
      // a bad task file is refused before anything is sent, naming the file
      const bad = captureIo();
      await writeFile(path.join(dir, 'bad.json'), '{"train": []');
      expect(await main(['eval', runId, path.join(dir, 'bad.json'), '--data-dir', dataDir], bad)).toBe(1);
      expect(bad.stderr()).toMatch(/bad\.json/);
    } finally {
      evaluate.mockRestore();
      await control.close();
      await running.close();
    }
  }, 120_000);
});
