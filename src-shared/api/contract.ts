// THE API contract between the renderer (and the CLI) and the lab service: one table (LAB_API,
// below) of every method's parameter schema and result type, served over IPC in the desktop app
// (preload + contextBridge), over a token-protected WebSocket in `serve` mode and in-process by the
// CLI. Every request's parameters are validated at runtime by the service (dispatch.ts) against it.
import * as v from 'valibot';
import type { SubmissionScore } from '../puzzle/submission';
import type { Grid, Task } from '../puzzle/types';
import type { DoctorReport } from '../method/doctor';
import { METHODS, type Method } from '../method/methods';
import { DisSchema, RunConfigSchema, type RunConfig } from '../method/run-config';
import { idProblem } from '../puzzle/ids';
import { EditableTaskSchema, GridSchema, TaskSchema } from '../puzzle/schema';
import { MAX_PAIRS, MAX_SIDE } from '../puzzle/types';
import { MAX_REQUEST_BYTES } from './wire';
import type { AdaptResult, BackendInfo, EvalReport, InferResult, ProbeSnapshot, TaskClassification, VoteExplanation } from '../method/protocol';

export interface SystemInfo {
  /** 'cli': the short-lived lab of a `puzzle-lab` command (no lab was running on the data directory) */
  app: { version: string; mode: 'electron' | 'serve' | 'cli' };
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
  method: Method;
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

export type ValueSource = 'shapes' | 'all_config.yaml' | 'user' | 'default';

/** The network an imported checkpoint holds, and where each value came from. */
export interface ImportedArchitecture {
  method: Method;
  archName: string | null;
  hidden: number;
  layers: number;
  /** HRM's high-level blocks (H_level); absent for TRM and DIS */
  hLayers?: number;
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
  method: Method;
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

// --- issue 13: run task snapshots, solve mode, comparison studies (one group, for the schema table) ---

/** One task of a run's snapshot: exactly what the run trained and evaluated on. */
export interface RunTask {
  /** the id as the run knew it (a repeated id "x" became "x~2") */
  taskId: string;
  task: Task;
  /** sha256 of the task's content (its pairs, not its id): equal content, equal fingerprint */
  fingerprint: string;
  /** among the tasks the run's evaluation scores (eval.maxTasks keeps the first ones) */
  evaluated: boolean;
}

/** The human's tries at one test input of a task (solve mode), at most HUMAN_TRIES. */
export interface HumanTestStatus {
  testIndex: number;
  tries: number;
  solved: boolean;
  /** the grids answered, first try first */
  answers: Grid[];
}

export interface HumanAttemptResult {
  correct: boolean;
  /** this answer's number (1..HUMAN_TRIES) */
  attempt: number;
  triesLeft: number;
  status: HumanTestStatus;
}

/** Tries per test input, as in the ARC rules (and fchollet's testing interface). */
export const HUMAN_TRIES = 3;

/** One row of "which puzzles did the model solve that I did not, and the reverse". */
export interface HumanVsModelRow {
  taskId: string;
  testIndex: number;
  fingerprint: string;
  /** null: the human has not tried it */
  human: { tries: number; solved: boolean } | null;
  /** per model column: runs whose last evaluation solves it (pass@2), of runs evaluated; null: none evaluated yet */
  model: Record<string, { solved: number; of: number } | null>;
}

export interface HumanVsModel {
  /** a run (one column) or a study (one column per method, seeds pooled) */
  subject: { kind: 'run' | 'study'; id: string; name: string };
  columns: Array<{ key: string; label: string }>;
  rows: HumanVsModelRow[];
}

export type StudyMethod = RunConfig['method'];

export interface StudyRunRef {
  runId: string;
  method: StudyMethod;
  seed: number;
}

export interface StudySummary {
  id: string;
  name: string;
  methods: StudyMethod[];
  seeds: number[];
  runs: StudyRunRef[];
  /** runs by status, e.g. { completed: 4, running: 1, queued: 1 } */
  statusCounts: Partial<Record<RunStatus, number>>;
  createdAt: string;
}

export interface StudyDetail extends StudySummary {
  /** the per-method configs the study seeded (same data, budget and backbone) */
  configs: RunConfig[];
}

export type LabEvent =
  | { type: 'run'; run: RunSummary }
  | { type: 'run-deleted'; runId: string }
  | { type: 'metrics'; runId: string; series: MetricSeries[] }
  | { type: 'snapshot'; runId: string; step: number }
  | { type: 'eval'; runId: string; report: EvalReport }
  | { type: 'library'; datasetId: string | null }
  | { type: 'solvers' }
  | { type: 'study'; study: StudySummary }
  | { type: 'adapt-progress'; requestId: string; step: number; total: number; loss: number };

/** Raw bytes per uploadChunk (base64 makes them 4/3 larger, well under the WebSocket's request limit). */
export const UPLOAD_CHUNK_BYTES = 4 * 1024 * 1024;

// ---------------------------------------------------------------------------------------------
// THE API TABLE. One entry per method: the schema of its one plain-data argument (checked at
// runtime by the service before any handler runs: a compromised renderer or a stray WebSocket
// client can send anything) and the type of what it returns. The client type (LabApi), the
// service's handler type (LabHandlers), the method list (LAB_METHODS) and the validated parameter
// types (ParamsOf) are all derived from it, so a handler whose parameters drift from its schema,
// or a method without a schema, does not compile.
//
// Adding a method is ONE entry here:
//   myMethod: {
//     /** what it does (shown on hover in the renderer and the service) */
//     params: v.strictObject({ runId: id, step: v.optional(int(0, 1e9)) }),   // or None for no argument
//     result: returns<MyResult>(),
//   },
// then `async myMethod(q: ParamsOf<'myMethod'>): Promise<MyResult>` in LabService
// (src-main/service/api.ts). Preload, IPC wiring, the WebSocket client and dispatch pick it up
// from LAB_METHODS. Use the building blocks below (id, int, SEED, TaskSchema, …) so the same
// rule reads the same everywhere; every object is strict (unknown keys are refused).
// ---------------------------------------------------------------------------------------------

const int = (min: number, max: number) => v.pipe(v.number(), v.integer(), v.minValue(min), v.maxValue(max));
/** Every id a request carries follows the lab's one id rule (src-shared/puzzle/ids.ts). */
const id = v.pipe(
  v.string(),
  v.maxLength(200),
  v.check((s) => idProblem(s) === null, (issue) => `id ${idProblem(String(issue.input)) ?? 'is not usable'}`),
);
const SEED = int(0, 2 ** 31 - 1);
const text = (max: number) => v.pipe(v.string(), v.minLength(1), v.maxLength(max));
/** A method without an argument (IPC and JSON may carry it as undefined, null or {}). */
const None = v.optional(v.union([v.undefined(), v.null(), v.strictObject({})]));
/** The result type of a method: a type only (results are built by the service, not parsed). */
const returns = <R>(): R => undefined as R;

const CheckpointSourceSchema = v.variant('kind', [
  v.strictObject({ kind: v.literal('path'), path: text(4096) }),
  v.strictObject({ kind: v.literal('upload'), uploadId: id }),
]);
const CheckpointOverridesSchema = v.strictObject({
  method: v.optional(v.picklist(METHODS)),
  T: v.optional(int(1, 16)),
  n: v.optional(int(1, 32)),
  Nsup: v.optional(int(1, 64)),
  heads: v.optional(int(1, 32)),
  puzzleEmbLen: v.optional(int(0, 64)),
  /** ARC canvas side (30 = the authors' 900 tokens) */
  canvas: v.optional(int(2, 30)),
  /** N-Queens board side */
  side: v.optional(int(1, 30)),
  /** positional encoding when neither the keys (embed_pos) nor all_config.yaml tell: rope or none */
  posEncodings: v.optional(v.picklist(['rope', 'learned', 'none'])),
});
const AllConfigSchema = v.pipe(v.string(), v.maxLength(1_000_000));
/** Requests on a checkpoint name a lab run (runId, optionally its `step`) or a checkpoint folder (checkpointDir). */
const oneCheckpoint = (q: { runId?: string | undefined; checkpointDir?: string | undefined }): boolean => (q.runId === undefined) !== (q.checkpointDir === undefined);
const ONE_CHECKPOINT = 'give exactly one of runId (a lab run) and checkpointDir (a checkpoint folder)';
const stepOfRun = (q: { runId?: string | undefined; step?: number | undefined }): boolean => q.step === undefined || q.runId !== undefined;
const STEP_OF_RUN = 'step chooses a checkpoint of runId; a checkpoint folder is one step already';

/** A checkpoint file to import: a path the service can read, or a finished chunked upload (uploadChunk). */
export type CheckpointSource = v.InferOutput<typeof CheckpointSourceSchema>;
/** What the user confirms or chooses when the weights and all_config.yaml do not say it. */
export type CheckpointOverrides = v.InferOutput<typeof CheckpointOverridesSchema>;

export const LAB_API = {
  systemInfo: { params: None, result: returns<SystemInfo>() },
  /**
   * the GPU doctor: every backend of the chain probed in its own engine process (available or not,
   * the exact reason, the fix), with a short measurement of each when `measure`; the last report is
   * kept until `refresh`
   */
  gpuDoctor: { params: v.strictObject({ measure: v.boolean(), refresh: v.optional(v.boolean()) }), result: returns<DoctorReport>() },

  // --- library ---
  listDatasets: { params: None, result: returns<DatasetSummary[]>() },
  listTasks: {
    params: v.strictObject({
      datasetId: v.optional(id),
      search: v.optional(v.pipe(v.string(), v.maxLength(200))),
      tag: v.optional(v.pipe(v.string(), v.maxLength(200))),
      offset: v.optional(int(0, 10_000_000)),
      limit: v.optional(int(1, 10_000)),
    }),
    result: returns<{ total: number; items: TaskSummary[] }>(),
  },
  getTask: { params: v.strictObject({ id }), result: returns<LibraryTask>() },
  /** save a task; an imported original is never overwritten unless overwriteOriginal (an edited copy is made) */
  saveTask: {
    params: v.strictObject({
      id: v.optional(id),
      task: EditableTaskSchema,
      datasetId: v.optional(id),
      tags: v.optional(v.pipe(v.array(text(100)), v.maxLength(100))),
      overwriteOriginal: v.optional(v.boolean()),
    }),
    result: returns<LibraryTask>(),
  },
  deleteTask: { params: v.strictObject({ id }), result: returns<void>() },
  /** name: the dataset's name; absent = named by the lab (the folder, the one file that loaded, or a count) */
  importFiles: {
    params: v.strictObject({
      name: v.optional(text(200)),
      folder: v.optional(text(1000)),
      files: v.pipe(
        v.array(v.strictObject({ name: text(1000), content: v.pipe(v.string(), v.maxLength(MAX_REQUEST_BYTES)) })),
        v.minLength(1),
        v.maxLength(100_000),
      ),
    }),
    result: returns<ImportReport>(),
  },
  exportTasks: {
    params: v.strictObject({
      ids: v.optional(v.pipe(v.array(id), v.minLength(1), v.maxLength(100_000))),
      datasetId: v.optional(id),
      format: v.picklist(['per-task', 'combined']),
    }),
    result: returns<{ files: Array<{ name: string; content: string }> }>(),
  },
  listFamilies: { params: None, result: returns<FamilyInfo[]>() },
  /**
   * write tasks as the authors' dataset folder, under the data directory's exports/: a library dataset
   * (datasetId) or library tasks (ids), tasks given with the request (tasks, e.g. an ARC file the CLI
   * read), or a built-in family generated here (family; the family's defaults fill what is not given).
   * Exactly one of the four; `name` names the folder (default: the dataset's or family's name)
   */
  exportAuthorsDataset: {
    params: v.pipe(
      v.strictObject({
        datasetId: v.optional(id),
        ids: v.optional(v.pipe(v.array(id), v.minLength(1), v.maxLength(100_000))),
        tasks: v.optional(v.pipe(v.array(TaskSchema), v.minLength(1), v.maxLength(100_000))),
        family: v.optional(
          v.strictObject({
            id,
            count: v.optional(int(1, 100_000)),
            minSide: v.optional(int(1, MAX_SIDE)),
            maxSide: v.optional(int(1, MAX_SIDE)),
            difficulty: v.optional(int(1, 5)),
            seed: v.optional(SEED),
          }),
        ),
        name: v.optional(text(200)),
        augmentations: v.optional(int(0, 1000)),
        seed: v.optional(SEED),
        translate: v.optional(v.boolean()),
        trainOnTestPairs: v.optional(v.boolean()),
      }),
      v.check(
        (q) => [q.datasetId, q.ids, q.tasks, q.family].filter((x) => x !== undefined).length === 1,
        'give exactly one of datasetId, ids (library tasks), tasks and family',
      ),
    ),
    result: returns<AuthorsDatasetExport>(),
  },
  /** import an authors' dataset folder (a path on the machine running the lab service) into the library */
  importAuthorsDataset: {
    params: v.strictObject({ folder: text(4096), name: v.optional(text(200)) }),
    result: returns<AuthorsDatasetImport>(),
  },
  generateTasks: {
    params: v.strictObject({
      family: id,
      count: int(1, 10_000),
      minSide: int(1, MAX_SIDE),
      maxSide: int(1, MAX_SIDE),
      difficulty: int(1, 5),
      seed: SEED,
      /** add to the library as a dataset; otherwise only preview */
      save: v.boolean(),
    }),
    result: returns<{ tasks: Task[]; datasetId: string | null }>(),
  },

  // --- runs and queue ---
  queueRuns: {
    params: v.strictObject({ configs: v.pipe(v.array(RunConfigSchema), v.minLength(1), v.maxLength(100)), paired: v.optional(v.boolean()) }),
    result: returns<RunSummary[]>(),
  },
  listRuns: { params: None, result: returns<RunSummary[]>() },
  getRun: { params: v.strictObject({ id }), result: returns<RunDetail>() },
  controlRun: { params: v.strictObject({ id, action: v.picklist(['pause', 'resume', 'cancel', 'delete']) }), result: returns<void>() },
  reorderQueue: { params: v.strictObject({ ids: v.pipe(v.array(id), v.maxLength(10_000)) }), result: returns<void>() },
  getMetrics: {
    params: v.strictObject({
      runId: id,
      keys: v.optional(v.pipe(v.array(v.pipe(v.string(), v.maxLength(200))), v.maxLength(200))),
      maxPoints: v.optional(int(2, 1_000_000)),
    }),
    result: returns<MetricSeries[]>(),
  },
  listSnapshots: { params: v.strictObject({ runId: id }), result: returns<number[]>() },
  getSnapshot: { params: v.strictObject({ runId: id, step: int(0, 1e9) }), result: returns<ProbeSnapshot[]>() },
  listCheckpoints: { params: v.strictObject({ runId: id }), result: returns<CheckpointInfo[]>() },
  listEvals: { params: v.strictObject({ runId: id }), result: returns<EvalReport[]>() },
  /**
   * one task of a run's data, by the id its evaluation reports use (ids made unique by the one rule,
   * src-shared/puzzle/unique-ids.ts), fetched by the service from wherever the run took its data
   */
  getRunTask: { params: v.strictObject({ runId: id, taskId: id }), result: returns<Task>() },
  /**
   * write a run for the authors' torchrun pipeline (data, command line, launch scripts) under exports/:
   * a lab run (runId) or a run folder outside the lab (runDir, with its config.json: a path the service may read)
   */
  exportRunForAuthors: {
    params: v.pipe(
      v.strictObject({ runId: v.optional(id), runDir: v.optional(text(4096)), gpus: v.optional(int(1, 1024)), nodes: v.optional(int(1, 4096)) }),
      v.check((q) => (q.runId === undefined) !== (q.runDir === undefined), 'give exactly one of runId (a lab run) and runDir (a run folder)'),
    ),
    result: returns<AuthorsRunExport>(),
  },

  // --- targets and inference ---
  previewTargets: {
    params: v.strictObject({
      task: EditableTaskSchema,
      testIndex: v.optional(int(0, 999)),
      pairIndex: v.optional(int(0, 999)),
      dis: DisSchema,
      Nsup: int(1, 64),
      seed: SEED,
    }),
    result: returns<TargetPreview>(),
  },
  /** a run's checkpoint (runId, its newest or `step`) or a checkpoint folder (checkpointDir, a path the service may read) on one test input */
  infer: {
    params: v.pipe(
      v.strictObject({
        runId: v.optional(id),
        step: v.optional(int(0, 1e9)),
        checkpointDir: v.optional(text(4096)),
        task: EditableTaskSchema,
        testIndex: int(0, 999),
        augmentations: v.optional(int(0, 1000)),
      }),
      v.check((q) => oneCheckpoint(q), ONE_CHECKPOINT),
      v.check((q) => stepOfRun(q), STEP_OF_RUN),
    ),
    result: returns<InferResult>(),
  },
  /** which embedding the task gets on the run's checkpoint (trained / trained-edited / unseen / adapted); cheap, runs nothing */
  classifyTask: { params: v.strictObject({ runId: id, step: v.optional(int(0, 1e9)), task: EditableTaskSchema }), result: returns<TaskClassification>() },
  /**
   * learn puzzle-embedding rows for a task the run never trained on, save them with the checkpoint and
   * solve its test inputs; progress arrives as 'adapt-progress' events carrying requestId
   */
  adapt: {
    params: v.pipe(
      v.strictObject({
      requestId: text(200),
      runId: v.optional(id),
      step: v.optional(int(0, 1e9)),
      checkpointDir: v.optional(text(4096)),
      task: EditableTaskSchema,
      steps: v.optional(int(1, 100_000)),
      optimizer: v.optional(v.picklist(['sign-sgd', 'adam'])),
      mode: v.optional(v.picklist(['embedding', 'embedding+network'])),
      networkSteps: v.optional(int(0, 100_000)),
      lr: v.optional(v.pipe(v.number(), v.finite(), v.gtValue(0))),
      augmentations: v.optional(int(0, 1000)),
      seed: v.optional(SEED),
      force: v.optional(v.boolean()),
      }),
      v.check((q) => oneCheckpoint(q), ONE_CHECKPOINT),
      v.check((q) => stepOfRun(q), STEP_OF_RUN),
    ),
    result: returns<AdaptResult>(),
  },
  /** "why this answer": every augmented version's vote for one test input */
  explainVotes: {
    params: v.strictObject({ runId: id, step: v.optional(int(0, 1e9)), task: EditableTaskSchema, testIndex: int(0, 999), augmentations: int(0, 1000) }),
    result: returns<VoteExplanation>(),
  },

  /**
   * pass@K of a checkpoint on tasks' test pairs, with augmentation voting, in an engine process: the
   * checkpoint is a lab run's (runId, its newest or `step`) or a checkpoint folder (checkpointDir, an
   * absolute path the service may read); the tasks are given (tasks) or an ARC file or folder the
   * service loads (tasksPath, likewise). Exactly one of each pair.
   */
  evaluateCheckpoint: {
    params: v.pipe(
      v.strictObject({
        runId: v.optional(id),
        step: v.optional(int(0, 1e9)),
        checkpointDir: v.optional(text(4096)),
        tasks: v.optional(v.pipe(v.array(TaskSchema), v.minLength(1), v.maxLength(100_000))),
        tasksPath: v.optional(text(4096)),
        augmentations: v.optional(int(0, 1000)),
      }),
      v.check((q) => oneCheckpoint(q), ONE_CHECKPOINT),
      v.check((q) => (q.tasks === undefined) !== (q.tasksPath === undefined), 'give exactly one of tasks (task objects) and tasksPath (an ARC file or folder)'),
      v.check((q) => stepOfRun(q), STEP_OF_RUN),
    ),
    result: returns<EvalReport>(),
  },

  // --- external solvers (Kaggle submission.json) ---
  /** validate and store a submission.json; a bad file is refused with every located problem */
  importSubmission: {
    params: v.strictObject({ name: text(200), file: text(1000), content: v.pipe(v.string(), v.maxLength(MAX_REQUEST_BYTES)) }),
    result: returns<ExternalSolver>(),
  },
  listSolvers: { params: None, result: returns<ExternalSolver[]>() },
  deleteSolver: { params: v.strictObject({ id }), result: returns<void>() },
  /** the official score against a run's tasks (runId) or a library dataset (datasetId): exactly one */
  scoreSolver: {
    params: v.pipe(
      v.strictObject({ id, runId: v.optional(id), datasetId: v.optional(id) }),
      v.check((q) => (q.runId === undefined) !== (q.datasetId === undefined), 'give exactly one of runId (score against a run’s tasks) and datasetId (against a library dataset)'),
    ),
    result: returns<SolverScore>(),
  },

  // --- PyTorch checkpoints (the authors' pretrain.py step_N, or .safetensors) ---
  /**
   * one chunk of a file upload (serve mode has no file paths); the first chunk (offset 0, no uploadId)
   * starts an upload, later ones must continue at `received`; chunks of ≤ UPLOAD_CHUNK_BYTES, base64
   */
  uploadChunk: {
    params: v.strictObject({
      uploadId: v.optional(id),
      name: text(255),
      total: int(1, 64 * 1024 ** 3),
      offset: int(0, 64 * 1024 ** 3),
      data: v.pipe(v.string(), v.maxLength(Math.ceil(UPLOAD_CHUNK_BYTES / 3) * 4), v.regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64')),
    }),
    result: returns<{ uploadId: string; received: number }>(),
  },
  /** drop an upload that will not be imported */
  discardUpload: { params: v.strictObject({ uploadId: id }), result: returns<void>() },
  /** read a checkpoint and say what network it holds and what must still be confirmed; writes nothing */
  inspectCheckpoint: {
    params: v.strictObject({ source: CheckpointSourceSchema, overrides: v.optional(CheckpointOverridesSchema), allConfig: v.optional(AllConfigSchema) }),
    result: returns<CheckpointInspection>(),
  },
  /**
   * import a checkpoint as a completed run; `pair` is the lab data it is shown with (default: the
   * user's own puzzles). Tasks the checkpoint did not train on get a blank puzzle embedding.
   */
  importCheckpoint: {
    params: v.strictObject({
      source: CheckpointSourceSchema,
      overrides: v.optional(CheckpointOverridesSchema),
      allConfig: v.optional(AllConfigSchema),
      name: v.optional(text(200)),
      pair: v.optional(
        v.variant('kind', [
          v.strictObject({ kind: v.literal('dataset'), datasetId: id }),
          v.strictObject({ kind: v.literal('library'), taskIds: v.pipe(v.array(id), v.minLength(1), v.maxLength(100_000)) }),
        ]),
      ),
    }),
    result: returns<RunSummary>(),
  },
  // --- issue 13: run task snapshots, solve mode, comparison studies ---
  /** the run's own snapshot of its tasks (what it trained and evaluated on), in the run's order */
  runTasks: { params: v.strictObject({ runId: id }), result: returns<RunTask[]>() },
  /** the human's tries at every test input of a task (matched by content, not id) */
  humanStatus: { params: v.strictObject({ task: EditableTaskSchema }), result: returns<HumanTestStatus[]>() },
  /** check a human answer to a test input with a known output; at most HUMAN_TRIES per test input */
  submitHumanAttempt: {
    params: v.strictObject({ task: EditableTaskSchema, testIndex: int(0, MAX_PAIRS - 1), grid: GridSchema }),
    result: returns<HumanAttemptResult>(),
  },
  /** human attempts beside the model's (a run's last evaluation, or a study's runs by method): exactly one of runId, studyId */
  humanVsModel: {
    params: v.pipe(
      v.strictObject({ runId: v.optional(id), studyId: v.optional(id) }),
      v.check((q) => (q.runId === undefined) !== (q.studyId === undefined), 'give exactly one of runId (a run) and studyId (a comparison study)'),
    ),
    result: returns<HumanVsModel>(),
  },
  /**
   * queue a comparison study: each config (one per method, same data, budget and backbone) trains
   * with `seeds` seeds (base seed, base+1, …), so every method sees the same seeds
   */
  queueStudy: {
    params: v.strictObject({
      name: v.pipe(v.string(), v.minLength(1), v.maxLength(200)),
      configs: v.pipe(v.array(RunConfigSchema), v.minLength(2), v.maxLength(8)),
      seeds: int(1, 20),
    }),
    result: returns<StudyDetail>(),
  },
  listStudies: { params: None, result: returns<StudySummary[]>() },
  getStudy: { params: v.strictObject({ id }), result: returns<StudyDetail>() },
  deleteStudy: { params: v.strictObject({ id, deleteRuns: v.optional(v.boolean()) }), result: returns<void>() },

  // --- issue 13 (ui): dataset management and the one ETA estimator ---
  /** rename a library dataset; names are unique (a taken name is a conflict) */
  renameDataset: {
    params: v.strictObject({ id, name: v.pipe(v.string(), v.trim(), v.minLength(1, 'must not be empty'), v.maxLength(200)) }),
    result: returns<DatasetSummary>(),
  },
  /** hide a dataset and its tasks; restoreDataset brings it back until undoUntil, then it is purged */
  deleteDataset: { params: v.strictObject({ id }), result: returns<{ undoUntil: string }>() },
  restoreDataset: { params: v.strictObject({ id }), result: returns<DatasetSummary>() },
  /** time until each active run and the whole queue are done, from measured step times */
  queueEta: { params: None, result: returns<QueueEta>() },
} satisfies Record<string, { params: v.GenericSchema; result: unknown }>;

/** A time estimate in seconds from `QueueEta.computedAt`: a range until the step time is measured. */
export interface EtaRange {
  lowSec: number;
  highSec: number;
  /** measured on this run itself (low = high); false while it is a range from other runs or a few steps */
  known: boolean;
}

export interface QueueEta {
  computedAt: string;
  /** every queued, running or paused run; eta null = nothing measured yet to estimate from */
  runs: Array<{ id: string; eta: EtaRange | null; basis: string }>;
  /** when the queue is done (paused runs not counted); null = unknown or nothing queued */
  total: EtaRange | null;
}

export type LabMethod = keyof typeof LAB_API;
/** Every method name at runtime: the preload exposes exactly these, the service validates against them. */
export const LAB_METHODS = Object.keys(LAB_API) as LabMethod[];

type Spec<M extends LabMethod> = (typeof LAB_API)[M];
/** What a client passes to method M (before validation: optional fields with defaults may be left out). */
export type ParamsIn<M extends LabMethod> = v.InferInput<Spec<M>['params']>;
/** What the service's handler of method M receives: the parameters after validation. */
export type ParamsOf<M extends LabMethod> = v.InferOutput<Spec<M>['params']>;
/** What method M resolves to. */
export type ResultOf<M extends LabMethod> = Spec<M>['result'];

/** The API as a client calls it (IPC bridge, WebSocket client, in-process). Every method takes one plain-data argument (or none). */
export type LabApi = {
  [M in LabMethod]: undefined extends ParamsIn<M> ? (q?: ParamsIn<M>) => Promise<ResultOf<M>> : (q: ParamsIn<M>) => Promise<ResultOf<M>>;
};
/** The API as the service implements it: each handler gets its validated parameters (dispatch checks them first). */
export type LabHandlers = {
  [M in LabMethod]: undefined extends ParamsOf<M> ? (q?: ParamsOf<M>) => Promise<ResultOf<M>> : (q: ParamsOf<M>) => Promise<ResultOf<M>>;
};

/** The client side: the API plus event subscription (IPC events in Electron, WebSocket pushes in serve mode). */
export interface LabClient extends LabApi {
  subscribe(listener: (e: LabEvent) => void): () => void;
}
