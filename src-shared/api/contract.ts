// THE API contract between the renderer and the lab service. One interface, served over IPC in the
// desktop app (preload + contextBridge) and over a token-protected WebSocket in `serve` mode. Every
// request's parameters are validated at runtime on the service side (src-main/service/api-schemas.ts).
import type { SubmissionScore } from '../puzzle/submission';
import type { Task } from '../puzzle/types';
import type { DoctorReport } from '../method/doctor';
import type { DisOptions, RunConfig } from '../method/run-config';
import type { AdaptResult, BackendInfo, EvalReport, InferResult, ProbeSnapshot, TaskClassification, VoteExplanation } from '../method/protocol';

export interface SystemInfo {
  app: { version: string; mode: 'electron' | 'serve' };
  /** the backend the engine uses (probed in an engine process at start-up) */
  backend: BackendInfo | null;
  memory: { totalBytes: number; freeBytes: number; serviceRssBytes: number };
  dataDir: string;
  platform: string;
}

export interface DatasetSummary {
  id: string;
  name: string;
  /** 'import' (a file the user chose), 'generated' (a built-in family), 'user' (authored in the editor) */
  kind: 'import' | 'generated' | 'user';
  /** where it came from: file names, or family + parameters + seed */
  provenance: string;
  taskCount: number;
  createdAt: string;
}

export interface TaskSummary {
  /** library id (unique in the library) */
  id: string;
  /** the task's own id (file stem / combined-file key) */
  taskId: string;
  datasetId: string;
  tags: string[];
  trainCount: number;
  testCount: number;
  /** first train input, for the thumbnail */
  thumbnail: number[][];
  edited: boolean;
  updatedAt: string;
}

export interface LibraryTask extends TaskSummary {
  task: Task;
  /** for an edited copy: the library id of the original it was derived from */
  originalId: string | null;
}

export interface ImportReport {
  datasetId: string | null;
  loaded: number;
  rejected: Array<{ file: string; taskId?: string; message: string }>;
}

export interface FamilyInfo {
  id: string;
  title: string;
  description: string;
  /** 'arc' families make ARC tasks; 'nqueens' and 'sudoku' make constraint puzzles */
  kind: 'arc' | 'nqueens' | 'sudoku';
}

export type RunStatus = 'queued' | 'running' | 'paused' | 'completed' | 'cancelled' | 'failed' | 'diverged';

