// One crash rule on both resume paths (an engine-only crash, and a restart of the service): a
// checkpoint on disk the database never recorded is adopted when its manifest reads and the recorded
// metrics reach its step, and removed otherwise, so a resume never leaves a gap in the curves and
// never throws away progress the record covers.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { LabService } from '../../../src-main/service/api';
import { openDb } from '../../../src-main/service/store/db';
import { expectContiguous, scriptedService, tempDataDir, tinyConfig, waitForStatus } from './helpers';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function lossSteps(service: LabService, runId: string): Promise<number[]> {
  const [series] = await service.getMetrics({ runId, keys: ['lm_loss'] });
  return series!.points.map((p) => p.step);
}

const stepDir = (dir: string, runId: string, step: number) => path.join(dir, 'runs', runId, 'checkpoints', `step-${String(step).padStart(8, '0')}`);

describe('the crash rule for unrecorded checkpoints', () => {
  it('after an engine-only crash, adopts the checkpoint the engine wrote but never reported and resumes from it', async () => {
    const { dir, cleanup } = tempDataDir();
    const { service } = scriptedService(dir, { onEngineCrash: 'resume', minFreeBytes: 0 });
    cleanups.push(cleanup, () => service.close());
    const [run] = await service.queueRuns({ configs: [tinyConfig('unreported@17', 30)] });
    const done = await waitForStatus(service, run!.id, ['completed', 'failed']);
    expect(done.status).toBe('completed');
    expect((await service.listCheckpoints({ runId: run!.id })).map((c) => c.step)).toContain(17);
    expectContiguous(await lossSteps(service, run!.id));
  });

  it('after a restart, adopts the same kind of checkpoint, and removes those the record does not reach or that do not read', async () => {
    const { dir, cleanup } = tempDataDir();
    cleanups.push(cleanup);
    const first = scriptedService(dir, { minFreeBytes: 0 });
    const [run] = await first.service.queueRuns({ configs: [tinyConfig('restart', 60)] });
    await expect.poll(async () => (await first.service.getRun({ id: run!.id })).step, { timeout: 30_000 }).toBeGreaterThan(12);
    await first.service.controlRun({ id: run!.id, action: 'pause' });
    const paused = (await waitForStatus(first.service, run!.id, ['paused'])).step;
    await first.service.close();
    // The engine got 5 steps further and wrote a checkpoint, and the service died before recording it.
    const db = openDb(dir);
    db.prepare("UPDATE runs SET status = 'running', queue_position = NULL WHERE id = ?").run(run!.id);
    const ins = db.prepare('INSERT INTO metrics (run_id, key, step, value, wall_sec, trajectories, fwd_equiv) VALUES (?, ?, ?, ?, 0, 0, 0)');
    for (let s = paused + 1; s <= paused + 5; s++) ins.run(run!.id, 'lm_loss', s, 1 / s);
    db.close();
    const write = (step: number, manifest: string) => {
      mkdirSync(stepDir(dir, run!.id, step), { recursive: true });
      writeFileSync(path.join(stepDir(dir, run!.id, step), 'manifest.json'), manifest);
    };
    write(paused + 5, JSON.stringify({ step: paused + 5 }));
    write(paused + 3, '{"step": broken');
    write(paused + 9, JSON.stringify({ step: paused + 9 })); // beyond what the metrics record
    const second = scriptedService(dir, { minFreeBytes: 0 });
    cleanups.push(() => second.service.close());
    expect(existsSync(stepDir(dir, run!.id, paused + 9))).toBe(false);
    expect(existsSync(stepDir(dir, run!.id, paused + 3))).toBe(false);
    expect((await second.service.listCheckpoints({ runId: run!.id })).map((c) => c.step)).toContain(paused + 5);
    await waitForStatus(second.service, run!.id, ['completed']);
    expectContiguous(await lossSteps(second.service, run!.id));
  });
});
