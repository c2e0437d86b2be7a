// Validation of everything an engine process sends to the service. An engine process runs native
// code and user data; a message that does not fit is reported as a protocol error, never trusted.
import * as v from 'valibot';
import { AnswerGridSchema } from '../../../src-shared/puzzle/schema';
import { METHODS } from '../../../src-shared/method/methods';
import type { EngineMessage } from './messages';

// Metric values may be NaN/±Inf (a diverging run); structured clone carries them as numbers.
const anyNumber = v.custom<number>((x) => typeof x === 'number', 'expected a number (NaN allowed)');
const finite = v.number();
const count = v.pipe(v.number(), v.integer(), v.minValue(0));
// answers may be the empty 0×0 crop
const Grid = AnswerGridSchema;
const nums = v.array(anyNumber);

const Adapter = v.object({ vendor: v.string(), architecture: v.string(), device: v.string(), description: v.string(), software: v.boolean() });
const DoctorEntry = v.object({
  backend: v.picklist(['tensorflow-gpu', 'webgpu', 'tensorflow', 'wasm', 'cpu']),
  available: v.boolean(),
  detail: v.string(),
  fix: v.nullable(v.string()),
  usableByAuto: v.boolean(),
  adapter: v.optional(Adapter),
  measurement: v.nullable(v.object({ matmulShape: v.string(), matmulGflops: finite, stepMs: finite, step: v.string() })),
  measureError: v.optional(v.string()),
});
const BackendInfo = v.object({
  name: v.picklist(['tensorflow-gpu', 'webgpu', 'tensorflow', 'wasm', 'cpu']),
  device: v.string(),
  versions: v.record(v.string(), v.string()),
  notes: v.array(v.string()),
  adapter: v.optional(Adapter),
  execution: v.optional(
    v.object({ threads: count, workers: count, microBatches: count, microBatchRows: count, estimatedStepBytes: finite, summary: v.string() }),
  ),
});
const Calls = v.object({ grad: count, noGrad: count });
const TaskEval = v.object({
  taskId: v.string(),
  testIndex: count,
  top: v.array(Grid),
  votes: v.array(finite),
  passAt1: v.boolean(),
  passAt2: v.boolean(),
});
const PerStep = v.array(
  v.object({
    step: count,
    tokenAccuracy: anyNumber,
    exactAccuracy: anyNumber,
    advantageMargin: anyNumber,
    validity: v.optional(anyNumber),
  }),
);
const EvalReport = v.object({
  step: count,
  passAt1: anyNumber,
  passAt2: anyNumber,
  passAtK: v.record(v.string(), anyNumber),
  perStep: PerStep,
  tasks: v.array(TaskEval),
  callsPerExample: anyNumber,
  weights: v.optional(v.picklist(['ema', 'live'])),
  live: v.optional(v.object({ passAt1: anyNumber, passAt2: anyNumber, passAtK: v.record(v.string(), anyNumber), perStep: PerStep })),
});
const Encoding = v.picklist(['arc', 'nqueens', 'sudoku']);
const Probe = v.object({
  probe: count,
  taskId: v.string(),
  testIndex: count,
  encoding: Encoding,
  side: count,
  input: nums,
  label: nums,
  steps: v.array(
    v.object({ tokens: nums, confidence: nums, target: v.optional(nums), qHalt: v.optional(anyNumber), qContinue: v.optional(anyNumber) }),
  ),
});
const Embedding = v.picklist(['trained', 'trained-edited', 'unseen', 'adapted']);
const AdaptationInfo = v.object({
  dir: v.string(),
  checkpointStep: count,
  fingerprint: v.string(),
  mode: v.picklist(['embedding', 'embedding+network']),
  optimizer: v.picklist(['sign-sgd', 'adam']),
  steps: count,
  networkSteps: count,
  versions: count,
  demoExact: anyNumber,
  createdAt: v.string(),
});
const VoteExplanation = v.object({
  taskId: v.string(),
  testIndex: count,
  method: v.picklist(METHODS),
  rankBy: v.picklist(['count-then-q', 'count-then-first']),
  versions: v.array(
    v.object({ name: v.string(), dihedral: count, colours: v.array(finite), candidate: v.pipe(v.number(), v.integer(), v.minValue(-1)), q: v.optional(anyNumber) }),
  ),
  candidates: v.array(
    v.object({
      rank: count,
      grid: Grid,
      count,
      meanQ: v.optional(anyNumber),
      versions: v.array(v.string()),
      correct: v.optional(v.boolean()),
    }),
  ),
  noGrid: v.array(v.string()),
  expected: v.optional(Grid),
  passAt1: v.nullable(v.boolean()),
  passAt2: v.nullable(v.boolean()),
});
const InferResult = v.object({
  encoding: Encoding,
  side: count,
  vocab: count,
  input: nums,
  label: v.optional(nums),
  steps: v.array(v.object({ lu: nums, lc: nums, tokens: nums, confidence: nums, qHalt: v.optional(anyNumber), qContinue: v.optional(anyNumber) })),
  embedding: Embedding,
  votes: v.optional(TaskEval),
  explanation: v.optional(VoteExplanation),
  adaptation: v.optional(AdaptationInfo),
  calls: Calls,
  ms: anyNumber,
});
const AdaptResult = v.object({
  taskId: v.string(),
  reused: v.boolean(),
  adaptation: AdaptationInfo,
  losses: nums,
  tests: v.array(v.object({ result: TaskEval, explanation: VoteExplanation })),
  passAt1: v.nullable(anyNumber),
  passAt2: v.nullable(anyNumber),
  ms: anyNumber,
});
const TaskClassification = v.object({
  embedding: Embedding,
  trainedTaskId: v.nullable(v.string()),
  editedTests: v.array(count),
  sharedEmbedding: v.boolean(),
  adaptation: v.nullable(AdaptationInfo),
  fingerprint: v.string(),
  message: v.string(),
});

