// What the engine reports while it trains or infers, and the commands it takes. These types cross
// the process boundary (engine process ⇄ lab service) and the API (service ⇄ renderer); the
// runtime validators live next to the transports (src-main/service/validate-*.ts).
import type { Grid, Task } from '../puzzle/types';
import type { Method } from './methods';
import type { RunConfig } from './run-config';

/** Which TensorFlow.js backend and device really run the computation. */
export interface BackendInfo {
  /** 'tensorflow-gpu' only when tfjs-node-gpu reports that it really uses a GPU device */
  name: 'tensorflow-gpu' | 'webgpu' | 'tensorflow' | 'wasm' | 'cpu';
  /** human-readable device, e.g. "GPU (CUDA, libtensorflow 2.9.1)" or "CPU, wasm SIMD, 1 thread" */
  device: string;
  /** @tensorflow/tfjs version and, for tfjs-node, the libtensorflow version */
  versions: Record<string, string>;
  /** why a faster backend was not used (e.g. "tfjs-node-gpu: no CUDA 11.2 device, fell back") */
  notes: string[];
  /** webgpu only: the adapter Dawn gave, and whether it is real hardware or a CPU emulation */
  adapter?: GpuAdapterFacts;
  /** training runs only: how the steps really execute (threads working, micro-batches) */
  execution?: ExecutionInfo;
}

/** How a run's optimizer steps execute on the chosen backend (issue #16): said in the run view and recorded with the run. */
export interface ExecutionInfo {
  /** CPU threads that really compute a step (wasm pthreads × data-parallel workers; 0 = not a CPU backend) */
  threads: number;
  /** data-parallel shard workers (1 = none) */
  workers: number;
  /** micro-batches per optimizer step (1 = the whole batch at once) */
  microBatches: number;
  /** rows of the largest micro-batch (= the batch when 1 micro-batch) */
  microBatchRows: number;
  /** estimated tensor-memory peak of one step as executed, bytes */
  estimatedStepBytes: number;
  /** one line for the run view, e.g. "2 threads · 4 micro-batches of ≤4 rows (estimate 9.6 GiB > 2.4 GiB wasm heap budget)" */
  summary: string;
}

/** A WebGPU adapter as Dawn describes it. A software adapter (SwiftShader, llvmpipe, WARP) runs on the CPU. */
export interface GpuAdapterFacts {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  software: boolean;
}

/** Network calls (applications of `net`) counted by the engine, so that the compute accounting (docs/method-notes.md#compute-accounting) is measured. */
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
  /** the weights the scores above are from: 'ema' when the run averages its weights (TRM by default),
   * 'live' otherwise; absent in reports saved before both were evaluated */
  weights?: 'ema' | 'live';
  /** with EMA on: the same evaluation (its own votes) on the live, last-trained weights, so a
   * lagging average cannot hide what the model has learned */
  live?: EvalScores;
}

/** The scores of one evaluation, without the per-task votes. */
export interface EvalScores {
  passAt1: number;
  passAt2: number;
  passAtK: Record<string, number>;
  perStep: StepMetric[];
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
    /** halting probability sigmoid(q_halt) at this step (TRM, HRM) */
    qHalt?: number;
    /** HRM's continue value sigmoid(q_continue) at this step */
    qContinue?: number;
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
  /** HRM's sigmoid(q_continue) */
  qContinue?: number;
}

/**
 * How a task relates to a checkpoint, i.e. which puzzle embedding inference uses for it:
 * - 'trained': the checkpoint trained on these very demonstrations (and this test input);
 * - 'trained-edited': the demonstrations were trained but the test input was edited; the trained
 *   embedding still applies, since it was learned from the demonstrations only;
 * - 'unseen': the demonstrations were never trained (a new or edited task): a zero vector, adapt first;
 * - 'adapted': never trained, but puzzle-embedding rows were adapted to its demonstrations (adaptTask)
 *   and saved with the checkpoint.
 */
export type EmbeddingStatus = 'trained' | 'trained-edited' | 'unseen' | 'adapted';

export interface InferResult {
  encoding: 'arc' | 'nqueens' | 'sudoku';
  side: number;
  vocab: number;
  input: number[];
  label?: number[];
  steps: InferStep[];
  /** how this task relates to the checkpoint's training data */
  embedding: EmbeddingStatus;
  votes?: TaskEvalResult;
  /** why the vote came out as it did (present when augmentations > 0) */
  explanation?: VoteExplanation;
  /** the saved adaptation whose rows (and fine-tuned weights, if any) were used (embedding 'adapted') */
  adaptation?: AdaptationInfo;
  calls: CallCounts;
  ms: number;
}

/** One augmented version's vote for a test input. */
export interface VersionVote {
  /** "t<dihedral id> <colour map>", e.g. "t3 0172395846"; the original is "t0 0123456789" */
  name: string;
  dihedral: number;
  /** colour map m (new colour = m[old]) */
  colours: number[];
  /** index into VoteExplanation.candidates (an empty crop votes for the 0×0 candidate); −1 only in explanations saved before empty crops counted */
  candidate: number;
  /** TRM: halting confidence sigmoid(q_halt) of the last refinement step */
  q?: number;
}

export interface VoteCandidate {
  /** 1-based rank after voting */
  rank: number;
  /** the prediction with the version's transform undone (the original task's frame) */
  grid: Grid;
  count: number;
  /** TRM: the mean halting confidence of the versions that voted for it (ranks ties) */
  meanQ?: number;
  /** names of the versions that produced this grid */
  versions: string[];
  /** whether it equals the known test output; absent when the output is unknown */
  correct?: boolean;
}

