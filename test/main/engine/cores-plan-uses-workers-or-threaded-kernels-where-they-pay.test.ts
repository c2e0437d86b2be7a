// The cores plan (src-main/engine/cores.ts): by default (workers = 0) a run uses every core where that
// pays — data-parallel workers when the batch splits into workers with enough work each, threaded
// kernels from width 256 up where it does not — and keeps one thread otherwise, always with a reason;
// explicit settings are obeyed.
import { describe, expect, it } from 'vitest';
import { MAX_CORES, planCores, SHARD_MIN_GFLOP } from '../../../src-main/engine/cores';
import { defaultRunConfig, type Preset } from '../../../src-shared/method/run-config';
import type { Method } from '../../../src-shared/method/methods';
import { tinyConfig } from './fixtures';

const run = (method: Method, preset: Preset, batchSize: number, workers?: number) => {
  const c = defaultRunConfig(method, preset);
  return { ...c, batchSize, workers: workers ?? c.workers };
};

describe('the cores plan', () => {
  it('is auto by default', () => {
    expect(defaultRunConfig('dis', 'tiny').workers).toBe(0);
    expect(defaultRunConfig('hrm', 'tiny').workers).toBe(0);
  });

  it('splits the batch into one data-parallel worker per core (up to 4) at 80 tokens, whatever the preset', () => {
    for (const method of ['dis', 'trm', 'hrm'] as const) {
      for (const preset of ['tiny', 'small', 'compact', 'full'] as const) {
        const p = planCores(run(method, preset, 16), 80, 12, 1, 2);
        expect(p).toMatchObject({ shards: 2, threads: 1 });
        expect(p.why).toMatch(/data-parallel workers/);
      }
    }
    expect(planCores(run('trm', 'tiny', 16), 80, 12, 1, 8).shards).toBe(MAX_CORES);
    expect(planCores(run('trm', 'tiny', 3), 916, 12, 1, 8).shards).toBe(3);
    // one row per worker of DIS tiny at 80 tokens is too little work to pay
    expect(planCores(run('dis', 'tiny', 2), 80, 12, 1, 2).shards).toBe(1);
  });

  it('threads the kernels of a compact or full model where the batch does not split: one row, or a micro-batched step', () => {
    for (const preset of ['compact', 'full'] as const) {
      const p = planCores(run('dis', preset, 1), 916, 12, 1, 2);
      expect(p).toMatchObject({ shards: 1, threads: 2 });
      expect(p.why).toMatch(/threaded kernels pay/);
    }
    expect(planCores(run('dis', 'compact', 16), 916, 12, 6, 2)).toMatchObject({ shards: 1, threads: 2 });
    expect(planCores(run('dis', 'tiny', 16), 916, 12, 6, 2)).toMatchObject({ shards: 1, threads: 1 });
  });

  it('keeps one thread, and says why, where neither pays or the batch cannot be split', () => {
    const one = planCores(run('dis', 'tiny', 1), 916, 12, 1, 2);
    expect(one).toMatchObject({ shards: 1, threads: 1 });
    expect(one.why).toMatch(/batch 1 cannot be split/);
    expect(one.why).toMatch(/threaded kernels measured slower/);
    // a test-sized model: far below the work a worker must have
    const small = planCores(tinyConfig('trm', {}, { workers: 0 }), 11, 3, 1, 2);
    expect(small).toMatchObject({ shards: 1, threads: 1 });
    expect(small.why).toContain(`below the ${SHARD_MIN_GFLOP}`);
    expect(planCores(run('trm', 'tiny', 16), 80, 12, 1, 1)).toMatchObject({ shards: 1, threads: 1, why: 'one core on this machine' });
  });

  it('obeys an explicit setting: workers = 1 is one engine, workers ≥ 2 that many workers when the batch splits', () => {
    expect(planCores(run('trm', 'tiny', 16, 1), 80, 12, 1, 2)).toMatchObject({ shards: 1, threads: 1 });
    expect(planCores(run('dis', 'compact', 8, 1), 80, 12, 1, 2)).toMatchObject({ shards: 1, threads: 2 });
    expect(planCores(run('dis', 'compact', 8, 3), 80, 12, 1, 2)).toMatchObject({ shards: 3, threads: 1 });
    const one = planCores(run('dis', 'tiny', 1, 2), 80, 12, 1, 2);
    expect(one.shards).toBe(1);
    expect(one.why).toMatch(/workers = 2 ignored, batch 1/);
    expect(planCores(run('dis', 'tiny', 16, 2), 80, 12, 3, 2).why).toMatch(/micro-batches/);
  });
});
