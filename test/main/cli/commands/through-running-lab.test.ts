// With a lab already running on the data directory (the app or `serve`: here a LabService with the
// scripted engine and its control channel, in this process), the CLI's lab commands are clients of
// that lab: every request is answered by the running service, and the CLI starts no lab of its own.
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../../../src-main/cli/index';
import { LabService } from '../../../../src-main/service/api';
import { startControlChannel, type ControlChannel } from '../../../../src-main/service/control-channel';
import type { LabEvent } from '../../../../src-shared/api/contract';
import { generateTasks } from '../../../../src-shared/generators';
import { writeCombined } from '../../../../src-shared/puzzle/formats';
import { scriptedService, tinyConfig } from '../../service/helpers';
import { captureIo } from '../capture-io';

const FIX = path.resolve('test/fixtures/torch');
let dir = '';
let dataDir = '';
let running: LabService;
let events: LabEvent[];
let control: ControlChannel;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'cli-running-lab-'));
  dataDir = path.join(dir, 'lab');
  ({ service: running, events } = scriptedService(dataDir, { startable: () => false }));
  control = await startControlChannel(running);
});
afterAll(async () => {
  await control.close();
  await running.close();
  await rm(dir, { recursive: true, force: true });
});

/** Runs a command; the spied service method must have been answered by the running lab. */
async function viaRunningLab<M extends 'importAuthorsDataset' | 'exportAuthorsDataset' | 'exportRunForAuthors' | 'importCheckpoint'>(method: M, argv: string[]): Promise<string> {
  const spy = vi.spyOn(LabService.prototype, method);
  try {
    const o = captureIo();
    expect(await main(argv, o), o.stderr()).toBe(0);
    expect(spy).toHaveBeenCalledTimes(1);
    expect(spy.mock.contexts[0]).toBe(running);
    return o.stdout();
  } finally {
    spy.mockRestore();
  }
}

