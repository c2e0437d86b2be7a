// infer and adapt on a run of the lab goes through the lab service (its canvas rule, its engine); on a checkpoint
// folder outside the lab it runs the engine here after the same canvas rule, refused in the same words.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../../src-main/cli/index';
import { LabService } from '../../../src-main/service/api';
import type { InferResult } from '../../../src-shared/method/protocol';
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

  it('refuses a grid larger than the run’s canvas through the service, and a checkpoint folder with the same advice', async () => {
    const infer = vi.spyOn(LabService.prototype, 'infer');
    const viaLab = captureIo();
    expect(await main(['infer', runId, big(), '--data-dir', dataDir], viaLab)).toBe(1);
    expect(infer).toHaveBeenCalledTimes(1);
    expect(viaLab.stderr()).toBe(
      "puzzle-lab infer: task big: test 1 input (7×7), test 1 output (7×7) are larger than the run's 6×6 canvas. Crop or resize to at most 5×5 (Rows/Cols in the editor). " +
        'Or train a new run with a canvas of at least 8 (run setup uses the same rule).\n',
    );
    const viaFolder = captureIo();
    expect(await main(['infer', outDir, big()], viaFolder)).toBe(1);
    expect(infer).toHaveBeenCalledTimes(1);
    expect(viaFolder.stderr()).toBe(viaLab.stderr());
    expect(viaFolder.stdout()).toBe('');
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
