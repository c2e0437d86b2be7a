// THE runtime schema of a grid and a task, used wherever one crosses a process boundary: API
// requests (src-shared/api/contract.ts), commands to an engine process and what an engine process
// sends back. The types in types.ts describe the same shape; these check it.
import * as v from 'valibot';
import { idProblem, MAX_ID_LENGTH } from './ids';
import { MAX_PAIRS, MAX_SIDE, NUM_COLOURS, type TestPair } from './types';

const colour = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(NUM_COLOURS - 1));
const Row = v.pipe(v.array(colour), v.minLength(1), v.maxLength(MAX_SIDE));

/** 1..30 rows of 1..30 colours 0..9, all rows the same length. */
export const GridSchema = v.pipe(
  v.array(Row),
  v.minLength(1),
  v.maxLength(MAX_SIDE),
  v.check((g) => g.every((r) => r.length === g[0]?.length), 'all rows of a grid must have the same length'),
);

/**
 * A model's answer grid (what an engine process sends back): a grid as above, or empty, the 0×0
 * crop of a prediction whose first cell is already an end marker.
 */
export const AnswerGridSchema = v.pipe(
  v.array(v.pipe(v.array(colour), v.maxLength(MAX_SIDE))),
  v.maxLength(MAX_SIDE),
  v.check((g) => g.every((r) => r.length === g[0]?.length), 'all rows of a grid must have the same length'),
);

/** A test pair; an absent output (or, over IPC, an explicit undefined) is an unknown answer. */
const TestPairSchema = v.pipe(
  v.strictObject({ input: GridSchema, output: v.optional(GridSchema) }),
  // no `output: undefined` key in the result: Task's type says the key is absent when unknown
  v.transform(({ input, output }): TestPair => (output === undefined ? { input } : { input, output })),
);

/**
 * A task. Its id follows the lab's one id rule, except '' (a draft never named: the playground's
 * scratch task). The pair count is not capped here: generated N-Queens/Sudoku training sets are one
 * task with thousands of pairs; what a user edits is capped by EditableTaskSchema.
 */
export const TaskSchema = v.strictObject({
  id: v.pipe(
    v.string(),
    v.maxLength(MAX_ID_LENGTH),
    v.check((s) => s === '' || idProblem(s) === null, (issue) => `task id ${idProblem(String(issue.input)) ?? 'is not usable'}`),
  ),
  train: v.array(v.strictObject({ input: GridSchema, output: GridSchema })),
  test: v.array(TestPairSchema),
});

/** A task a user saves, previews or solves in the UI: at most MAX_PAIRS pairs of each kind. */
export const EditableTaskSchema = v.strictObject({
  ...TaskSchema.entries,
  train: v.pipe(TaskSchema.entries.train, v.maxLength(MAX_PAIRS)),
  test: v.pipe(TaskSchema.entries.test, v.maxLength(MAX_PAIRS)),
});