describe('the CLI’s lab commands with a lab already running on the data directory', () => {
  it('import-dataset and export-dataset --dataset go through the running lab, which announces the new dataset', async () => {
    const tasks = generateTasks('recolour', { count: 2, minSide: 3, maxSide: 4, difficulty: 1, seed: 2 });
    const pair = writeCombined(tasks);
    await writeFile(path.join(dir, 'two_challenges.json'), pair.challenges);
    await writeFile(path.join(dir, 'two_solutions.json'), pair.solutions);
    const authors = path.join(dir, 'two-aug-2');
    // the tasks of an ARC file the CLI read, exported by the running lab
    expect(await viaRunningLab('exportAuthorsDataset', ['export-dataset', path.join(dir, 'two_challenges.json'), '--augmentations', '2', '--out', authors, '--data-dir', dataDir])).toMatch(/wrote .*two-aug-2\n/);

    const imported = JSON.parse(await viaRunningLab('importAuthorsDataset', ['import-dataset', authors, '--name', 'two (authors)', '--data-dir', dataDir, '--json'])) as { datasetId: string; loaded: number };
    expect(imported.loaded).toBe(2);
    expect(events.some((e) => e.type === 'library' && e.datasetId === imported.datasetId)).toBe(true);

    const again = path.join(dir, 'again');
    const exported = JSON.parse(await viaRunningLab('exportAuthorsDataset', ['export-dataset', '--dataset', 'two (authors)', '--augmentations', '1', '--out', again, '--data-dir', dataDir, '--json'])) as { folder: string; tasks: number };
    expect(exported).toMatchObject({ folder: again, tasks: 2 });
    expect((await readdir(again)).sort()).toEqual(expect.arrayContaining(['identifiers.json', 'test', 'train']));
  });

  it('import-checkpoint adds the run through the running lab, and export-run exports a run of it by id', async () => {
    const out = await viaRunningLab('importCheckpoint', ['import-checkpoint', path.join(FIX, 'trm', 'step_7'), '--data-dir', dataDir, '--canvas', '6', '--json']);
    const { run } = JSON.parse(out) as { run: { id: string; status: string; step: number } };
    expect(run).toMatchObject({ status: 'completed', step: 7 });
    expect((await running.listRuns()).map((r) => r.id)).toContain(run.id);

    const [queued] = await running.queueRuns({ configs: [tinyConfig('to export', 4)] });
    const target = path.join(dir, 'run-export');
    const s = JSON.parse(await viaRunningLab('exportRunForAuthors', ['export-run', queued!.id, '--out', target, '--data-dir', dataDir, '--json'])) as { folder: string; method: string };
    expect(s).toMatchObject({ folder: target, method: 'trm' });
    expect(await readdir(target)).toContain('train_1node.sh');
  });

  it('train queues and follows through the running lab; a file source is granted to it first', async () => {
    // (the spawned train test covers the run to its end; here: the request reaches the running lab)
    const queue = vi.spyOn(LabService.prototype, 'queueRuns');
    const file = path.join(dir, 'two_challenges.json');
    const o = captureIo();
    const done = main(['train', '--method', 'trm', '--preset', 'tiny', '--file', file, '--canvas', '6', '--steps', '2', '--batch', '4', '--data-dir', dataDir, '--json'], o);
    for (let i = 0; i < 6000 && queue.mock.calls.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(queue.mock.contexts[0]).toBe(running);
    // the running lab was told to read the file the user named, so queueing it is not refused
    const [queued] = (await queue.mock.results[0]!.value) as Array<{ id: string }>;
    expect(queued!.id).toMatch(/^run-/);
    await running.controlRun({ id: queued!.id, action: 'cancel' });
    expect(await done, o.stderr()).toBe(0);
    expect(o.stdout()).toContain('"status":"cancelled"');
    queue.mockRestore();
  });

  it('train’s progress bar shows the running lab’s own ETA (queueEta), the estimate the app shows', async () => {
    const other = path.join(dir, 'lab-that-trains');
    const { service } = scriptedService(other, {}, 20);
    const channel = await startControlChannel(service);
    const eta = vi.spyOn(LabService.prototype, 'queueEta');
    try {
      const o = captureIo();
      const code = await main(['train', '--method', 'trm', '--preset', 'tiny', '--family', 'recolour', '--tasks', '2', '--max-side', '3', '--canvas', '4', '--steps', '150', '--batch', '4', '--data-dir', other], o);
      expect(code, o.stderr()).toBe(0);
      expect(eta).toHaveBeenCalled();
      expect(eta.mock.contexts[0]).toBe(service);
      expect(o.stdout()).toMatch(/step \d+\/150 .* ETA /);
      expect(o.stdout()).toMatch(/completed at step 150/);
    } finally {
      eta.mockRestore();
      await channel.close();
      await service.close();
    }
  }, 120_000);

  it('train follows its run on when the lab that held the data directory goes away: it opens the lab itself and trains the run', async () => {
    // another command's short-lived lab (it starts no runs) holds the data directory when train begins
    const shared = path.join(dir, 'lab-that-leaves');
    const { service: holder } = scriptedService(shared, { startable: () => false });
    const channel = await startControlChannel(holder);
    const queue = vi.spyOn(LabService.prototype, 'queueRuns');
    const o = captureIo();
    const done = main(['train', '--method', 'dis', '--preset', 'tiny', '--family', 'recolour', '--tasks', '2', '--min-side', '3', '--max-side', '3', '--canvas', '4', '--batch', '4',
      '--augmentations', '1', '--eval-interval', '0', '--eval-augmentations', '1', '--backend', 'cpu', '--steps', '2', '--data-dir', shared, '--json'], o);
    try {
      for (let i = 0; i < 6000 && queue.mock.calls.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
      expect(queue.mock.contexts[0]).toBe(holder);
      const [queued] = (await queue.mock.results[0]!.value) as Array<{ id: string }>;
      await channel.close();
      await holder.close();
      expect(await done, o.stderr()).toBe(0);
      expect(o.stderr()).toMatch(new RegExp(`went away .*; following run ${queued!.id} on`));
      const finished = o.stdout().split('\n').filter((l) => l.includes('"type":"finished"')).map((l) => JSON.parse(l) as { run: { id: string; status: string; step: number } });
      expect(finished.at(-1)?.run).toMatchObject({ id: queued!.id, status: 'completed', step: 2 });
    } finally {
      queue.mockRestore();
      await channel.close();
      await holder.close();
    }
  }, 180_000);
});
