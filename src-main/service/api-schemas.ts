// Runtime validation of every API request's parameters (types erase at runtime; a compromised
// renderer or a stray WebSocket client can send anything). One schema per LabApi method; a failure
// is a 'bad-request' that names the field path.
import * as v from 'valibot';
import { LAB_METHODS, UPLOAD_CHUNK_BYTES, type LabApi, type LabMethod } from '../../src-shared/api/contract';
import { MAX_REQUEST_BYTES } from '../../src-shared/api/wire';
import { DisSchema, RunConfigSchema } from '../../src-shared/method/run-config';
import { idProblem, MAX_ID_LENGTH } from '../../src-shared/puzzle/ids';
import { MAX_PAIRS, MAX_SIDE, NUM_COLOURS } from '../../src-shared/puzzle/types';
import { badRequest } from './errors';

const int = (min: number, max: number) => v.pipe(v.number(), v.integer(), v.minValue(min), v.maxValue(max));
/** Every id a request carries follows the lab's one id rule (src-shared/puzzle/ids.ts). */
const id = v.pipe(
  v.string(),
  v.maxLength(200),
  v.check((s) => idProblem(s) === null, (issue) => `id ${idProblem(String(issue.input)) ?? 'is not usable'}`),
);
const SEED = int(0, 2 ** 31 - 1);

const Row = v.pipe(v.array(int(0, NUM_COLOURS - 1)), v.minLength(1), v.maxLength(MAX_SIDE));
export const GridSchema = v.pipe(
  v.array(Row),
  v.minLength(1),
  v.maxLength(MAX_SIDE),
  v.check((g) => g.every((r) => r.length === g[0]?.length), 'all rows of a grid must have the same length'),
);
export const TaskSchema = v.strictObject({
  // '' is a draft that was never named (the playground's scratch task); any other id follows the rule.
  id: v.pipe(
    v.string(),
    v.maxLength(MAX_ID_LENGTH),
    v.check((s) => s === '' || idProblem(s) === null, (issue) => `task id ${idProblem(String(issue.input)) ?? 'is not usable'}`),
  ),
  train: v.pipe(v.array(v.strictObject({ input: GridSchema, output: GridSchema })), v.maxLength(MAX_PAIRS)),
  test: v.pipe(v.array(v.strictObject({ input: GridSchema, output: v.optional(GridSchema) })), v.maxLength(MAX_PAIRS)),
});

const CheckpointSourceSchema = v.variant('kind', [
  v.strictObject({ kind: v.literal('path'), path: v.pipe(v.string(), v.minLength(1), v.maxLength(4096)) }),
  v.strictObject({ kind: v.literal('upload'), uploadId: id }),
]);
const OverridesSchema = v.strictObject({
  method: v.optional(v.picklist(['trm', 'dis'])),
  T: v.optional(int(1, 16)),
  n: v.optional(int(1, 32)),
  Nsup: v.optional(int(1, 64)),
  heads: v.optional(int(1, 32)),
  puzzleEmbLen: v.optional(int(0, 64)),
  canvas: v.optional(int(2, 30)),
  side: v.optional(int(1, 30)),
  posEncodings: v.optional(v.picklist(['rope', 'learned', 'none'])),
});
const AllConfigSchema = v.pipe(v.string(), v.maxLength(1_000_000));

const None = v.optional(v.union([v.undefined(), v.null(), v.strictObject({})]));

