// A full disk during training: the run pauses with a "disk full" state, nothing recorded is lost, the
// service keeps answering, and the run resumes by itself once writes succeed again. Three ways in: an
// injected SQLITE_FULL in the metrics flush (everywhere), free space running low (the early check,
// through the freeBytes seam), and a real 4 MiB tmpfs filled to the brim (where mounting is allowed).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { LabService } from '../../../src-main/service/api';
import { RunStore } from '../../../src-main/service/store/run-store';
import { expectContiguous, scriptedService, tempDataDir, tinyConfig, waitForStatus } from './helpers';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  vi.restoreAllMocks();
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function lossSteps(service: LabService, runId: string): Promise<number[]> {
  const [series] = await service.getMetrics({ runId, keys: ['lm_loss'] });
  return series!.points.map((p) => p.step);
}

// The service checks free space every 2 s (RunSession's spaceCheckMs); the scripted engine steps every
// 15 ms, so a run must be long enough (600 steps ≈ 9 s) that it cannot finish before the check sees
// the space run out.
async function waitForDiskFull(service: LabService, id: string) {
  await expect.poll(async () => (await service.listRuns()).find((r) => r.id === id)?.pausedFor, { timeout: 60_000, interval: 25 }).toBe('disk-full');
  return (await service.listRuns()).find((r) => r.id === id)!;
}

function tryTmpfs(bytes: number): string | null {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return null;
  const dir = mkdtempSync(path.join(tmpdir(), 'lab-tmpfs-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${bytes}`, 'tmpfs', dir], { stdio: 'ignore' });
    return dir;
  } catch {
    rmSync(dir, { recursive: true, force: true });
    return null;
  }
}
const tmpfsProbe = tryTmpfs(1 << 20);
if (tmpfsProbe !== null) {
  execFileSync('umount', [tmpfsProbe]);
  rmSync(tmpfsProbe, { recursive: true, force: true });
}

describe('a full disk during training', () => {
  it('pauses the run as "disk full" when the metrics flush fails, keeps the service up, and resumes by itself without losing a step', async () => {
    const { dir, cleanup } = tempDataDir();
    const { service } = scriptedService(dir, { minFreeBytes: 0, diskRetryBaseMs: 100, diskRetryMaxMs: 400 });
    cleanups.push(cleanup, () => service.close());
    const [run] = await service.queueRuns({ configs: [tinyConfig('fills the disk', 120)] });
    await expect.poll(async () => (await service.getRun({ id: run!.id })).step, { timeout: 60_000 }).toBeGreaterThan(15);
    const full = vi.spyOn(RunStore.prototype, 'insertMetrics').mockImplementation(() => {
      throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
    });
    const paused = await waitForDiskFull(service, run!.id);
    expect(paused.status).toBe('paused');
    expect(paused.error).toMatch(/^Disk full: .*resumes by itself/);
    // the service still answers, and keeps retrying while the disk stays full
    expect((await service.listDatasets()).length).toBeGreaterThanOrEqual(0);
    await new Promise((r) => setTimeout(r, 500));
    expect((await service.getRun({ id: run!.id })).pausedFor).toBe('disk-full');
    full.mockRestore();
    const done = await waitForStatus(service, run!.id, ['completed', 'failed'], 60_000);
    expect(done.status).toBe('completed');
    expect(done.error).toBeNull();
    expectContiguous(await lossSteps(service, run!.id));
  });

  it('pauses before a checkpoint could fail when free space runs low, says how much is left, and resumes when space returns', async () => {
    const { dir, cleanup } = tempDataDir();
    let free = 10 * 2 ** 30;
    const { service } = scriptedService(dir, { minFreeBytes: 64 * 2 ** 20, diskRetryBaseMs: 100, diskRetryMaxMs: 400, freeBytes: () => free });
    cleanups.push(cleanup, () => service.close());
    const [run] = await service.queueRuns({ configs: [tinyConfig('low space', 600)] });
    await expect.poll(async () => (await service.getRun({ id: run!.id })).step, { timeout: 60_000 }).toBeGreaterThan(5);
    free = 5 * 2 ** 20;
    const paused = await waitForDiskFull(service, run!.id);
    expect(paused.error).toMatch(/only 5\.0 MB free/);
    // a manual Resume while the disk is still full says why it cannot
    await expect(service.controlRun({ id: run!.id, action: 'resume' })).rejects.toThrow(/cannot resume yet: Disk full/);
    free = 10 * 2 ** 30;
    expect((await waitForStatus(service, run!.id, ['completed', 'failed'])).status).toBe('completed');
    expectContiguous(await lossSteps(service, run!.id));
  });

  it.skipIf(tmpfsProbe === null)('survives a real tmpfs filling up: the database and the checkpoints hit ENOSPC, the run waits and then completes', async () => {
    const mount = tryTmpfs(4 * 2 ** 20)!;
    cleanups.push(() => {
      execFileSync('umount', ['-l', mount]);
      rmSync(mount, { recursive: true, force: true });
    });
    const dir = path.join(mount, 'lab');
    mkdirSync(dir);
    const { service } = scriptedService(dir, { minFreeBytes: 0, diskRetryBaseMs: 100, diskRetryMaxMs: 400 });
    cleanups.push(() => service.close());
    const [run] = await service.queueRuns({ configs: [tinyConfig('tmpfs', 200)] });
    await expect.poll(async () => (await service.getRun({ id: run!.id })).step, { timeout: 60_000 }).toBeGreaterThan(12);
    const filler = path.join(mount, 'filler');
    try {
      writeFileSync(filler, Buffer.alloc(8 * 2 ** 20));
    } catch {
      // ENOSPC: the filler took every free byte, as intended
    }
    const paused = await waitForDiskFull(service, run!.id);
    expect(paused.error).toMatch(/^Disk full/);
    expect((await service.listRuns()).some((r) => r.id === run!.id)).toBe(true);
    rmSync(filler);
    expect((await waitForStatus(service, run!.id, ['completed', 'failed'], 60_000)).status).toBe('completed');
    expectContiguous(await lossSteps(service, run!.id));
  });
});

describe('a run waiting for disk space across a restart', () => {
  it('waits again after the service restarts, and resumes by itself when space returns', async () => {
    const { dir, cleanup } = tempDataDir();
    cleanups.push(cleanup);
    let free = 10 * 2 ** 30;
    const opts = { minFreeBytes: 64 * 2 ** 20, diskRetryBaseMs: 100, diskRetryMaxMs: 400, freeBytes: () => free };
    const first = scriptedService(dir, opts);
    const [run] = await first.service.queueRuns({ configs: [tinyConfig('restarted while full', 600)] });
    await expect.poll(async () => (await first.service.getRun({ id: run!.id })).step, { timeout: 60_000 }).toBeGreaterThan(5);
    free = 1 * 2 ** 20;
    await waitForDiskFull(first.service, run!.id);
    await first.service.close();
    const second = scriptedService(dir, opts);
    cleanups.push(() => second.service.close());
    const again = await waitForDiskFull(second.service, run!.id);
    expect(again.error!.match(/resumes by itself/g)).toHaveLength(1);
    free = 10 * 2 ** 30;
    expect((await waitForStatus(second.service, run!.id, ['completed', 'failed'])).status).toBe('completed');
    expectContiguous(await lossSteps(second.service, run!.id));
  });
});
