// Which cores a run's steps compute on (issue #16.1), chosen per shape before the backend starts, so
// that a run uses every core where that is faster and says why where it keeps one.
//
// Two ways to put a second core to work on a CPU backend:
//   - threaded kernels: tfjs-wasm's threaded XNNPACK build (wasm-threads.ts) splits each matMul across
//     pthreads;
//   - data-parallel shards (parallel/): k engines in worker threads, each single-threaded and stepping
//     its share of the batch rows, gradients combined exactly (parallel/combine.ts).
// Measured on the 2-core machine the project runs on, near quiet (interleaved processes, medians of 5
// steps, two rounds; one thread → threaded kernels → 2 shards, ms per step):
//   DIS tiny 80 tokens × 16   127–168 → 127–138 → 136–146     TRM tiny 80 × 16   268–391 → 260–276 → 207–281
//   DIS small 80 × 8          143–208 → 121–134 → 170–189     TRM small 80 × 8   372–479 → 309–320 → 326–346
//   DIS compact 80 × 8            527 →     353 →     370
//   DIS tiny 916 × 1              192 →     172               DIS small 916 × 1      330 →     234
//   TRM small 916 × 1             936 →     620
// So threaded kernels are at least as fast as shards where both pay, and work at batch 1: 'auto'
// (config.workers = 0, the default) takes them whenever each kernel has enough work
// (THREADED_MIN_CALL_GFLOP: below it, waiting on the pool costs what the second core saves); where
// they do not (tiny heads), data-parallel shards when each gets enough rows (AUTO_SHARD_MIN_GFLOP),
// and one thread otherwise, with the reason. Shards are what an explicit workers ≥ 2 asks
// for: they degrade more gracefully when other jobs oversubscribe the cores (a threaded kernel's pool
// spins: at load average 5 on 2 cores DIS compact 80 × 8 took 426 ms on one thread and 990 ms with
// threaded kernels), so a busy machine may prefer them. workers = 1 is one engine (threaded kernels
// where they pay). `npm run bench -- --only peer` measures the default against one thread, row by row.
import os from 'node:os';
import { flopsPerCall, methodTrainStepFlops } from '../../src-shared/method/compute';
import type { RunConfig } from '../../src-shared/method/run-config';

/**
 * GFLOP of one network call per block (forward, all rows of a micro-batch) from which threaded kernels
 * pay. What decides is the work per kernel: a step issues a fixed number of kernels per call and block
 * (ops/heads-matmul.ts), and each waits on the thread pool. Measured with `npm run bench -- --only
 * peer` (threaded ÷ one thread, 3 interleaved rounds, load ≈1.5 on 2 cores): 0.19 GFLOP per call
 * (tiny, 80 tokens × 16) 0.91–1.00× — no gain; 0.34 (tiny, 916 × 1) 1.24–1.28×; 0.36 (small, 80 × 8)
 * 1.37–1.39×; 1.1–6.7 (compact, small at 916) 1.36–1.57×.
 */
export const THREADED_MIN_CALL_GFLOP = 0.25;
/**
 * MFLOP of one attention head's product (2·S²·d_head) from which threaded kernels pay: every head's
 * product is its own XNNPACK call on the pool (ops/heads-matmul.ts). Quiet-machine peer bench, threaded
 * ÷ one thread: tiny at 80 tokens (0.2 MFLOP per head) × 32 0.83× (DIS) and 1.05× (TRM); small and
 * compact at 80 tokens (0.41) 1.10–1.45×; every preset at 916 tokens (≥27) 1.16–1.64×.
 */
export const THREADED_MIN_HEAD_MFLOP = 0.3;
/**
 * Training GFLOP per worker and step below which explicit data-parallel workers are unlikely to pay
 * (said in the run view, not refused): a worker saves its share of the compute but costs the weight and
 * gradient exchange, and every worker issues the whole step's kernels (a tiny model's step spends
 * ≈24–36 ms on per-kernel overhead at any batch).
 */