export interface RunSummary {
  id: string;
  name: string;
  method: 'trm' | 'dis';
  status: RunStatus;
  /** runs queued together (e.g. a TRM+DIS pair) share a group id */
  group: string | null;
  queuePosition: number | null;
  step: number;
  totalSteps: number;
  examplesPerSec: number;
  etaSec: number | null;
  backend: BackendInfo | null;
  error: string | null;
  /**
   * Set while a paused run waits for the lab to be able to write again ('disk-full': no space left;
   * 'storage': the database refused writes). It resumes by itself when a retry succeeds.
   */
  pausedFor?: 'disk-full' | 'storage';
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export interface RunDetail extends RunSummary {
  config: RunConfig;
  trainableParams: number | null;
  lastEval: EvalReport | null;
}

export interface MetricPoint {
  step: number;
  /** wall-clock seconds of training so far */
  wallSec: number;
  trajectories: number;
  /** cumulative network calls (forward equivalents: grad calls count 3) */
  forwardEquivalents: number;
  value: number;
}

export interface MetricSeries {
  key: string;
  points: MetricPoint[];
}

export interface CheckpointInfo {
  step: number;
  path: string;
  sha256: string;
  createdAt: string;
}

export interface TargetPreview {
  encoding: 'arc' | 'nqueens' | 'sudoku';
  side: number;
  input: number[];
  label: number[];
  /** frames F_0..F_Nsup (tokens; -100 = unsupervised) */
  frames: number[][];
}

/** An imported submission.json (another model, an LLM pipeline, a human attempt file): attempts only. */
export interface ExternalSolver {
  id: string;
  name: string;
  /** the imported file's name */
  sourceFile: string;
  /** sha256 of the file as imported (hex) */
  sha256: string;
  taskIds: string[];
  /** test inputs answered, over all tasks */
  testCount: number;
  createdAt: string;
}

/** An external solver scored the official way against a run's tasks or a library dataset. */
export interface SolverScore {
  solver: ExternalSolver;
  against: { kind: 'run' | 'dataset'; id: string; name: string };
  score: SubmissionScore;
  /** its attempts as an evaluation report (step 0, no votes), so run views show it beside a run */
  report: EvalReport;
  /** tasks of the reference whose test outputs are unknown: not scored */
  unknown: string[];
}

/** A checkpoint file to import: a path the service can read, or a finished chunked upload (uploadChunk). */
export type CheckpointSource = { kind: 'path'; path: string } | { kind: 'upload'; uploadId: string };

/** What the user confirms or chooses when the weights and all_config.yaml do not say it. */
export interface CheckpointOverrides {
  method?: 'trm' | 'dis';
  T?: number;
  n?: number;
  Nsup?: number;
  heads?: number;
  puzzleEmbLen?: number;
  /** ARC canvas side (30 = the authors' 900 tokens) */
  canvas?: number;
  /** N-Queens board side */
  side?: number;
  /** positional encoding when neither the keys (embed_pos) nor all_config.yaml tell: rope or none */
  posEncodings?: 'rope' | 'learned' | 'none';
}

export type ValueSource = 'shapes' | 'all_config.yaml' | 'user' | 'default';

/** The network an imported checkpoint holds, and where each value came from. */
export interface ImportedArchitecture {
  method: 'trm' | 'dis';
  archName: string | null;
  hidden: number;
  layers: number;
  /** 0 while unresolved */
  heads: number;
  expansion: number;
  inner: number;
  puzzleEmbLen: number;
  puzzleEmbDim: number;
  puzzleRows: number;
  vocab: number;
  encoding: { kind: 'arc' | 'nqueens' | 'sudoku'; side: number; seqLen: number };
  /** 0 while unresolved */
  T: number;
  n: number;
  Nsup: number;
  ropeTheta: number;
  /** a block's token mixer: self-attention, or TRM's MLP over the sequence (`mlp_t` keys) */
  mixer: 'attention' | 'mlp_t';
  /** `pos_encodings`: learned from embed_pos, else all_config.yaml, the user, or RoPE by default */
  posEncodings: 'rope' | 'learned' | 'none';
  sources: Record<string, ValueSource>;
  /** what neither the weights nor all_config.yaml nor the user gave */
  unresolved: Array<'heads' | 'T' | 'n' | 'Nsup'>;
  notes: string[];
}

export interface CheckpointInspection {
  file: string;
  format: 'torch-zip' | 'safetensors';
  step: number;
  /** the all_config.yaml that was read, or null */
  allConfig: string | null;
  architecture: ImportedArchitecture;
  trainableParams: number;
  keys: number;
}

/** An authors' dataset folder (build_arc_dataset.py layout) the lab wrote. */
export interface AuthorsDatasetExport {
  folder: string;
  tasks: number;
  numPuzzleIdentifiers: number;
  splits: Record<'train' | 'test', { groups: number; puzzles: number; examples: number }>;
  notes: string[];
}

/** An authors' dataset folder imported into the library. */
export interface AuthorsDatasetImport {
  datasetId: string;
  name: string;
  loaded: number;
  evaluationTasks: number;
  trainSplitTasks: number;
  numPuzzleIdentifiers: number;
  notes: string[];
}

/** A lab run exported for the authors' torchrun pipeline. */
export interface AuthorsRunExport {
  folder: string;
  method: 'trm' | 'dis';
  /** the repository and commit the command line was checked against */
  repo: { name: string; url: string; commit: string };
  dataset: AuthorsDatasetExport;
  command: string;
  /** lab options with no equivalent in the authors' code */
  unsupported: string[];
  notes: string[];
  files: string[];
  /** the run's weights as a PyTorch step_N file, when written */
  checkpoint: string | null;
}

export type LabEvent =
  | { type: 'run'; run: RunSummary }
  | { type: 'run-deleted'; runId: string }
  | { type: 'metrics'; runId: string; series: MetricSeries[] }
  | { type: 'snapshot'; runId: string; step: number }
  | { type: 'eval'; runId: string; report: EvalReport }
  | { type: 'library'; datasetId: string | null }
  | { type: 'solvers' }
  | { type: 'adapt-progress'; requestId: string; step: number; total: number; loss: number };

/** Every method takes one plain-data argument (or none) and returns a promise of plain data. */
export interface LabApi {
  systemInfo(): Promise<SystemInfo>;
  /**
   * the GPU doctor: every backend of the chain probed in its own engine process (available or not,
   * the exact reason, the fix), with a short measurement of each when `measure`; the last report is
   * kept until `refresh`
   */
  gpuDoctor(q: { measure: boolean; refresh?: boolean }): Promise<DoctorReport>;

