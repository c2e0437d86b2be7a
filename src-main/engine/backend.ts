// Picks the TensorFlow.js backend that really runs the computation and says which one it is.
// Order for 'auto' (docs/engine-interfaces.md#backend-detection): tfjs-node-gpu (only if it really uses a GPU device),
// WebGPU through Dawn (hardware adapters only, see webgpu.ts), tfjs-node, wasm, cpu. tfjs-node(-gpu) are optional dependencies that may be absent or fail to load
// their native addon, so they are imported dynamically inside try/catch. tfjs-node-gpu silently falls
// back to the CPU device when CUDA is missing (same section), which is why `isUsingGpuDevice` is checked.
import * as tf from '@tensorflow/tfjs';
import { getThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { isMainThread } from 'node:worker_threads';
import { disableWasmThreads, prepareWasmThreads } from './wasm-threads';
import type { BackendChoice } from '../../src-shared/method/run-config';
import { BACKEND_CHAIN } from '../../src-shared/method/doctor';
import type { BackendInfo } from '../../src-shared/method/protocol';
import { clearlyFaster, readSpeedCache } from './backend-speed';
import { describeAdapter, probeAdapter, startWebGpuBackend } from './webgpu';

type NodeBackendObject = { isUsingGpuDevice?: boolean; isGPUPackage?: boolean; binding?: { TF_Version?: string } };

// Not named `require`: the Electron build injects its own module-level `require` shim into the
// engine bundle, and a second declaration made out/main/engine.js a SyntaxError.
const requireHere = createRequire(import.meta.url);

function message(e: unknown): string {
  return e instanceof Error ? e.message.split('\n')[0] ?? e.message : String(e);
}

function baseVersions(): Record<string, string> {
  return { 'tfjs-core': tf.version_core, tfjs: tf.version_core };
}

/** Loads a tfjs-node package; the specifier is a variable so bundlers leave it as a runtime import. */
async function loadNodePackage(pkg: '@tensorflow/tfjs-node-gpu' | '@tensorflow/tfjs-node'): Promise<Record<string, unknown>> {
  const specifier: string = pkg;
  return (await import(specifier)) as Record<string, unknown>;
}

interface Attempt {
  info?: BackendInfo;
  note: string;
  /** tfjs-node-gpu loaded but runs on the CPU */
  cpuFallback?: boolean;
}

async function tryNode(pkg: '@tensorflow/tfjs-node-gpu' | '@tensorflow/tfjs-node'): Promise<Attempt> {
  let mod: Record<string, unknown>;
  try {
    mod = await loadNodePackage(pkg);
  } catch (e) {
    return { note: `${pkg}: not available (${message(e)})` };
  }
  try {
    if (!(await tf.setBackend('tensorflow'))) return { note: `${pkg}: backend 'tensorflow' failed to initialise` };
    await tf.ready();
    const backend = tf.backend() as unknown as NodeBackendObject;
    const gpu = backend.isUsingGpuDevice === true;
    const versions = baseVersions();
    const modVersion = (mod['version'] as Record<string, string> | undefined) ?? {};
    if (modVersion['tfjs-node']) versions['tfjs-node'] = modVersion['tfjs-node'];
    const libtf = backend.binding?.TF_Version;
    if (libtf) versions['libtensorflow'] = libtf;
    if (process.versions.napi) versions['napi'] = process.versions.napi;
    // The GPU package without a GPU device still runs libtensorflow's CPU kernels; it is reported as
    // 'tensorflow' (loading tfjs-node next would register a second 'tensorflow' backend).
    const cpuFallback = pkg === '@tensorflow/tfjs-node-gpu' && !gpu;
    return {
      note: cpuFallback ? `${pkg}: loaded but no GPU device is in use (CUDA 11.2/cuDNN 8 missing?), using its CPU kernels` : '',
      ...(cpuFallback ? { cpuFallback: true } : {}),
      info: {
        name: gpu ? 'tensorflow-gpu' : 'tensorflow',
        device: gpu ? `GPU (CUDA, libtensorflow ${libtf ?? '?'})` : `CPU (libtensorflow ${libtf ?? '?'})`,
        versions,
        notes: [],
      },
    };
  } catch (e) {
    return { note: `${pkg}: failed to start (${message(e)})` };
  }
}

let wasmPathsSet = false;

let threadsHint: number | null = null;

/** The thread count the next wasm start should use (the trainer sets it from the run's cores plan, cores.ts); null = default. */
export function preferWasmThreads(n: number | null): void {
  threadsHint = n;
}

/**
 * XNNPACK threads for the wasm backend: PUZZLE_LAB_WASM_THREADS when set (1 = the single-threaded
 * build), else the trainer's hint (its cores plan), else every core up to 4 on the engine's main thread.
 * Data-parallel shard workers (not the main thread) stay single-threaded: their parallelism is the
 * workers themselves. The count is fixed once the backend has started in a process.
 */
export function wasmThreadsWanted(env: NodeJS.ProcessEnv = process.env, cores = os.cpus().length, mainThread = isMainThread, hint: number | null = threadsHint): number {
  const raw = env['PUZZLE_LAB_WASM_THREADS'];
  if (raw !== undefined && raw !== '') {
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 1 || n > 64) throw new Error(`PUZZLE_LAB_WASM_THREADS must be an integer 1..64, got '${raw}'`);
    return n;
  }
  if (!mainThread) return 1;
  return hint ?? Math.max(1, Math.min(4, cores));
}