export const SHARD_MIN_GFLOP = 0.5;
/**
 * Training GFLOP per worker and step from which 'auto' puts data-parallel workers to work where threaded
 * kernels do not pay (small attention heads). CLI runs near quiet (2 cores, 60 steps, ex/s one thread →
 * 2 workers): DIS tiny at 80 tokens × 32 (1.75 GFLOP per worker) 107–139 → 219; the bench's DIS tiny
 * 80 × 16 (0.88) 127–168 → 136–146 ms per step, no gain; TRM tiny 80 × 16 (2.43) 268–391 → 207–281 ms.
 */
export const AUTO_SHARD_MIN_GFLOP = 1.5;
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
  const most = Math.max(1, Math.min(MAX_CORES, cores));
  // forward work of one network call per block, for the rows of one micro-batch
  const rows = Math.ceil(B / Math.max(1, microBatches));
  const perCall = (rows * flopsPerCall(config.model, tokens)) / Math.max(1, config.model.layers) / 1e9;
  const headMflop = config.model.mixer === 'mlp_t' ? Infinity : (2 * tokens * tokens * (config.model.hidden / config.model.heads)) / 1e6;
  const threaded = (why: string): CorePlan => {
    if (most === 1) return { shards: 1, threads: 1, why: 'one core on this machine' };
    if (headMflop < THREADED_MIN_HEAD_MFLOP) {
      return { shards: 1, threads: 1, why: `one thread: ${why}; an attention head's product is ${headMflop.toFixed(2)} MFLOP, below the ${THREADED_MIN_HEAD_MFLOP} from which threaded kernels measured faster` };
    }
    if (perCall < THREADED_MIN_CALL_GFLOP) {
      return { shards: 1, threads: 1, why: `one thread: ${why}; ${perCall.toFixed(2)} GFLOP per network call and block is below the ${THREADED_MIN_CALL_GFLOP} from which threaded kernels measured faster` };
    }
    return { shards: 1, threads: most, why: `${most} threads per kernel: ${why}; ${perCall.toFixed(2)} GFLOP per network call and block` };
  };
  if (config.workers >= 2) {
    const k = Math.min(config.workers, B);
    if (microBatches > 1) return threaded(`workers = ${config.workers} ignored, the step runs in micro-batches`);
    if (k < 2) return threaded(`workers = ${config.workers} ignored, batch ${B} has too few rows to split`);
    const perShard = methodTrainStepFlops(config, tokens, vocab, Math.floor(B / k)) / 1e9;
    if (perShard < SHARD_MIN_GFLOP) return { shards: k, threads: 1, why: `${k} data-parallel workers (workers = ${config.workers}; ${perShard.toFixed(2)} GFLOP per worker and step is little to pay for their exchange)` };
    return { shards: k, threads: 1, why: `${k} data-parallel workers (workers = ${config.workers})` };
  }
  if (config.workers === 1) return threaded('workers = 1 asks for one engine');
  const auto = threaded('auto');
  // Where threaded kernels do not pay, the second core can still take half of the batch's rows.
  const k = Math.min(most, B);
  if (auto.threads > 1 || k < 2 || microBatches > 1) return auto;
  const perShard = methodTrainStepFlops(config, tokens, vocab, Math.floor(B / k)) / 1e9;
  if (perShard < AUTO_SHARD_MIN_GFLOP) {
    return { ...auto, why: `${auto.why}; ${k} data-parallel workers would get ${perShard.toFixed(2)} GFLOP per step each, below the ${AUTO_SHARD_MIN_GFLOP} from which they measured faster` };
  }
  return { shards: k, threads: 1, why: `${k} data-parallel workers (auto): ${perShard.toFixed(2)} GFLOP per worker and step, while threaded kernels do not pay here (${auto.why.replace(/^one thread: auto; /, '')})` };
}