  // --- library ---
  listDatasets(): Promise<DatasetSummary[]>;
  listTasks(q: { datasetId?: string; search?: string; tag?: string; offset?: number; limit?: number }): Promise<{
    total: number;
    items: TaskSummary[];
  }>;
  getTask(q: { id: string }): Promise<LibraryTask>;
  /** save a task; an imported original is never overwritten unless overwriteOriginal (an edited copy is made) */
  saveTask(q: { id?: string; task: Task; datasetId?: string; tags?: string[]; overwriteOriginal?: boolean }): Promise<LibraryTask>;
  deleteTask(q: { id: string }): Promise<void>;
  importFiles(q: { name: string; files: Array<{ name: string; content: string }> }): Promise<ImportReport>;
  exportTasks(q: { ids?: string[]; datasetId?: string; format: 'per-task' | 'combined' }): Promise<{
    files: Array<{ name: string; content: string }>;
  }>;
  listFamilies(): Promise<FamilyInfo[]>;
  /** write a library dataset (or tasks) as the authors' dataset folder, under the data directory's exports/ */
  exportAuthorsDataset(q: { datasetId?: string; ids?: string[]; augmentations?: number; seed?: number; translate?: boolean; trainOnTestPairs?: boolean }): Promise<AuthorsDatasetExport>;
  /** import an authors' dataset folder (a path on the machine running the lab service) into the library */
  importAuthorsDataset(q: { folder: string; name?: string }): Promise<AuthorsDatasetImport>;
  generateTasks(q: {
    family: string;
    count: number;
    minSide: number;
    maxSide: number;
    difficulty: number;
    seed: number;
    /** add to the library as a dataset; otherwise only preview */
    save: boolean;
  }): Promise<{ tasks: Task[]; datasetId: string | null }>;

  // --- runs and queue ---
  queueRuns(q: { configs: RunConfig[]; paired?: boolean }): Promise<RunSummary[]>;
  listRuns(): Promise<RunSummary[]>;
  getRun(q: { id: string }): Promise<RunDetail>;
  controlRun(q: { id: string; action: 'pause' | 'resume' | 'cancel' | 'delete' }): Promise<void>;
  reorderQueue(q: { ids: string[] }): Promise<void>;
  getMetrics(q: { runId: string; keys?: string[]; maxPoints?: number }): Promise<MetricSeries[]>;
  listSnapshots(q: { runId: string }): Promise<number[]>;
  getSnapshot(q: { runId: string; step: number }): Promise<ProbeSnapshot[]>;
  listCheckpoints(q: { runId: string }): Promise<CheckpointInfo[]>;
  listEvals(q: { runId: string }): Promise<EvalReport[]>;
  /** write a run for the authors' torchrun pipeline (data, command line, launch scripts) under exports/ */
  exportRunForAuthors(q: { runId: string; gpus?: number; nodes?: number }): Promise<AuthorsRunExport>;

  // --- targets and inference ---
  previewTargets(q: { task: Task; testIndex?: number; pairIndex?: number; dis: DisOptions; Nsup: number; seed: number }): Promise<TargetPreview>;
  infer(q: { runId: string; step?: number; task: Task; testIndex: number; augmentations?: number }): Promise<InferResult>;
  /** which embedding the task gets on the run's checkpoint (trained / trained-edited / unseen / adapted); cheap, runs nothing */
  classifyTask(q: { runId: string; step?: number; task: Task }): Promise<TaskClassification>;
  /**
   * learn puzzle-embedding rows for a task the run never trained on, save them with the checkpoint and
   * solve its test inputs; progress arrives as 'adapt-progress' events carrying requestId
   */
  adapt(q: {
    requestId: string;
    runId: string;
    step?: number;
    task: Task;
    steps?: number;
    optimizer?: 'sign-sgd' | 'adam';
    mode?: 'embedding' | 'embedding+network';
    networkSteps?: number;
    augmentations?: number;
    force?: boolean;
  }): Promise<AdaptResult>;
  /** "why this answer": every augmented version's vote for one test input */
  explainVotes(q: { runId: string; step?: number; task: Task; testIndex: number; augmentations: number }): Promise<VoteExplanation>;

