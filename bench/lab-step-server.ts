// The lab's side of the PyTorch comparison (bench/peer.ts), in its own process so that it runs with the
// wasm thread count of the configuration it measures (fixed per process when the backend starts): the
// trainer's default cores plan (src-main/engine/cores.ts: data-parallel workers or threaded kernels) or
// one thread. A line-oriented server, like bench/torch_step.py, so rounds interleave with PyTorch's:
//   {"cmd": "setup", "id", "options": ConfigOptions, "backend": "wasm", "cores": "default" | "one"}
//        -> {"ok": true, "kernels", "microBatches", "workers", "threads", "why", "flops"}
//   {"cmd": "run", "id", "steps": k}  -> {"ms": [k step times]}
//   {"cmd": "drop", "id"}  -> {"ok": true}
//   {"cmd": "quit"}
// Started by the bench with PUZZLE_LAB_WASM_THREADS set to the threads it measures.
import * as tf from '@tensorflow/tfjs';
import { createInterface } from 'node:readline';
import { computeThreads, initBackend } from '../src-main/engine/backend';
import { methodTrainStepFlops } from '../src-shared/method/compute';
import { benchConfig, makeSetup, oneStep, type BenchSetup, type ConfigOptions } from './setup';

const setups = new Map<string, { s: BenchSetup; t: number }>();

async function handle(cmd: Record<string, unknown>): Promise<unknown> {
  switch (cmd['cmd']) {
    case 'setup': {
      const backend = await initBackend((cmd['backend'] as 'wasm' | 'cpu') ?? 'wasm');
      const id = String(cmd['id']);
      setups.get(id)?.s.dispose();
      setups.delete(id);
      let t = 0;
      let setup: BenchSetup;
      const config = benchConfig(cmd['options'] as ConfigOptions);
      const local = await makeSetup(config, 'local');
      // Kernels per step, counted on one untimed step of one engine with the whole batch (profiling adds
      // overhead; the count does not depend on the batch, so a data-parallel worker issues as many).
      await oneStep(local, ++t);
      const prof = await tf.profile(async () => {
        await oneStep(local, ++t);
        return tf.scalar(0);
      });
      (prof.result as tf.Tensor).dispose();
      const kernels = prof.kernels.length;
      if (cmd['cores'] === 'one') setup = local;
      else {
        local.dispose();
        setup = await makeSetup(config, 'default');
        t = 0;
      }
      await oneStep(setup, ++t); // warm-up
      setups.set(id, { s: setup, t });
      const s = setup;
      return {
        ok: true,
        kernels,
        microBatches: s.plan.count,
        workers: s.workers,
        threads: s.workers > 1 ? s.workers : computeThreads(backend.name),
        why: s.cores.why,
        flops: methodTrainStepFlops(config, s.totalLen, s.vocab, config.batchSize),
      };
    }
    case 'run': {
      const e = setups.get(String(cmd['id']));
      if (!e) throw new Error(`no setup ${String(cmd['id'])}`);
      const ms: number[] = [];
      for (let i = 0; i < Number(cmd['steps'] ?? 1); i++) {
        const t0 = performance.now();
        await oneStep(e.s, ++e.t);
        ms.push(performance.now() - t0);
      }
      return { ms };
    }
    case 'drop':
      setups.get(String(cmd['id']))?.s.dispose();
      setups.delete(String(cmd['id']));
      return { ok: true };
    case 'quit':
      for (const e of setups.values()) e.s.dispose();
      process.exit(0);
      return null;
    default:
      throw new Error(`unknown command ${String(cmd['cmd'])}`);
  }
}

let queue: Promise<void> = Promise.resolve();
createInterface({ input: process.stdin }).on('line', (line) => {
  queue = queue.then(async () => {
    let out: unknown;
    try {
      out = await handle(JSON.parse(line) as Record<string, unknown>);
    } catch (e) {
      out = { error: e instanceof Error ? e.message : String(e) };
    }
    process.stdout.write(JSON.stringify(out) + '\n');
  });
});
