// Shared set-up for service tests: a LabService on a temp data dir whose engine processes are the
// scripted test engine (real processes and IPC, timed "training" without tfjs).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { forkLauncher, type EngineLauncher, type EngineProcess } from '../../../src-main/engine/process/host';
import { LabService } from '../../../src-main/service/api';
import type { QueueOptions } from '../../../src-main/service/queue';
import type { LabEvent, RunSummary } from '../../../src-shared/api/contract';
import { defaultRunConfig, type RunConfig } from '../../../src-shared/method/run-config';

export const SCRIPTED_ENGINE = path.resolve(import.meta.dirname, '../engine/process/fixtures/scripted-engine.ts');

export function tempDataDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'lab-svc-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function scriptedService(dataDir: string, queue: Partial<QueueOptions> = {}, stepMs = 15) {
  const events: LabEvent[] = [];
  const service = new LabService({
    dataDir,
    mode: 'serve',
    launcher: forkLauncher({ entry: SCRIPTED_ENGINE, env: { SCRIPTED_STEP_MS: String(stepMs) } }),
    queue: { flushIntervalMs: 50, ...queue },
    probeBackend: false,
    log: () => {},
  });
  service.subscribe((e) => events.push(e));
  return { service, events };
}

export function tinyConfig(name: string, steps: number, o: Partial<RunConfig> = {}): RunConfig {
  return {
    ...defaultRunConfig('trm', 'tiny'),
    name,
    budget: { optimizerSteps: steps, trajectories: 0 },
    checkpointInterval: 10,
    batchSize: 4,
    ...o,
  };
}

export async function waitForStatus(service: LabService, id: string, statuses: RunSummary['status'][], timeout = 60_000): Promise<RunSummary> {
  const t0 = Date.now();
  for (;;) {
    const r = (await service.listRuns()).find((x) => x.id === id);
    if (r !== undefined && statuses.includes(r.status)) return r;
    if (Date.now() - t0 > timeout) throw new Error(`run ${id} is ${r?.status ?? 'missing'} after ${timeout} ms, waiting for ${statuses.join('|')}`);
    await new Promise((res) => setTimeout(res, 25));
  }
}

/** Steps of a metric series must be exactly 1..n: no gap, no duplicate. */
export function expectContiguous(steps: number[]): void {
  const expected = Array.from({ length: steps.length }, (_, i) => i + 1);
  if (JSON.stringify(steps) !== JSON.stringify(expected)) {
    throw new Error(`metric steps are not contiguous: ${steps.join(',')}`);
  }
}

/** A real-engine config small enough for 2 CPU cores: tiny preset, 6×6 canvas, 2 generated tasks. */
export function realTinyConfig(name: string, steps: number, method: 'trm' | 'dis' = 'trm'): RunConfig {
  const base = defaultRunConfig(method, 'tiny');
  return {
    ...base,
    name,
    batchSize: 4,
    budget: { optimizerSteps: steps, trajectories: 0 },
    checkpointInterval: 5,
    snapshotInterval: 0,
    probes: 1,
    eval: { interval: 0, augmentations: 0, clearVotes: true, maxTasks: 2 },
    data: { source: { kind: 'family', family: 'recolour', tasks: 2, minSide: 3, maxSide: 4, difficulty: 1, seed: 1 }, augmentations: 1, translate: false, trainOnTestPairs: false, canvas: 6 },
    optimizer: { ...base.optimizer, warmupSteps: 2 },
  };
}

/**
 * A lab service whose runs train in real engine processes (tfjs, wasm); `procs` collects every engine
 * process it starts, and `cleanups` receives what the caller's afterEach must undo.
 */
export function realEngineService(cleanups: Array<() => Promise<void> | void>, queue: Partial<QueueOptions> = {}) {
  const { dir, cleanup } = tempDataDir();
  const procs: EngineProcess[] = [];
  const base = forkLauncher();
  const launcher: EngineLauncher = (o) => {
    const p = base(o);
    procs.push(p);
    return p;
  };
  const service = new LabService({ dataDir: dir, mode: 'serve', launcher, queue, probeBackend: false, log: () => {} });
  cleanups.push(cleanup, () => service.close());
  return { service, procs, dir };
}