/** "Why this answer": every augmented version's de-augmented prediction, the tally and pass@1/pass@2. */
export interface VoteExplanation {
  taskId: string;
  testIndex: number;
  method: Method;
  /** TRM ranks by count, then mean halting confidence; DIS by count, then first seen; HRM as TRM (docs/method-notes.md#evaluation-and-voting) */
  rankBy: 'count-then-q' | 'count-then-first';
  /** every version exactly once, the original first */
  versions: VersionVote[];
  /** distinct predicted grids, best first; Σ count + noGrid.length = versions.length */
  candidates: VoteCandidate[];
  /** versions whose prediction decoded to no grid and voted for nothing: empty since empty crops count as the 0×0 candidate (docs/method-notes.md#evaluation-and-voting); kept for saved explanations */
  noGrid: string[];
  /** the known test output, when there is one */
  expected?: Grid;
  /** top-1 equals the expected output; null when the output is unknown */
  passAt1: boolean | null;
  /** one of the top-2 equals it; null when the output is unknown */
  passAt2: boolean | null;
}

/** A saved adaptation (adaptTask's output on disk, beside the run's checkpoints). */
export interface AdaptationInfo {
  /** the folder holding the rows (and fine-tuned weights in 'embedding+network' mode) */
  dir: string;
  checkpointStep: number;
  /** fingerprint of the demonstrations the rows were learned from */
  fingerprint: string;
  mode: 'embedding' | 'embedding+network';
  optimizer: 'sign-sgd' | 'adam';
  /** optimizer steps taken on the rows (embedding phase) and on rows + network */
  steps: number;
  networkSteps: number;
  /** one row per version: the original and the run's data.augmentations augmented versions */
  versions: number;
  /** fraction of the demonstration examples (all versions) solved exactly after adaptation */
  demoExact: number;
  createdAt: string;
}

/** adaptTask: learn puzzle-embedding rows for a task the checkpoint never trained on, then solve it. */
export interface AdaptRequest {
  checkpointDir: string;
  task: Task;
  /** optimizer steps on the rows (each step = one supervision step of one batch); default 192 */
  steps?: number;
  /** how the rows are updated: the training's sign-SGD (default) or Adam */
  optimizer?: 'sign-sgd' | 'adam';
  /** 'embedding' (network frozen, default) or 'embedding+network' (then also test-time training) */
  mode?: 'embedding' | 'embedding+network';
  /** steps of the second phase that trains rows and network together ('embedding+network'); default steps/4 */
  networkSteps?: number;
  /** row learning rate; default the run's puzzleEmbLr (sign-SGD) or 1e-2 (Adam) */
  lr?: number;
  /** examples per batch; default all demonstration examples of all versions, at most the run's batch size */
  batchSize?: number;
  /** augmented versions voting on each test input (capped at the adapted versions); default the run's eval.augmentations */
  augmentations?: number;
  /** seed of the batch order and DIS target frames; default 0 */
  seed?: number;
  /** adapt again even when a saved adaptation with the same settings exists */
  force?: boolean;
}

export interface AdaptProgress {
  step: number;
  total: number;
  /** the step's training loss (TRM: lm + 0.5·q_halt; DIS: the step-weighted lm loss) */
  loss: number;
}

export interface AdaptResult {
  taskId: string;
  /** true when a saved adaptation was loaded and no training ran */
  reused: boolean;
  adaptation: AdaptationInfo;
  /** loss per optimizer step of this call (empty when reused) */
  losses: number[];
  /** per test input: the voted answer (top-2, votes, pass@1/pass@2) and its explanation */
  tests: Array<{ result: TaskEvalResult; explanation: VoteExplanation }>;
  /** over the test inputs with a known output; null when none is known */
  passAt1: number | null;
  passAt2: number | null;
  ms: number;
}

/** classifyTask: which embedding a task gets on a checkpoint, without running anything. */
export interface TaskClassification {
  embedding: EmbeddingStatus;
  /** the training task whose demonstrations equal this task's (may differ from task.id when renamed) */
  trainedTaskId: string | null;
  /** test indices whose input differs from the one trained ('trained-edited') */
  editedTests: number[];
  /** N-Queens/Sudoku runs use one shared puzzle vector for every board: nothing to adapt */
  sharedEmbedding: boolean;
  adaptation: AdaptationInfo | null;
  /** fingerprint of the demonstrations */
  fingerprint: string;
  /** one plain sentence for the UI */
  message: string;
}

export interface ExplainVotesRequest {
  checkpointDir: string;
  task: Task;
  testIndex: number;
  augmentations: number;
}

export type EngineCommand =
  | { type: 'train'; job: TrainJob }
  | { type: 'infer'; requestId: string; request: InferRequest }
  /** progress goes back as AdaptProgress per step; 'stop' with reason 'cancel' abandons it (nothing saved) */
  | { type: 'adapt'; requestId: string; request: AdaptRequest }
  | { type: 'classify'; requestId: string; checkpointDir: string; task: Task }
  | { type: 'explain-votes'; requestId: string; request: ExplainVotesRequest }
  /** pass@K of a checkpoint on tasks' test pairs with `augmentations` voted versions per pair */
  | { type: 'evaluate'; requestId: string; checkpointDir: string; tasks: Task[]; augmentations: number }
  /** stop after the current step; 'pause' writes a checkpoint first */
  | { type: 'stop'; reason: 'cancel' | 'pause' };
