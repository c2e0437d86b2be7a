// The queue with the real engine when its process is SIGKILLed mid-run (a file of its own, so it runs
// beside real-engine.test.ts on the other test worker).
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
  it('fails a run whose engine process is SIGKILLed and starts the next; or resumes it when configured', async () => {
    for (const onEngineCrash of ['fail', 'resume'] as const) {
      const { service, procs } = setup({ onEngineCrash });
      const [victim, next] = await service.queueRuns({ configs: [realTinyConfig('victim', 40), realTinyConfig('next', 4)] });
      await expect.poll(async () => (await service.listCheckpoints({ runId: victim!.id })).length, { timeout: STEP_BOUNDED_MS, interval: 100 }).toBeGreaterThan(0);
      process.kill(procs[0]!.pid!, 'SIGKILL');
      if (onEngineCrash === 'fail') {
        const failed = await waitForStatus(service, victim!.id, ['failed'], STEP_BOUNDED_MS);
        expect(failed.error).toMatch(/SIGKILL/);
        await waitForStatus(service, next!.id, ['completed'], STEP_BOUNDED_MS);
      } else {
        const done = await waitForStatus(service, victim!.id, ['completed', 'failed'], STEP_BOUNDED_MS);
        expect(done.status).toBe('completed');
        const steps = (await service.getMetrics({ runId: victim!.id, keys: ['lm_loss'] }))[0]!.points.map((p) => p.step);
        expect(steps).toEqual([...new Set(steps)].sort((a, b) => a - b));
        expect(steps.at(-1)).toBe(40);
      }
      for (const c of cleanups.splice(0).reverse()) await c();
    }
  }, STEP_BOUNDED_MS);
});
