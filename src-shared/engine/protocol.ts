// What the engine reports while it trains or infers, and the commands it takes. These types cross
// the process boundary (engine process ⇄ lab service) and the API (service ⇄ renderer); the
// runtime validators live next to the transports (src-main/service/validate-*.ts).
import type { Grid, Task } from '../puzzle/types';
import type { RunConfig } from './run-config';

/** Which TensorFlow.js backend and device really run the computation. */
export interface BackendInfo {
  /** 'tensorflow-gpu' only when tfjs-node-gpu reports that it really uses a GPU device */
  name: 'tensorflow-gpu' | 'tensorflow' | 'wasm' | 'cpu';
  /** human-readable device, e.g. "GPU (CUDA, libtensorflow 2.9.1)" or "CPU, wasm SIMD, 1 thread" */
  device: string;
  /** @tensorflow/tfjs version and, for tfjs-node, the libtensorflow version */
  versions: Record<string, string>;
  /** why a faster backend was not used (e.g. "tfjs-node-gpu: no CUDA 11.2 device, fell back") */
  notes: string[];
}

/** Network calls (applications of `net`) counted by the engine, so that the §6 accounting is measured. */
export interface CallCounts {
  grad: number;
  noGrad: number;
}

/** Per refinement step (supervision step) diagnostics at an evaluation. */
export interface StepMetric {
  step: number;
  tokenAccuracy: number;
  exactAccuracy: number;
  /** Proposition 4.1: Δℓ[y*] − E_{a∼π_w} Δℓ[a], averaged over supervised cells */
  advantageMargin: number;
  /** for N-Queens / Sudoku: fraction of predicted boards that satisfy the constraints */
  validity?: number;
}

export interface TaskEvalResult {
  taskId: string;
  testIndex: number;
  /** top candidates after voting, best first (at most 2 kept) */
  top: Grid[];
  votes: number[];
  passAt1: boolean;
  passAt2: boolean;
}

export interface EvalReport {
  step: number;
  passAt1: number;
  passAt2: number;
  /** pass@K for K in 1,2,5,10,100,1000 where K ≤ versions */
  passAtK: Record<string, number>;
  perStep: StepMetric[];
  tasks: TaskEvalResult[];
  /** network calls per evaluated example (one augmented copy) */
  callsPerExample: number;
}

/** The model's output at every refinement step for one probe puzzle, with that step's target frame. */
export interface ProbeSnapshot {
  probe: number;
  taskId: string;
  testIndex: number;
  /** canvas side (30 for ARC, n for N-Queens, 9 for Sudoku) and token meaning */
  encoding: 'arc' | 'nqueens' | 'sudoku';
  side: number;
  input: number[];
  label: number[];
  steps: Array<{
    /** argmax tokens, row-major side×side */
    tokens: number[];
    /** per-token max probability (stablemax), rounded to 3 decimals */
    confidence: number[];
    /** DIS target frame of this step (tokens; -100 = not supervised), absent for TRM */
    target?: number[];
    /** TRM halting probability sigmoid(q_halt) at this step */
    qHalt?: number;
  }>;
}

export type EngineEvent =
  | {
      type: 'started';
      backend: BackendInfo;
      trainableParams: number;
      puzzleRows: number;
      startStep: number;
      totalSteps: number;
    }
  | {
      type: 'progress';
      step: number;
      totalSteps: number;
      trajectories: number;
      examplesPerSec: number;
      etaSec: number;
      wallSec: number;
      /** scalar metrics of the recent steps: lm_loss, q_halt_loss, token_accuracy, exact_accuracy, lr, ... */
      metrics: Record<string, number>;
      calls: CallCounts;
    }
  | { type: 'eval'; report: EvalReport }
  | { type: 'snapshot'; step: number; probes: ProbeSnapshot[] }
  | { type: 'checkpoint'; step: number; path: string; sha256: string }
  | { type: 'log'; level: 'info' | 'warn' | 'error'; message: string }
  | {
      type: 'finished';
      status: 'completed' | 'cancelled' | 'paused' | 'diverged' | 'failed';
      step: number;
      error?: string;
    };

/** Everything the engine needs to train: the config and the concrete tasks (the service resolves library data). */
export interface TrainJob {
  runId: string;
  config: RunConfig;
  /** tasks whose demonstration pairs train; their test pairs evaluate (transductive, as the authors) */
  tasks: Task[];
  /** directory owned by this run: checkpoints/ lives here */
  runDir: string;
  /** continue from the newest valid checkpoint in runDir if there is one */
  resume: boolean;
}

/** Interactive inference: a checkpoint and a (possibly edited) task → per-step predictions. */
export interface InferRequest {
  checkpointDir: string;
  task: Task;
  testIndex: number;
  /** augmented versions for voting (0 = the original only) */
  augmentations: number;
}

export interface InferStep {
  /** ℓ_u (before the step's reasoning, from z_H of the previous update) and ℓ_c (after), per token × vocab, rounded */
  lu: number[];
  lc: number[];
  tokens: number[];
  confidence: number[];
  qHalt?: number;
}

export interface InferResult {
  encoding: 'arc' | 'nqueens' | 'sudoku';
  side: number;
  vocab: number;
  input: number[];
  label?: number[];
  steps: InferStep[];
  /** how this task relates to the checkpoint's training data */
  embedding: 'trained' | 'trained-edited' | 'unseen';
  votes?: TaskEvalResult;
  calls: CallCounts;
  ms: number;
}

export type EngineCommand =
  | { type: 'train'; job: TrainJob }
  | { type: 'infer'; requestId: string; request: InferRequest }
  /** stop after the current step; 'pause' writes a checkpoint first */
  | { type: 'stop'; reason: 'cancel' | 'pause' };
