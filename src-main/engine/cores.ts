// Which cores a run's steps compute on (issue #16.1), chosen per shape before the backend starts, so
// that a run uses every core where that is faster and says why where it keeps one.
//
// Two ways to put a second core to work on a CPU backend:
//   - threaded kernels: tfjs-wasm's threaded XNNPACK build (wasm-threads.ts) splits each matMul across
//     pthreads. It pays for compact-sized products (measured 1.3–1.8× compact steps at 80 tokens),
//     but every product, however small, then waits on the thread pool: a tiny model's step got up to
//     5× SLOWER (DIS tiny at 80 tokens × 16: 120 → 669 ms; tiny at 916 tokens × 1: 171 → 361 ms),
//     because its products ([80,16]·[16,80] per head, [1280,64]·[64,64]) take microseconds.
//   - data-parallel shards (parallel/): k engines in worker threads, each single-threaded and stepping
//     its share of the batch rows, gradients combined exactly (parallel/combine.ts). Every kernel of
//     every size runs on its own core; the cost is a fixed per-step exchange (weights out, gradients
//     back: tens of µs per thousand parameters) and at least 2 rows. Since a step's kernel count no
//     longer grows with the batch (ops/heads-matmul.ts), each shard also issues as many kernels as
//     the whole batch did, so a shard must hold enough work to pay for them: SHARD_MIN_GFLOP.
// Shards parallelise every kernel and degrade gracefully when another job takes a core (a shard then
// waits, where a threaded kernel's pool spins: DIS compact at 80 tokens × 8 measured 426 ms on one
// thread and 990 ms with 2 threaded kernels at load average 5 on 2 cores), so 'auto' (config.workers
// = 0, the default) takes data-parallel shards whenever the batch splits into shards with enough work
// each, threaded kernels from width 256 up where it does not (batch 1 at 916 tokens, a micro-batched
// step), and one thread otherwise, with the reason. An explicit workers ≥ 2 asks for that many
// shards, and workers = 1 for one engine (threaded kernels only where they pay).
// Measured on the 2-core machine the project runs on (README, "Both cores"); `npm run bench -- --only
// peer` measures the default against one thread, row by row.
import os from 'node:os';
import { methodTrainStepFlops } from '../../src-shared/method/compute';
import type { RunConfig } from '../../src-shared/method/run-config';

/** Width from which threaded kernels pay (compact and full). */
export const THREADED_MIN_HIDDEN = 256;
/**
 * Training GFLOP a shard must compute per step for data-parallel shards to pay: a shard saves half the
 * step's compute but costs the weight and gradient exchange, and loses when the other core is busy, so
 * the work must be well above the fixed per-step cost (a tiny model's step spends ≈36 ms (DIS) to 59 ms
 * (TRM) on per-kernel overhead at any batch; 0.5 GFLOP is ≈25 ms of XNNPACK work).
 */
export const SHARD_MIN_GFLOP = 0.5;
/** At most this many threads or shards (the measurements stop at 4). */
export const MAX_CORES = 4;

export interface CorePlan {
  /** data-parallel shard engines; 1 = steps run in the trainer's own engine */
  shards: number;
  /** wasm compute threads of the trainer's engine (shards are single-threaded) */
  threads: number;
  /** why, for the run view: always says what was chosen and what was not */
  why: string;
}

export type CoreInput = Pick<RunConfig, 'method' | 'model' | 'batchSize' | 'workers'>;

/**
 * The cores plan for a run of `config` whose rows are `tokens` long (prefix + grid) over `vocab`
 * symbols, on a machine with `cores` logical cores, when the step runs in `microBatches` micro-batches
 * (shards run their rows whole, so a micro-batched step stays in one engine).
 */
export function planCores(config: CoreInput, tokens: number, vocab: number, microBatches = 1, cores = os.cpus().length): CorePlan {
  const B = config.batchSize;
  const width = config.model.hidden;
  const most = Math.max(1, Math.min(MAX_CORES, cores));
  const threaded = (why: string): CorePlan =>
    width >= THREADED_MIN_HIDDEN && most > 1
      ? { shards: 1, threads: most, why: `${most} threads per kernel: ${why}; width ${width} ≥ ${THREADED_MIN_HIDDEN}, where threaded kernels pay` }
      : { shards: 1, threads: 1, why: most === 1 ? 'one core on this machine' : `one thread: ${why}; threaded kernels measured slower below width ${THREADED_MIN_HIDDEN}` };
  if (config.workers >= 2) {
    const k = Math.min(config.workers, B);
    if (microBatches > 1) return threaded(`workers = ${config.workers} ignored, the step runs in micro-batches`);
    if (k < 2) return threaded(`workers = ${config.workers} ignored, batch ${B} has too few rows to split`);
    return { shards: k, threads: 1, why: `${k} data-parallel workers (workers = ${config.workers})` };
  }
  if (config.workers === 1) return threaded('workers = 1 asks for one engine');
  if (most === 1) return { shards: 1, threads: 1, why: 'one core on this machine' };
  if (microBatches > 1) return threaded('the step runs in micro-batches, which data-parallel workers do not split');
  const k = Math.min(most, B);
  if (k < 2) return threaded(`batch ${B} cannot be split into data-parallel workers`);
  const perShard = methodTrainStepFlops(config, tokens, vocab, Math.floor(B / k)) / 1e9;
  if (perShard < SHARD_MIN_GFLOP) {
    return threaded(`${perShard.toFixed(2)} GFLOP per worker and step is below the ${SHARD_MIN_GFLOP} that pays for data-parallel workers`);
  }
  return { shards: k, threads: 1, why: `${k} data-parallel workers, one thread each (auto: ${perShard.toFixed(2)} GFLOP per worker and step)` };
}
