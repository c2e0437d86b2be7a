// The queue with the real engine (tfjs, wasm) in real engine processes: tiny models on a 6×6 canvas.
import { afterEach, describe, expect, it } from 'vitest';
import type { QueueOptions } from '../../../src-main/service/queue';
import { realEngineService, realTinyConfig, waitForStatus } from './helpers';
import { STEP_BOUNDED_MS, stepBoundedFile } from '../../step-bounded';

// Bounded by optimizer steps and fixed work, not seconds (see test/step-bounded.ts).
stepBoundedFile();

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const setup = (queue: Partial<QueueOptions> = {}) => realEngineService(cleanups, queue);

describe('the run queue with the real engine', () => {
  it('trains a queue of three tiny runs in order, then answers the playground (infer, classify, explain, adapt) from a checkpoint', async () => {
    const { service } = setup();
    const runs = await service.queueRuns({ configs: [realTinyConfig('one', 6), realTinyConfig('two', 6, 'dis'), realTinyConfig('three', 6)] });
    const finished: string[] = [];
    for (const r of runs) {
      const done = await waitForStatus(service, r.id, ['completed', 'failed', 'diverged'], STEP_BOUNDED_MS);
      expect(done.error).toBeNull();
      finished.push(done.finishedAt!);
    }
    expect([...finished].sort()).toEqual(finished);
    const starts = (await service.listRuns()).map((r) => r.startedAt!);
    expect(starts[1]! >= finished[0]!).toBe(true);
    expect(starts[2]! >= finished[1]!).toBe(true);
    const detail = await service.getRun({ id: runs[0]!.id });
    expect(detail.trainableParams).toBeGreaterThan(0);
    expect(detail.lastEval).not.toBeNull();
    const task = (await service.generateTasks({ family: 'recolour', count: 1, minSide: 3, maxSide: 4, difficulty: 1, seed: 1, save: false })).tasks[0]!;
    const result = await service.infer({ runId: runs[0]!.id, task, testIndex: 0 });
    expect(result.side).toBe(6);
    expect(result.steps.length).toBeGreaterThan(0);
    // the playground's other requests go to the same warm engine process
    expect((await service.classifyTask({ runId: runs[0]!.id, task })).embedding).toBe('trained');
    const why = await service.explainVotes({ runId: runs[0]!.id, task, testIndex: 0, augmentations: 1 });
    expect(why.versions.length).toBeGreaterThan(0);
    const fresh = (await service.generateTasks({ family: 'recolour', count: 1, minSide: 3, maxSide: 4, difficulty: 1, seed: 99, save: false })).tasks[0]!;
    expect((await service.classifyTask({ runId: runs[0]!.id, task: fresh })).embedding).toBe('unseen');
    const progress: number[] = [];
    const unsubscribe = service.subscribe((e) => {
      if (e.type === 'adapt-progress' && e.requestId === 'adapt-1') progress.push(e.step);
    });
    const adapted = await service.adapt({ requestId: 'adapt-1', runId: runs[0]!.id, task: fresh, steps: 3 });
    unsubscribe();
    expect(adapted.reused).toBe(false);
    expect(progress.length).toBeGreaterThan(0);
    expect((await service.classifyTask({ runId: runs[0]!.id, task: fresh })).embedding).toBe('adapted');
    await expect(service.infer({ runId: runs[0]!.id, step: 999_999, task, testIndex: 0 })).rejects.toThrow(/no checkpoint at step/);
  }, STEP_BOUNDED_MS);
});