async function tryWasm(): Promise<Attempt> {
  try {
    if (!wasmPathsSet) {
      // The .wasm binaries ship in the package's dist/; Node cannot fetch them relative to a bundle.
      const dir = path.dirname(requireHere.resolve('@tensorflow/tfjs-backend-wasm/package.json'));
      setWasmPaths(path.join(dir, 'dist') + path.sep);
      wasmPathsSet = true;
    }
    const wanted = wasmThreadsWanted();
    let threadNote = '';
    if (wanted > 1) {
      // The threaded build (wasm-threads.ts); if it does not start, the single-threaded build does.
      const done = prepareWasmThreads(wanted);
      let ok = false;
      try {
        ok = await tf.setBackend('wasm');
        if (ok) await tf.ready();
      } catch (e) {
        threadNote = `wasm: the threaded build did not start (${message(e)}); one thread`;
      } finally {
        done();
      }
      if (!ok) {
        threadNote ||= 'wasm: the threaded build did not start; one thread';
        // tfjs keeps the factory after a failed initialisation: the next setBackend builds the plain module.
        disableWasmThreads();
      }
    }
    if (tf.getBackend() !== 'wasm') {
      if (!(await tf.setBackend('wasm'))) return { note: 'wasm: backend failed to initialise' };
      await tf.ready();
    }
    const simd = (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) === true;
    const threads = getThreadsCount();
    return {
      note: '',
      info: {
        name: 'wasm',
        device: `CPU, wasm${simd ? ' SIMD' : ''}, ${threads} thread${threads === 1 ? '' : 's'}`,
        versions: { ...baseVersions(), 'tfjs-backend-wasm': tf.version_core },
        notes: threadNote ? [threadNote] : [],
      },
    };
  } catch (e) {
    return { note: `wasm: failed to start (${message(e)})` };
  }
}

async function tryCpu(): Promise<Attempt> {
  try {
    if (!(await tf.setBackend('cpu'))) return { note: 'cpu: backend failed to initialise' };
    await tf.ready();
    return { note: '', info: { name: 'cpu', device: 'CPU, plain JavaScript', versions: baseVersions(), notes: [] } };
  } catch (e) {
    return { note: `cpu: failed to start (${message(e)})` };
  }
}

/**
 * WebGPU on the adapter Dawn gives. 'auto' (allowSoftware false) skips a software adapter: SwiftShader
 * or llvmpipe compute on the CPU, slower than wasm. A forced `webgpu` accepts one and says so.
 */
async function tryWebGpu(allowSoftware: boolean): Promise<Attempt> {
  const probe = await probeAdapter(allowSoftware);
  if ('reason' in probe) return { note: `webgpu: ${probe.reason}` };
  const label = describeAdapter(probe.facts);
  if (probe.facts.software && !allowSoftware) {
    return { note: `webgpu: only a software adapter (${label}); 'auto' never trains on a CPU emulation (force --backend webgpu to use it)` };
  }
  try {
    await startWebGpuBackend(probe.adapter);
  } catch (e) {
    return { note: `webgpu: failed to start on ${label} (${message(e)})` };
  }
  return {
    note: '',
    info: {
      name: 'webgpu',
      device: `WebGPU (Dawn) on ${label}`,
      versions: { ...baseVersions(), 'tfjs-backend-webgpu': tf.version_core, 'webgpu (Dawn)': probe.dawnVersion },
      notes: probe.facts.software ? [`webgpu: forced onto a software adapter (${label}); it is correct but slower than wasm`] : [],
      adapter: probe.facts,
    },
  };
}

const TRY: Record<Exclude<BackendChoice, 'auto'>, () => Promise<Attempt>> = {
  'tensorflow-gpu': () => tryNode('@tensorflow/tfjs-node-gpu'),
  webgpu: () => tryWebGpu(true),
  tensorflow: () => tryNode('@tensorflow/tfjs-node'),
  wasm: tryWasm,
  cpu: tryCpu,
};

