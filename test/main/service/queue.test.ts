import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkPair } from '../../../src-main/service/queue';
import { openDb } from '../../../src-main/service/store/db';
import type { LabService } from '../../../src-main/service/api';
import { defaultRunConfig } from '../../../src-shared/method/run-config';
import { expectContiguous, scriptedService, tempDataDir, tinyConfig, waitForStatus } from './helpers';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function setup(queue = {}, stepMs = 15) {
  const { dir, cleanup } = tempDataDir();
  const s = scriptedService(dir, queue, stepMs);
  cleanups.push(cleanup, () => s.service.close());
  return { dir, ...s };
}

async function lossSteps(service: LabService, runId: string): Promise<number[]> {
  const [series] = await service.getMetrics({ runId, keys: ['lm_loss'] });
  return series!.points.map((p) => p.step);
}

describe('the run queue', () => {
  it('runs three queued runs one at a time, in order', async () => {
    const { service, events } = setup();
    const runs = await service.queueRuns({ configs: [tinyConfig('a', 12), tinyConfig('b', 12), tinyConfig('c', 12)] });
    expect(runs.map((r) => r.queuePosition)).toEqual([null, 2, 3]); // the first started at once
    expect(new Set(runs.map((r) => r.group)).size).toBe(1);
    for (const r of runs) await waitForStatus(service, r.id, ['completed']);
    const startOrder = events.flatMap((e) => (e.type === 'run' && e.run.status === 'running' && e.run.step === 0 ? [e.run.id] : []));
    expect([...new Set(startOrder)]).toEqual(runs.map((r) => r.id));
    // never two running at once
    const running = new Set<string>();
    for (const e of events) {
      if (e.type !== 'run') continue;
      if (e.run.status === 'running') running.add(e.run.id);
      else running.delete(e.run.id);
      expect(running.size).toBeLessThanOrEqual(1);
    }
    for (const r of runs) expectContiguous(await lossSteps(service, r.id));
    const detail = await service.getRun({ id: runs[0]!.id });
    expect(detail).toMatchObject({ status: 'completed', step: 12, trainableParams: 1234, backend: { device: 'scripted test engine' } });
    expect((await service.listCheckpoints({ runId: runs[0]!.id })).map((c) => c.step)).toEqual([10, 12]);
  });

  it('batches metric events instead of sending one per step', async () => {
    const { service, events } = setup({ flushIntervalMs: 200 }, 10);
    const [run] = await service.queueRuns({ configs: [tinyConfig('batched', 60)] });
    await waitForStatus(service, run!.id, ['completed']);
    const metricEvents = events.filter((e) => e.type === 'metrics');
    const points = metricEvents.flatMap((e) => (e.type === 'metrics' ? e.series.find((s) => s.key === 'lm_loss')!.points : []));
    expectContiguous(points.map((p) => p.step));
    expect(metricEvents.length).toBeLessThan(30);
  });

  it('pauses a run at a checkpoint and resumes it from there, ahead of the queue, without gaps or duplicate metrics', async () => {
    const { service, dir } = setup();
    const [run, other] = await service.queueRuns({ configs: [tinyConfig('pausable', 150), tinyConfig('behind', 400)] });
    await expect.poll(async () => (await service.getRun({ id: run!.id })).step, { timeout: 30_000 }).toBeGreaterThan(15);
    await service.controlRun({ id: run!.id, action: 'pause' });
    const paused = await waitForStatus(service, run!.id, ['paused']);
    expect(paused.step).toBeLessThan(150);
    const cps = await service.listCheckpoints({ runId: run!.id });
    expect(cps.at(-1)!.step).toBe(paused.step);
    // the queued run took the engine meanwhile; pause it too so that the resumed run goes first
    await waitForStatus(service, other!.id, ['running']);
    await service.controlRun({ id: other!.id, action: 'pause' });
    await waitForStatus(service, other!.id, ['paused']);
    await service.controlRun({ id: other!.id, action: 'resume' });
    await service.controlRun({ id: run!.id, action: 'resume' });
    const order = (await service.listRuns()).filter((r) => r.status === 'queued' || r.status === 'running').sort((a, b) => (a.queuePosition ?? 0) - (b.queuePosition ?? 0));
    expect(order[0]!.id).toBe(run!.id);
    await waitForStatus(service, run!.id, ['completed']);
    expectContiguous(await lossSteps(service, run!.id));
    await waitForStatus(service, other!.id, ['completed']);
    expect(JSON.parse(readFileSync(path.join(dir, 'runs', run!.id, 'config.json'), 'utf8'))).toMatchObject({ name: 'pausable' });
  });

  it('marks a run whose engine is killed as failed with the signal, and goes on with the next', async () => {
    const { service } = setup();
    const [bad, good] = await service.queueRuns({ configs: [tinyConfig('crash@5', 20), tinyConfig('fine', 8)] });
    const failed = await waitForStatus(service, bad!.id, ['failed']);
    expect(failed.error).toMatch(/SIGKILL/);
    await waitForStatus(service, good!.id, ['completed']);
  });

  it('resumes a crashed run from its checkpoint when configured to', async () => {
    const { service } = setup({ onEngineCrash: 'resume' });
    const [run] = await service.queueRuns({ configs: [tinyConfig('crash@15', 30)] });
    const done = await waitForStatus(service, run!.id, ['completed', 'failed']);
    expect(done.status).toBe('completed');
    expect(done.error).toBeNull();
    expectContiguous(await lossSteps(service, run!.id));
  });

  it('gives up resuming a run that keeps crashing', async () => {
    const { service } = setup({ onEngineCrash: 'resume', maxCrashResumes: 1 });
    const [run] = await service.queueRuns({ configs: [tinyConfig('crash@12 always', 30)] });
    expect((await waitForStatus(service, run!.id, ['failed'])).error).toMatch(/SIGKILL/);
  });

  it('ends a run whose loss becomes NaN as diverged', async () => {
    const { service } = setup();
    const [run] = await service.queueRuns({ configs: [tinyConfig('diverge@4', 20)] });
    const r = await waitForStatus(service, run!.id, ['diverged']);
    expect(r.error).toMatch(/diverged/);
    const [series] = await service.getMetrics({ runId: run!.id, keys: ['lm_loss'] });
    expect(Number.isNaN(series!.points.at(-1)!.value)).toBe(true);
  });

  it('fails a run whose engine sends an invalid message, naming the problem', async () => {
    const { service } = setup();
    const [run] = await service.queueRuns({ configs: [tinyConfig('garbage', 20)] });
    expect((await waitForStatus(service, run!.id, ['failed'])).error).toMatch(/invalid 'progress' message/);
  });

  it('reorders, pauses, cancels and deletes queued runs', async () => {
    const { service, dir } = setup();
    const [a, b, c, d] = await service.queueRuns({ configs: [tinyConfig('a', 400), tinyConfig('b', 5), tinyConfig('c', 5), tinyConfig('d', 5)] });
    await service.reorderQueue({ ids: [d!.id, c!.id] });
    const queued = (await service.listRuns()).filter((r) => r.status === 'queued').sort((x, y) => x.queuePosition! - y.queuePosition!);
    expect(queued.map((r) => r.name)).toEqual(['d', 'c', 'b']);
    await expect(service.reorderQueue({ ids: [a!.id] })).rejects.toThrow(/not queued/);
    await service.controlRun({ id: b!.id, action: 'pause' });
    await service.controlRun({ id: c!.id, action: 'cancel' });
    expect((await service.getRun({ id: b!.id })).status).toBe('paused');
    expect((await service.getRun({ id: c!.id })).status).toBe('cancelled');
    await expect(service.controlRun({ id: c!.id, action: 'pause' })).rejects.toThrow(/cannot|only/);
    await service.controlRun({ id: a!.id, action: 'delete' });
    await expect(service.getRun({ id: a!.id })).rejects.toThrow(/no run/);
    expect(existsSync(path.join(dir, 'runs', a!.id))).toBe(false);
    await waitForStatus(service, d!.id, ['completed']);
  });

  it('gives queued runs an ETA from measured throughput', async () => {
    const { service } = setup();
    const [first] = await service.queueRuns({ configs: [tinyConfig('measure', 10)] });
    await waitForStatus(service, first!.id, ['completed']);
    const [x, y, z] = await service.queueRuns({ configs: [tinyConfig('x', 300), tinyConfig('y', 100), tinyConfig('z', 100)] });
    const byId = new Map((await service.listRuns()).map((r) => [r.id, r]));
    // The scripted engine reports 1000 examples/s with batch size 4: 100 steps = 0.4 s.
    expect(byId.get(y!.id)!.etaSec).toBeGreaterThan(0.4);
    expect(byId.get(z!.id)!.etaSec! - byId.get(y!.id)!.etaSec!).toBeCloseTo(0.4, 5);
    await service.controlRun({ id: x!.id, action: 'cancel' });
  });

  it('checks that a pair shares data, seed and backbone', () => {
    const trm = defaultRunConfig('trm', 'tiny');
    const dis = defaultRunConfig('dis', 'tiny');
    expect(() => checkPair([trm, dis])).not.toThrow();
    expect(() => checkPair([trm, trm])).toThrow(/one TRM and one DIS/);
    expect(() => checkPair([trm, { ...dis, seed: 9 }])).toThrow(/seed/);
    expect(() => checkPair([trm, { ...dis, model: { ...dis.model, hidden: 128 } }])).toThrow(/model\.hidden/);
    expect(() => checkPair([trm, { ...dis, data: { ...dis.data, augmentations: 1 } }])).toThrow(/same data/);
  });

  it('comes back after a shutdown with the interrupted run continuing from its checkpoint', async () => {
    const { dir, cleanup } = tempDataDir();
    cleanups.push(cleanup);
    const first = scriptedService(dir);
    const [run, next] = await first.service.queueRuns({ configs: [tinyConfig('long', 150), tinyConfig('after', 5)] });
    await expect.poll(async () => (await first.service.getRun({ id: run!.id })).step, { timeout: 30_000 }).toBeGreaterThan(12);
    await first.service.close();
    const second = scriptedService(dir);
    cleanups.push(() => second.service.close());
    // the interrupted run is first again, ahead of the one that was waiting
    await waitForStatus(second.service, run!.id, ['completed']);
    expect((await second.service.getRun({ id: next!.id })).status).not.toBe('completed');
    await waitForStatus(second.service, next!.id, ['completed']);
    expectContiguous(await lossSteps(second.service, run!.id));
  });

  it('after a crash of the service, re-queues running runs and drops checkpoints it never recorded', async () => {
    const { dir, cleanup } = tempDataDir();
    cleanups.push(cleanup);
    const first = scriptedService(dir);
    const [run] = await first.service.queueRuns({ configs: [tinyConfig('recover', 40)] });
    await first.service.controlRun({ id: run!.id, action: 'pause' });
    await first.service.close();
    // Simulate a crash mid-run: status 'running' and a checkpoint on disk the DB never heard of.
    const db = openDb(dir);
    db.prepare("UPDATE runs SET status = 'running', queue_position = NULL, started_at = '2020-01-01' WHERE id = ?").run(run!.id);
    db.close();
    const orphan = path.join(dir, 'runs', run!.id, 'checkpoints', 'step-00000030');
    mkdirSync(orphan, { recursive: true });
    const second = scriptedService(dir);
    cleanups.push(() => second.service.close());
    expect(existsSync(orphan)).toBe(false);
    await waitForStatus(second.service, run!.id, ['completed']);
    expectContiguous(await lossSteps(second.service, run!.id));
    expect(readdirSync(path.join(dir, 'runs', run!.id, 'checkpoints'))).toContain('step-00000040');
  });

  it('refuses a second service on the same data directory', async () => {
    const { dir } = setup();
    expect(() => scriptedService(dir)).toThrow(/another Puzzle Lab service/);
  });
});
