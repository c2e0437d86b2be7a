// One backend's entry of the GPU doctor, computed in an engine process that forces that backend:
// available or not, the exact reason and the fix for this OS, and (when it runs) a short
// measurement: matMul GFLOPS at a training step's shape and one tiny TRM optimizer step.
import * as tf from '@tensorflow/tfjs';
import type { BackendMeasurement, ChainBackend, DoctorEntry } from '../../src-shared/method/doctor';
import type { BackendInfo } from '../../src-shared/method/protocol';
import { defaultRunConfig, parseRunConfig, swigluWidth, type RunConfig } from '../../src-shared/method/run-config';
import { nqueensDataset } from '../../src-shared/generators/nqueens';
import { initBackend } from './backend';
import { BatchSampler } from './data/sampler';
import { buildDatasets, encodingForSource, usesBlankPuzzleIds } from './data/training-set';
import { cudaLibraries, hasVulkanLoader, vulkanDrivers } from './gpu-env';
import { TrmTraining } from './methods/trm';
import { PuzzleTable } from './model/puzzle-table';
import { netSpec, TrmNet } from './model/trm';
import { AdamOptimizer } from './optim/adam';
import { runSeeds } from './trainer';

const OS = process.platform;

function cudaFinding(): string {
  const { cudart, cudnn } = cudaLibraries();
  if (OS !== 'linux' && OS !== 'win32') return '';
  if (cudart.length === 0) return 'no CUDA runtime (libcudart) found';
  return `found ${cudart.join(', ')}${cudnn.length ? ` and ${cudnn.join(', ')}` : ', no cuDNN'}`;
}

const CUDA_FIX =
  OS === 'darwin'
    ? 'none on macOS (tfjs-node-gpu has no Mac build; a Mac trains on the GPU through webgpu/Metal)'
    : 'tfjs-node-gpu 4.22 needs exactly CUDA 11.2 + cuDNN 8.1 (libcudart.so.11.0, libcudnn.so.8) on the library path, on Linux/Windows x64; with CUDA 12/13 use webgpu instead';

function webgpuFix(reason: string): string {
  if (OS === 'darwin') return 'WebGPU uses Metal: it needs macOS 11 or later on a Mac whose GPU supports Metal';
  if (OS === 'win32') return 'WebGPU uses Direct3D 12: update the GPU driver from NVIDIA, AMD or Intel';
  if (/loader/.test(reason) && !hasVulkanLoader()) return 'install the Vulkan loader and a driver: sudo apt install libvulkan1 mesa-vulkan-drivers (AMD/Intel), or the NVIDIA driver, which ships its own Vulkan driver';
  return 'install your GPU\'s Vulkan driver: the NVIDIA proprietary driver, or mesa-vulkan-drivers (RADV for AMD, ANV for Intel); `vulkaninfo --summary` should then list the GPU';
}