export const PARAM_SCHEMAS = {
  systemInfo: None,
  gpuDoctor: v.strictObject({ measure: v.boolean(), refresh: v.optional(v.boolean()) }),
  listDatasets: None,
  listTasks: v.strictObject({
    datasetId: v.optional(id),
    search: v.optional(v.pipe(v.string(), v.maxLength(200))),
    tag: v.optional(v.pipe(v.string(), v.maxLength(200))),
    offset: v.optional(int(0, 10_000_000)),
    limit: v.optional(int(1, 10_000)),
  }),
  getTask: v.strictObject({ id }),
  saveTask: v.strictObject({
    id: v.optional(id),
    task: TaskSchema,
    datasetId: v.optional(id),
    tags: v.optional(v.pipe(v.array(v.pipe(v.string(), v.minLength(1), v.maxLength(100))), v.maxLength(100))),
    overwriteOriginal: v.optional(v.boolean()),
  }),
  deleteTask: v.strictObject({ id }),
  importFiles: v.strictObject({
    name: v.pipe(v.string(), v.minLength(1), v.maxLength(200)),
    files: v.pipe(
      v.array(v.strictObject({ name: v.pipe(v.string(), v.minLength(1), v.maxLength(1000)), content: v.pipe(v.string(), v.maxLength(MAX_REQUEST_BYTES)) })),
      v.minLength(1),
      v.maxLength(100_000),
    ),
  }),
  exportTasks: v.strictObject({
    ids: v.optional(v.pipe(v.array(id), v.minLength(1), v.maxLength(100_000))),
    datasetId: v.optional(id),
    format: v.picklist(['per-task', 'combined']),
  }),
  listFamilies: None,
  exportAuthorsDataset: v.strictObject({
    datasetId: v.optional(id),
    ids: v.optional(v.pipe(v.array(id), v.minLength(1), v.maxLength(100_000))),
    augmentations: v.optional(int(0, 1000)),
    seed: v.optional(SEED),
    translate: v.optional(v.boolean()),
    trainOnTestPairs: v.optional(v.boolean()),
  }),
  importAuthorsDataset: v.strictObject({
    folder: v.pipe(v.string(), v.minLength(1), v.maxLength(4096)),
    name: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(200))),
  }),
  generateTasks: v.strictObject({
    family: id,
    count: int(1, 10_000),
    minSide: int(1, MAX_SIDE),
    maxSide: int(1, MAX_SIDE),
    difficulty: int(1, 5),
    seed: SEED,
    save: v.boolean(),
  }),
  queueRuns: v.strictObject({
    configs: v.pipe(v.array(RunConfigSchema), v.minLength(1), v.maxLength(100)),
    paired: v.optional(v.boolean()),
  }),
  listRuns: None,
  getRun: v.strictObject({ id }),
  controlRun: v.strictObject({ id, action: v.picklist(['pause', 'resume', 'cancel', 'delete']) }),
  reorderQueue: v.strictObject({ ids: v.pipe(v.array(id), v.maxLength(10_000)) }),
  getMetrics: v.strictObject({
    runId: id,
    keys: v.optional(v.pipe(v.array(v.pipe(v.string(), v.maxLength(200))), v.maxLength(200))),
    maxPoints: v.optional(int(2, 1_000_000)),
  }),
  listSnapshots: v.strictObject({ runId: id }),
  getSnapshot: v.strictObject({ runId: id, step: int(0, 1e9) }),
  listCheckpoints: v.strictObject({ runId: id }),
  listEvals: v.strictObject({ runId: id }),
  exportRunForAuthors: v.strictObject({ runId: id, gpus: v.optional(int(1, 1024)), nodes: v.optional(int(1, 4096)) }),
  previewTargets: v.strictObject({
    task: TaskSchema,
    testIndex: v.optional(int(0, 999)),
    pairIndex: v.optional(int(0, 999)),
    dis: DisSchema,
    Nsup: int(1, 64),
    seed: SEED,
  }),
  infer: v.strictObject({
    runId: id,
    step: v.optional(int(0, 1e9)),
    task: TaskSchema,
    testIndex: int(0, 999),
    augmentations: v.optional(int(0, 1000)),
  }),
  classifyTask: v.strictObject({ runId: id, step: v.optional(int(0, 1e9)), task: TaskSchema }),
  adapt: v.strictObject({
    requestId: v.pipe(v.string(), v.minLength(1), v.maxLength(200)),
    runId: id,
    step: v.optional(int(0, 1e9)),
    task: TaskSchema,
    steps: v.optional(int(1, 100_000)),
    optimizer: v.optional(v.picklist(['sign-sgd', 'adam'])),
    mode: v.optional(v.picklist(['embedding', 'embedding+network'])),
    networkSteps: v.optional(int(0, 100_000)),
    augmentations: v.optional(int(0, 1000)),
    force: v.optional(v.boolean()),
  }),
  explainVotes: v.strictObject({ runId: id, step: v.optional(int(0, 1e9)), task: TaskSchema, testIndex: int(0, 999), augmentations: int(0, 1000) }),
  importSubmission: v.strictObject({
    name: v.pipe(v.string(), v.minLength(1), v.maxLength(200)),
    file: v.pipe(v.string(), v.minLength(1), v.maxLength(1000)),
    content: v.pipe(v.string(), v.maxLength(MAX_REQUEST_BYTES)),
  }),
  listSolvers: None,
  deleteSolver: v.strictObject({ id }),
  scoreSolver: v.pipe(
    v.strictObject({ id, runId: v.optional(id), datasetId: v.optional(id) }),
    v.check((q) => (q.runId === undefined) !== (q.datasetId === undefined), 'give exactly one of runId (score against a run’s tasks) and datasetId (against a library dataset)'),
  ),
  uploadChunk: v.strictObject({
    uploadId: v.optional(id),
    name: v.pipe(v.string(), v.minLength(1), v.maxLength(255)),
    total: int(1, 64 * 1024 ** 3),
    offset: int(0, 64 * 1024 ** 3),
    // base64 of at most UPLOAD_CHUNK_BYTES
    data: v.pipe(v.string(), v.maxLength(Math.ceil(UPLOAD_CHUNK_BYTES / 3) * 4), v.regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64')),
  }),
  discardUpload: v.strictObject({ uploadId: id }),
  inspectCheckpoint: v.strictObject({ source: CheckpointSourceSchema, overrides: v.optional(OverridesSchema), allConfig: v.optional(AllConfigSchema) }),
  importCheckpoint: v.strictObject({
    source: CheckpointSourceSchema,
    overrides: v.optional(OverridesSchema),
    allConfig: v.optional(AllConfigSchema),
    name: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(200))),
    pair: v.optional(
      v.variant('kind', [
        v.strictObject({ kind: v.literal('dataset'), datasetId: id }),
        v.strictObject({ kind: v.literal('library'), taskIds: v.pipe(v.array(id), v.minLength(1), v.maxLength(100_000)) }),
      ]),
    ),
  }),
} satisfies Record<LabMethod, v.GenericSchema>;

