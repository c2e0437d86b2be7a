// A worker thread with its own tfjs + wasm instance, running training steps of one configuration on
// its share of the batch (bench/parallel.ts): what two single-threaded wasm engines achieve side by side.
import { parentPort, workerData } from 'node:worker_threads';
import { initBackend } from '../src-main/engine/backend';
import { benchConfig, makeSetup, oneStep, type ConfigOptions } from './setup';

interface Job {
  options: ConfigOptions;
  warmup: number;
  steps: number;
}

const job = workerData as Job;
await initBackend('wasm');
const setup = await makeSetup(benchConfig(job.options));
let t = 0;
for (let i = 0; i < job.warmup; i++) await oneStep(setup, ++t);
// Start together: the parent releases every worker at once.
parentPort!.postMessage({ type: 'ready' });
await new Promise<void>((resolve) => parentPort!.once('message', () => resolve()));
const times: number[] = [];
const started = performance.now();
for (let i = 0; i < job.steps; i++) {
  const t0 = performance.now();
  await oneStep(setup, ++t);
  times.push(performance.now() - t0);
}
const wall = performance.now() - started;
setup.dispose();
parentPort!.postMessage({ type: 'done', times, wall });