/** The reason and fix for a backend that would not start, from initBackend's error. */
export function unavailable(backend: ChainBackend, error: string): Pick<DoctorEntry, 'detail' | 'fix'> {
  const reason = error.replace(/^backend '[^']+' is not available: /, '');
  switch (backend) {
    case 'tensorflow-gpu': {
      if (/not available \(Cannot find/.test(reason)) {
        return { detail: 'tfjs-node-gpu: not installed', fix: OS === 'darwin' ? CUDA_FIX : `npm install @tensorflow/tfjs-node-gpu@4.22.0; ${CUDA_FIX}` };
      }
      if (/no GPU device/.test(reason)) return { detail: `tfjs-node-gpu: loaded but no CUDA device; ${cudaFinding()}, it needs CUDA 11.2 + cuDNN 8.1`, fix: CUDA_FIX };
      return { detail: reason, fix: CUDA_FIX };
    }
    case 'webgpu':
      return { detail: reason, fix: webgpuFix(reason) };
    case 'tensorflow':
      return {
        detail: /Cannot find/.test(reason) ? 'tfjs-node: not installed' : reason,
        fix: 'npm install @tensorflow/tfjs-node@4.22.0 (it downloads libtensorflow at install; Linux, macOS x64, Windows x64)',
      };
    default:
      return { detail: reason, fix: null };
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
}

/** Plain [M,K]×[K,N] matMul GFLOPS (compact preset, 16 rows × 80 tokens: the SwiGLU up projection). */
async function measureMatmul(): Promise<{ shape: string; gflops: number }> {
  const D = 256;
  const M = 16 * 80;
  const N = swigluWidth(D, 4);
  const a = tf.randomNormal([M, D]);
  const b = tf.randomNormal([D, N]);
  const run = async (): Promise<number> => {
    const t0 = performance.now();
    const c = tf.matMul(a, b);
    await c.data();
    c.dispose();
    return performance.now() - t0;
  };
  await run(); // warm-up: kernel compile / first upload
  const times: number[] = [];
  const start = performance.now();
  while (times.length < 1 || (times.length < 20 && performance.now() - start < 1000)) times.push(await run());
  tf.dispose([a, b]);
  const ms = median(times);
  return { shape: `[${M},${D}]x[${D},${N}]`, gflops: (2 * M * D * N) / (ms * 1e6) };
}

/** TRM tiny's network (D 64) with a short recursion (T 1, n 2) so that even the plain cpu backend answers in seconds. */
export function stepConfig(): RunConfig {
  const c = defaultRunConfig('trm', 'tiny');
  c.model = { ...c.model, T: 1, n: 2 };
  c.batchSize = 8;
  c.data.source = { kind: 'nqueens', n: 6, train: 32, test: 4, seed: 1 };
  c.data.augmentations = 0;
  c.eval = { ...c.eval, augmentations: 0 };
  return parseRunConfig(c);
}

/** One TRM tiny optimizer step (6×6 N-Queens, batch 16) after a warm-up step, built as the trainer builds it. */
async function measureStep(): Promise<{ ms: number; what: string }> {
  const config = stepConfig();
  const src = config.data.source as { kind: 'nqueens'; n: number; train: number; test: number; seed: number };
  const tasks = [nqueensDataset({ n: src.n, train: src.train, test: src.test, seed: src.seed })];
  const seeds = runSeeds(config.seed);
  const encoding = encodingForSource(config.data.source, config.data.canvas);
  const data = buildDatasets(tasks, {
    encoding,
    augmentations: 0,
    evalAugmentations: 0,
    translate: false,
    trainOnTestPairs: false,
    seed: seeds.dataSeed,
    blankPuzzleIds: usesBlankPuzzleIds(encoding),
  });
  const net = TrmNet.init(netSpec(config.model, encoding.vocab, encoding.seqLen, 'trm'), seeds.init);
  const table = config.model.puzzleEmbDim > 0 ? new PuzzleTable(data.train.numPuzzleIds, config.model.puzzleEmbDim) : null;
  const optimizer = new AdamOptimizer({ ...config.optimizer });
  const method = new TrmTraining({ net, table, optimizer, ema: null, opt: config.optimizer }, config, new BatchSampler(data.train, config.batchSize, seeds.sampler), seeds.halting);
  try {
    const times: number[] = [];
    const start = performance.now();
    // step 1 warms up (kernel compiles); then up to 3 timed steps within about 2 s
    for (let t = 1; t <= 4 && (t <= 2 || performance.now() - start < 2000); t++) {
      const t0 = performance.now();
      const rec = await method.step(t);
      await rec.lm.data();
      tf.dispose([rec.lm, rec.exactSum, rec.tokenAccSum, ...(rec.qHalt ? [rec.qHalt] : [])]);
      if (t > 1) times.push(performance.now() - t0);
    }
    return { ms: median(times), what: `TRM tiny (D ${config.model.hidden}, T ${config.model.T}, n ${config.model.n}), N-Queens 6×6, batch ${config.batchSize}` };
  } finally {
    method.dispose();
    optimizer.dispose();
    net.dispose();
  }
}

/** The doctor's entry for `backend`, in this (fresh) engine process. */
export async function diagnoseBackend(backend: ChainBackend, measure: boolean): Promise<DoctorEntry> {
  let info: BackendInfo;
  try {
    info = await initBackend(backend);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    return { backend, available: false, ...unavailable(backend, msg), usableByAuto: false, measurement: null };
  }
  const software = info.adapter?.software === true;
  const entry: DoctorEntry = {
    backend,
    available: true,
    detail: info.device,
    fix: software ? webgpuFix('only a software adapter') : null,
    usableByAuto: !software,
    ...(info.adapter ? { adapter: info.adapter } : {}),
    measurement: null,
  };
  if (software) entry.detail = `only a software adapter: ${info.device}`;
  if (!measure) return entry;
  try {
    const mm = await measureMatmul();
    if (software) {
      // A CPU emulation compiles every shader for seconds: a training step would take minutes, and
      // its speed says nothing about a GPU. The matMul alone shows it is slower than wasm.
      entry.measureError = `training step not measured on a software adapter (matMul ${mm.shape}: ${mm.gflops.toFixed(2)} GFLOPS); it is for correctness checks, never for speed`;
      return entry;
    }
    const step = await measureStep();
    const m: BackendMeasurement = { matmulShape: mm.shape, matmulGflops: mm.gflops, stepMs: step.ms, step: step.what };
    entry.measurement = m;
  } catch (e) {
    entry.measureError = e instanceof Error ? e.message : String(e);
  }
  return entry;
}