  // --- external solvers (Kaggle submission.json) ---
  /** validate and store a submission.json; a bad file is refused with every located problem */
  importSubmission(q: { name: string; file: string; content: string }): Promise<ExternalSolver>;
  listSolvers(): Promise<ExternalSolver[]>;
  deleteSolver(q: { id: string }): Promise<void>;
  /** the official score against a run's tasks (runId) or a library dataset (datasetId): exactly one */
  scoreSolver(q: { id: string; runId?: string; datasetId?: string }): Promise<SolverScore>;
  // --- PyTorch checkpoints (the authors' pretrain.py step_N, or .safetensors) ---
  /**
   * one chunk of a file upload (serve mode has no file paths); the first chunk (offset 0, no uploadId)
   * starts an upload, later ones must continue at `received`; chunks of ≤ UPLOAD_CHUNK_BYTES, base64
   */
  uploadChunk(q: { uploadId?: string; name: string; total: number; offset: number; data: string }): Promise<{ uploadId: string; received: number }>;
  /** drop an upload that will not be imported */
  discardUpload(q: { uploadId: string }): Promise<void>;
  /** read a checkpoint and say what network it holds and what must still be confirmed; writes nothing */
  inspectCheckpoint(q: { source: CheckpointSource; overrides?: CheckpointOverrides; allConfig?: string }): Promise<CheckpointInspection>;
  /**
   * import a checkpoint as a completed run; `pair` is the lab data it is shown with (default: the
   * user's own puzzles). Tasks the checkpoint did not train on get a blank puzzle embedding.
   */
  importCheckpoint(q: {
    source: CheckpointSource;
    overrides?: CheckpointOverrides;
    allConfig?: string;
    name?: string;
    pair?: { kind: 'dataset'; datasetId: string } | { kind: 'library'; taskIds: string[] };
  }): Promise<RunSummary>;
}

/** Raw bytes per uploadChunk (base64 makes them 4/3 larger, well under the WebSocket's request limit). */
export const UPLOAD_CHUNK_BYTES = 4 * 1024 * 1024;

export type LabMethod = keyof LabApi;

/** The client side: the API plus event subscription (IPC events in Electron, WebSocket pushes in serve mode). */
export interface LabClient extends LabApi {
  subscribe(listener: (e: LabEvent) => void): () => void;
}

/** Every method name at runtime: the preload exposes exactly these, the service validates against them. */
export const LAB_METHODS = [
  'systemInfo',
  'gpuDoctor',
  'listDatasets',
  'listTasks',
  'getTask',
  'saveTask',
  'deleteTask',
  'importFiles',
  'exportTasks',
  'listFamilies',
  'exportAuthorsDataset',
  'importAuthorsDataset',
  'generateTasks',
  'queueRuns',
  'listRuns',
  'getRun',
  'controlRun',
  'reorderQueue',
  'getMetrics',
  'listSnapshots',
  'getSnapshot',
  'listCheckpoints',
  'listEvals',
  'exportRunForAuthors',
  'previewTargets',
  'infer',
  'classifyTask',
  'adapt',
  'explainVotes',
  'importSubmission',
  'listSolvers',
  'deleteSolver',
  'scoreSolver',
  'uploadChunk',
  'discardUpload',
  'inspectCheckpoint',
  'importCheckpoint',
] as const satisfies readonly LabMethod[];

// Compile-time check that LAB_METHODS lists every method of LabApi.
type MissingMethods = Exclude<LabMethod, (typeof LAB_METHODS)[number]>;
const _allMethodsListed: MissingMethods extends never ? true : MissingMethods = true;
void _allMethodsListed;
