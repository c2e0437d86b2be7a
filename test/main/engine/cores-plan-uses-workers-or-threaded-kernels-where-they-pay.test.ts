// The cores plan (src-main/engine/cores.ts): by default (workers = 0) a run uses every core through
// threaded kernels when each network call has enough work for them to pay, and keeps one thread otherwise,
// always with a reason; workers = 1 is one engine and workers ≥ 2 that many data-parallel workers.
import { describe, expect, it } from 'vitest';
import { AUTO_SHARD_MIN_GFLOP, MAX_CORES, planCores, SHARD_MIN_GFLOP, THREADED_MIN_CALL_GFLOP, THREADED_MIN_HEAD_MFLOP } from '../../../src-main/engine/cores';
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

  it('threads the kernels where each network call and each head has enough work: every preset at 916 tokens, small and up at 80', () => {
    const cases: Array<[Method, Preset, number, number]> = [];
    for (const method of ['dis', 'trm', 'hrm'] as const) {
      for (const preset of ['tiny', 'small', 'compact', 'full'] as const) cases.push([method, preset, 916, 1]);
      for (const preset of ['small', 'compact', 'full'] as const) cases.push([method, preset, 80, 8]);
    }
    for (const [method, preset, tokens, batch] of cases) {
      const p = planCores(run(method, preset, batch), tokens, 12, 1, 2);
      expect(p, `${method} ${preset} ${tokens}×${batch}`).toMatchObject({ shards: 1, threads: 2 });
      expect(p.why).toMatch(/2 threads per kernel: auto/);
    }
    expect(planCores(run('trm', 'compact', 8), 80, 12, 1, 8).threads).toBe(MAX_CORES);
    expect(planCores(run('dis', 'compact', 16), 916, 12, 6, 2)).toMatchObject({ shards: 1, threads: 2 });
  });

  it('keeps one thread, and says why, where a call has too little work per kernel or the machine one core', () => {
    // one row of 200 tokens: heads big enough, too little work per call
    const tiny = planCores(run('dis', 'tiny', 1), 200, 12, 1, 2);
    expect(tiny).toMatchObject({ shards: 1, threads: 1 });
    expect(tiny.why).toContain(`below the ${THREADED_MIN_CALL_GFLOP}`);
    expect(planCores(tinyConfig('trm', {}, { workers: 0 }), 11, 3, 1, 2)).toMatchObject({ shards: 1, threads: 1 });
    // tiny at 80 tokens: each head's product is too small for the pool, and at batch 16 half the rows
    // are too little work for a worker
    const heads = planCores(run('dis', 'tiny', 16), 80, 12, 1, 2);
    expect(heads).toMatchObject({ shards: 1, threads: 1 });
    expect(heads.why).toContain(`below the ${THREADED_MIN_HEAD_MFLOP}`);
    expect(heads.why).toContain(`below the ${AUTO_SHARD_MIN_GFLOP} from which they measured faster`);
    // micro-batches: the work of a call is that of its rows
    expect(planCores(run('dis', 'small', 16), 80, 12, 8, 2)).toMatchObject({ shards: 1, threads: 1 });
    expect(planCores(run('trm', 'compact', 16), 80, 12, 1, 1)).toMatchObject({ shards: 1, threads: 1, why: 'one core on this machine' });
  });

  it('puts data-parallel workers to work where threaded kernels do not pay and each worker gets enough rows (tiny at 80 tokens from batch 32)', () => {
    const dis = planCores(run('dis', 'tiny', 32), 80, 12, 1, 2);
    expect(dis).toMatchObject({ shards: 2, threads: 1 });
    expect(dis.why).toMatch(/^2 data-parallel workers \(auto\): 1\.\d\d GFLOP per worker and step, while threaded kernels do not pay here \(an attention head's product is 0\.20 MFLOP/);
    expect(planCores(run('trm', 'tiny', 16), 80, 12, 1, 2)).toMatchObject({ shards: 2, threads: 1 });
    expect(planCores(run('hrm', 'tiny', 64), 80, 12, 1, 4)).toMatchObject({ shards: 4, threads: 1 });
    // never for a micro-batched step (shards run their rows whole) or on one core
    expect(planCores(run('dis', 'tiny', 32), 80, 12, 2, 2)).toMatchObject({ shards: 1 });
    expect(planCores(run('dis', 'tiny', 32), 80, 12, 1, 1)).toMatchObject({ shards: 1, threads: 1 });
  });

  it('obeys an explicit setting: workers = 1 is one engine, workers ≥ 2 that many workers when the batch splits', () => {
    expect(planCores(run('trm', 'small', 8, 1), 80, 12, 1, 2)).toMatchObject({ shards: 1, threads: 2 });
    expect(planCores(run('dis', 'compact', 8, 3), 80, 12, 1, 2)).toMatchObject({ shards: 3, threads: 1 });
    expect(planCores(run('dis', 'tiny', 16, 2), 80, 12, 1, 2)).toMatchObject({ shards: 2, threads: 1, why: '2 data-parallel workers (workers = 2)' });
    // obeyed, with a word on the little work each worker gets
    expect(planCores(run('dis', 'tiny', 2, 2), 80, 12, 1, 2)).toMatchObject({ shards: 2, why: expect.stringMatching(/is little to pay/) });
    expect(SHARD_MIN_GFLOP).toBeGreaterThan(0);
    const one = planCores(run('dis', 'tiny', 1, 2), 80, 12, 1, 2);
    expect(one.shards).toBe(1);
    expect(one.why).toMatch(/workers = 2 ignored, batch 1/);
    expect(planCores(run('dis', 'tiny', 16, 2), 80, 12, 3, 2).why).toMatch(/micro-batches/);
  });
});