/** The order 'auto' walks. */
export const AUTO_ORDER: ReadonlyArray<Exclude<BackendChoice, 'auto'>> = BACKEND_CHAIN;

let current: { choice: BackendChoice; info: BackendInfo } | null = null;

/**
 * Initialises the backend for `choice` and reports what really runs. A forced choice that cannot
 * start is an error naming the reason; 'auto' walks the order and records why each faster one was skipped.
 * Calling it again with the same choice returns the same info (backends are process-global).
 */
export async function initBackend(choice: BackendChoice): Promise<BackendInfo> {
  if (current && current.choice === choice && tf.getBackend() === backendKey(current.info.name)) {
    return current.info;
  }
  const order = choice === 'auto' ? AUTO_ORDER : [choice];
  const notes: string[] = [];
  // tfjs-node-gpu without a GPU device still offers libtensorflow's CPU kernels as 'tensorflow': kept
  // for the tfjs-node slot (loading tfjs-node as well would register a second 'tensorflow' backend).
  let nodeCpuKernels: Attempt | null = null;
  for (const candidate of order) {
    let r: Attempt;
    if (candidate === 'webgpu' && choice === 'auto') r = await tryWebGpu(false);
    else if (candidate === 'tensorflow' && nodeCpuKernels) {
      r = (await tf.setBackend('tensorflow')) ? { note: '', ...(nodeCpuKernels.info ? { info: nodeCpuKernels.info } : {}) } : { note: "tfjs-node-gpu: backend 'tensorflow' failed to initialise" };
    } else r = await TRY[candidate]();
    if (r.cpuFallback && choice === 'tensorflow-gpu') {
      throw new Error(`backend 'tensorflow-gpu' is not available: ${r.note}`);
    }
    if (r.cpuFallback) {
      notes.push(r.note);
      nodeCpuKernels = r;
      continue;
    }
    if (r.info) {
      r.info.notes = [...notes, ...r.info.notes];
      const info = choice === 'auto' ? await preferMeasuredFastest(r.info) : r.info;
      current = { choice, info };
      return info;
    }
    notes.push(r.note);
  }
  throw new Error(`backend '${choice}' is not available: ${notes.join('; ')}`);
}

/**
 * 'auto' after the chain's pick: the doctor's cached measurement may name a backend clearly faster on
 * this machine (CLEAR_SPEEDUP); it is used when it starts, otherwise the pick stays.
 */
async function preferMeasuredFastest(picked: BackendInfo): Promise<BackendInfo> {
  const cache = readSpeedCache();
  const faster = clearlyFaster(cache, picked.name);
  if (!cache || !faster) return picked;
  // tfjs-node and tfjs-node-gpu both register 'tensorflow': never load one after the other.
  const nodePackages = ['tensorflow', 'tensorflow-gpu'];
  if (nodePackages.includes(faster.backend) && nodePackages.includes(picked.name)) return picked;
  const when = cache.measuredAt.slice(0, 10);
  const r = faster.backend === 'webgpu' ? await tryWebGpu(false) : await TRY[faster.backend]();
  if (r.info && !r.cpuFallback) {
    r.info.notes = [
      ...picked.notes,
      `auto: ${faster.backend} was measured ${faster.speedup.toFixed(1)}× faster than ${picked.name} on this machine (GPU doctor, ${when}); re-measure with \`puzzle-lab doctor\``,
      ...r.info.notes,
    ];
    return r.info;
  }
  await tf.setBackend(backendKey(picked.name));
  return { ...picked, notes: [...picked.notes, `auto: ${faster.backend} was measured faster on ${when} but does not start now (${r.note})`] };
}

function backendKey(name: BackendInfo['name']): string {
  return name === 'tensorflow-gpu' ? 'tensorflow' : name;
}

/**
 * CPU threads one engine of this backend computes a step on: the wasm pthread pool (1 without the
 * threaded build), 1 for plain JavaScript, every core for libtensorflow's CPU kernels, 0 on a GPU.
 */
export function computeThreads(name: BackendInfo['name']): number {
  if (name === 'wasm') return tf.getBackend() === 'wasm' ? Math.max(1, getThreadsCount()) : 1;
  if (name === 'cpu') return 1;
  if (name === 'tensorflow') return os.cpus().length;
  return 0;
}

/** The backend chosen so far in this process, or 'auto' initialised now (inference entry points). */
export async function ensureBackend(): Promise<BackendInfo> {
  return current ? current.info : initBackend('auto');
}
