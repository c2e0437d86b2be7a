// Validation of every command an engine process receives (it trusts nothing across the boundary).
import * as v from 'valibot';
import { BACKEND_CHAIN } from '../../../src-shared/method/doctor';
import { BACKENDS, RunConfigSchema } from '../../../src-shared/method/run-config';
import { TaskSchema } from '../../../src-shared/puzzle/schema';
import type { HostCommand } from './messages';

const Task = TaskSchema;

/** A checkpoint, a task and one of its test inputs: what infer and explain-votes both take. */
const TestInputRequest = v.object({
  checkpointDir: v.pipe(v.string(), v.minLength(1)),
  task: Task,
  testIndex: v.pipe(v.number(), v.integer(), v.minValue(0)),
  augmentations: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(1000)),
});

export const HostCommandSchema = v.variant('type', [
  v.object({
    type: v.literal('train'),
    job: v.object({
      runId: v.string(),
      config: RunConfigSchema,
      tasks: v.pipe(v.array(Task), v.minLength(1)),
      runDir: v.pipe(v.string(), v.minLength(1)),
      resume: v.boolean(),
    }),
  }),
  v.object({
    type: v.literal('infer'),
    requestId: v.string(),
    request: TestInputRequest,
  }),
  v.object({
    type: v.literal('adapt'),
    requestId: v.string(),
    request: v.object({
      checkpointDir: v.pipe(v.string(), v.minLength(1)),
      task: Task,
      steps: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(100_000))),
      optimizer: v.optional(v.picklist(['sign-sgd', 'adam'])),
      mode: v.optional(v.picklist(['embedding', 'embedding+network'])),
      networkSteps: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(100_000))),
      lr: v.optional(v.pipe(v.number(), v.minValue(0), v.maxValue(10))),
      batchSize: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(4096))),
      augmentations: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(1000))),
      seed: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0))),
      force: v.optional(v.boolean()),
    }),
  }),
  v.object({ type: v.literal('classify'), requestId: v.string(), checkpointDir: v.pipe(v.string(), v.minLength(1)), task: Task }),
  v.object({
    type: v.literal('explain-votes'),
    requestId: v.string(),
    request: TestInputRequest,
  }),
  v.object({
    type: v.literal('evaluate'),
    requestId: v.string(),
    checkpointDir: v.pipe(v.string(), v.minLength(1)),
    tasks: v.pipe(v.array(Task), v.minLength(1)),
    augmentations: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(1000)),
  }),
  v.object({ type: v.literal('stop'), reason: v.picklist(['cancel', 'pause']) }),
  v.object({ type: v.literal('probe'), backend: v.picklist(BACKENDS) }),
  v.object({ type: v.literal('doctor'), backend: v.picklist(BACKEND_CHAIN), measure: v.boolean() }),
]);

export function parseHostCommand(input: unknown): { ok: true; command: HostCommand } | { ok: false; message: string } {
  const r = v.safeParse(HostCommandSchema, input);
  if (r.success) return { ok: true, command: r.output as HostCommand };
  const issue = r.issues[0];
  const where = issue?.path?.map((p) => String(p.key)).join('.') ?? '(root)';
  return { ok: false, message: `invalid engine command at ${where}: ${issue?.message ?? 'unknown error'}` };
}
