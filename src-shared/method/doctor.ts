// The GPU doctor's report: every backend of the chain, whether it runs here, the exact reason when it
// does not and the fix for this OS, and a short measurement of each one that runs. Probed in engine
// processes (one per backend: tfjs-node and tfjs-node-gpu cannot share a process), never in the
// service or the renderer.
import type { GpuAdapterFacts } from './protocol';

/** The order 'auto' tries (fastest first). */
export const BACKEND_CHAIN = ['tensorflow-gpu', 'webgpu', 'tensorflow', 'wasm', 'cpu'] as const;
export type ChainBackend = (typeof BACKEND_CHAIN)[number];

export interface BackendMeasurement {
  /** plain 2-D matMul at a training step's largest shape (compact preset, 80 tokens) */
  matmulShape: string;
  matmulGflops: number;
  /** one optimizer step of TRM tiny on 6×6 N-Queens boards, batch 16, after a warm-up step */
  stepMs: number;
  /** the step configuration, for the report */
  step: string;
}

export interface DoctorEntry {
  backend: ChainBackend;
  available: boolean;
  /** what it runs on when available ("GPU (WebGPU, Dawn): …"), the exact reason when not */
  detail: string;
  /** the concrete fix for this OS when it is not available (or only as a software adapter) */
  fix: string | null;
  /** false for a software WebGPU adapter: 'auto' never trains on one */
  usableByAuto: boolean;
  adapter?: GpuAdapterFacts;
  measurement: BackendMeasurement | null;
  /** why a backend that runs could not be measured */
  measureError?: string;
}

export interface DoctorReport {
  platform: string;
  createdAt: string;
  entries: DoctorEntry[];
  /** what 'auto' picks on this machine, and its notes on the faster ones it skipped */
  auto: { backend: string; device: string; notes: string[] } | null;
  /** the measured fastest backend 'auto' may use, when measured */
  fastest: ChainBackend | null;
}
