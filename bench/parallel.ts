// Two cores with a single-threaded backend: tfjs-wasm in Node runs on one thread unless the threaded build is loaded (src-main/engine/wasm-threads.ts),
// so the second core can only help through a second engine. This measures the ceiling of
// data-parallel training on this machine: one worker thread (own tfjs-wasm instance) stepping the
// full batch B, against two workers stepping B/2 each at the same time (what data-parallel gradient
// computation would run, before the gradient exchange). Rounds alternate 1-worker and 2-worker runs.
import { Worker } from 'node:worker_threads';
import { fmt } from './report';
import type { Ctx, SectionResult } from './sections';
import { ARC30, NQUEENS8, type ConfigOptions } from './setup';
import { describe } from './train-bench';
import { median } from './timing';

interface WorkerResult {
  times: number[];
  wall: number;
}

async function runWorkers(jobs: Array<{ options: ConfigOptions; warmup: number; steps: number }>): Promise<WorkerResult[]> {
  const workers = jobs.map((j) => new Worker(new URL('./parallel-worker.mjs', import.meta.url), { workerData: j }));
  try {
    const ready = workers.map((w) => new Promise<void>((resolve, reject) => {
      w.once('error', reject);
      w.once('message', () => resolve());
    }));
    await Promise.all(ready);
    const done = workers.map((w) => new Promise<WorkerResult>((resolve, reject) => {
      w.once('error', reject);
      w.once('message', (m: { times: number[]; wall: number }) => resolve({ times: m.times, wall: m.wall }));
    }));
    for (const w of workers) w.postMessage('go');
    return await Promise.all(done);
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

export async function parallelSection(ctx: Ctx): Promise<SectionResult> {
  if (ctx.backend !== 'wasm') {
    return { tables: [], raw: { note: `only measured on wasm (the single-threaded backend whose second core is idle); ${ctx.backend} skipped` } };
  }
  const quick = ctx.level === 'quick';
  const configs: ConfigOptions[] = quick
    ? [{ method: 'dis', preset: 'tiny', workload: NQUEENS8, batch: 16 }, { method: 'dis', preset: 'compact', workload: NQUEENS8, batch: 8 }]
    : [
        { method: 'dis', preset: 'tiny', workload: NQUEENS8, batch: 16 },
        { method: 'dis', preset: 'compact', workload: NQUEENS8, batch: 8 },
        { method: 'dis', preset: 'compact', workload: ARC30, batch: 2 },
      ];
  const steps = quick ? 3 : 6;
  const rounds = quick ? 1 : 2;
  const rows: Array<Array<string | number>> = [];
  const raw: unknown[] = [];
  for (const o of configs) {
    const one: number[] = [];
    const two: number[] = [];
    for (let r = 0; r < rounds; r++) {
      ctx.log(`  ${describe(o)}: 1 worker × B, then 2 workers × B/2 (round ${r + 1})`);
      const [a] = await runWorkers([{ options: o, warmup: 1, steps }]);
      one.push(median(a!.times));
      const half = { ...o, batch: o.batch / 2 };
      const pair = await runWorkers([{ options: half, warmup: 1, steps }, { options: half, warmup: 1, steps }]);
      // A data-parallel step ends when the slower half ends.
      two.push(Math.max(...pair.map((p) => median(p.times))));
    }
    const t1 = median(one);
    const t2 = median(two);
    raw.push({ options: o, one, two });
    rows.push([describe(o), fmt(t1, 0), fmt(t2, 0), `${fmt(t1 / t2, 2)}×`]);
  }
  return {
    raw,
    tables: [
      {
        title: 'Two cores: one wasm engine vs two side by side (data-parallel ceiling)',
        caption:
          'worker_threads, each with its own tfjs-wasm instance and the engine\'s real training step. "2 × B/2" is the slower of two workers stepping half batches at the same time: the step time data-parallel gradient computation would have before exchanging gradients (parameter-sized arrays, a few ms). Median over steps, alternating rounds.',
        columns: ['configuration', 'ms/step, 1 worker × B', 'ms/step, 2 workers × B/2 at once', 'speed-up'],
        rows,
        notes: [
          `This machine has ${(await import('node:os')).cpus().length} logical cores shared with other jobs; the speed-up depends on how busy the other core is.`,
          'The trainer does this by default where its cores plan says it pays (src-main/engine/cores.ts; `workers` 0 = auto), or when asked (`puzzle-lab train --workers 2`): src-main/engine/parallel, which adds the weight broadcast and the optimizer step in the trainer thread to these times. The peer section measures the trainer\'s default against one thread, row by row.',
        ],
      },
    ],
  };
}