const METHOD_SET: ReadonlySet<string> = new Set(LAB_METHODS);

export function isLabMethod(m: unknown): m is LabMethod {
  return typeof m === 'string' && METHOD_SET.has(m);
}

function issuePath(issue: v.BaseIssue<unknown>): string {
  let out = 'params';
  for (const p of issue.path ?? []) {
    const key = p.key;
    out += typeof key === 'number' ? `[${key}]` : `.${String(key)}`;
  }
  return out;
}

export type ParamsOf<M extends LabMethod> = Parameters<LabApi[M]>[0];

/** Checks `method` is an API method and `params` fits its schema; throws 'bad-request' otherwise. */
export function parseParams<M extends LabMethod>(method: M, params: unknown): ParamsOf<M> {
  const schema = PARAM_SCHEMAS[method] as v.GenericSchema;
  const r = v.safeParse(schema, params);
  if (!r.success) {
    const issue = r.issues[0];
    const where = issue === undefined ? 'params' : issuePath(issue);
    throw badRequest(`${method}: ${where}: ${issue?.message ?? 'invalid'}`);
  }
  return r.output as ParamsOf<M>;
}

/**
 * Rough size of a structured value (JSON characters), stopping as soon as it passes `limit`, so an
 * oversized IPC payload is refused without walking all of it.
 */
export function exceedsSize(value: unknown, limit: number): boolean {
  let size = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const x = stack.pop();
    if (typeof x === 'string') size += x.length + 2;
    else if (Array.isArray(x)) {
      size += 2 + x.length;
      for (const e of x) stack.push(e);
    } else if (typeof x === 'object' && x !== null) {
      for (const [k, e] of Object.entries(x)) {
        size += k.length + 4;
        stack.push(e);
      }
    } else size += 8;
    if (size > limit) return true;
  }
  return false;
}