export const EngineMessageSchema = v.variant('type', [
  v.object({
    type: v.literal('started'),
    backend: BackendInfo,
    trainableParams: count,
    puzzleRows: count,
    startStep: count,
    totalSteps: count,
  }),
  v.object({
    type: v.literal('progress'),
    step: count,
    totalSteps: count,
    trajectories: count,
    examplesPerSec: anyNumber,
    etaSec: anyNumber,
    wallSec: anyNumber,
    metrics: v.record(v.string(), anyNumber),
    calls: Calls,
  }),
  v.object({ type: v.literal('eval'), report: EvalReport }),
  v.object({ type: v.literal('snapshot'), step: count, probes: v.array(Probe) }),
  v.object({ type: v.literal('checkpoint'), step: count, path: v.string(), sha256: v.string() }),
  v.object({ type: v.literal('log'), level: v.picklist(['info', 'warn', 'error']), message: v.string() }),
  v.object({
    type: v.literal('finished'),
    status: v.picklist(['completed', 'cancelled', 'paused', 'diverged', 'failed']),
    step: count,
    error: v.optional(v.string()),
  }),
  v.object({ type: v.literal('ready'), pid: count }),
  v.object({ type: v.literal('infer-result'), requestId: v.string(), result: InferResult }),
  v.object({ type: v.literal('adapt-progress'), requestId: v.string(), progress: v.object({ step: count, total: count, loss: anyNumber }) }),
  v.object({ type: v.literal('adapt-result'), requestId: v.string(), result: AdaptResult }),
  v.object({ type: v.literal('classify-result'), requestId: v.string(), result: TaskClassification }),
  v.object({ type: v.literal('explain-result'), requestId: v.string(), result: VoteExplanation }),
  v.object({ type: v.literal('evaluate-result'), requestId: v.string(), result: EvalReport }),
  v.object({ type: v.literal('request-error'), requestId: v.string(), message: v.string() }),
  v.object({ type: v.literal('probe-result'), backend: BackendInfo }),
  v.object({ type: v.literal('probe-error'), message: v.string() }),
  v.object({ type: v.literal('doctor-result'), entry: DoctorEntry }),
  v.object({ type: v.literal('rejected'), message: v.string() }),
]);

export function parseEngineMessage(input: unknown): { ok: true; message: EngineMessage } | { ok: false; error: string } {
  const r = v.safeParse(EngineMessageSchema, input);
  if (r.success) return { ok: true, message: r.output as EngineMessage };
  const issue = r.issues[0];
  const where = issue?.path?.map((p) => String(p.key)).join('.') ?? '(root)';
  const type = typeof input === 'object' && input !== null && 'type' in input ? String((input as { type: unknown }).type) : '?';
  return { ok: false, error: `engine sent an invalid '${type}' message at ${where}: ${issue?.message ?? 'unknown error'}` };
}
