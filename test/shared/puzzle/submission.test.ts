import fc from 'fast-check';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { scoreVotes, VoteBook } from '../../../src-shared/method/voting';
import {
  parseSolutions,
  parseSubmission,
  PLACEHOLDER_GRID,
  reportFromSubmission,
  scoreSubmission,
  SubmissionError,
  submissionFromEval,
  validateSubmission,
  writeSubmission,
  type Submission,
} from '../../../src-shared/puzzle/submission';
import type { Grid } from '../../../src-shared/puzzle/types';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const ARC_DIR = path.resolve(repoRoot, '../shared/arc');
const HAVE_ARC = existsSync(path.join(ARC_DIR, 'arc-agi_evaluation_solutions.json'));

/** The messages of the SubmissionError `f` throws. */
function problemsOf(f: () => unknown): string[] {
  try {
    f();
  } catch (e) {
    if (e instanceof SubmissionError) return e.problems.map((p) => p.message);
    throw e;
  }
  throw new Error('expected a SubmissionError');
}

const A: Grid = [[1, 2]];
const B: Grid = [[3]];
const C: Grid = [[4, 4], [4, 4]];

describe('reading a submission', () => {
  it('accepts the Kaggle layout and reads it back as written', () => {
    const sub: Submission = { t1: [{ attempt_1: A, attempt_2: B }], t2: [{ attempt_1: C, attempt_2: C }, { attempt_1: B, attempt_2: A }] };
    expect(parseSubmission(writeSubmission(sub))).toEqual(sub);
  });

  it('locates every defect by task, test index and attempt, and cell', () => {
    const messages = problemsOf(() =>
      validateSubmission(
        {
          t1: [{ attempt_1: A }],
          t2: [{ attempt_1: A, attempt_2: B, attempt_3: C }],
          t3: [{ attempt_1: [[1, 12]], attempt_2: B }],
          t4: [{ attempt_1: A, attempt_2: Array.from({ length: 31 }, () => [0]) }],
          t5: { attempt_1: A },
          t6: [],
          t7: [{ attempt_1: A, attempt_2: B }, 'nope'],
        },
        'sub.json',
      ),
    );
    expect(messages).toEqual([
      'sub.json › task t1 › test[0].attempt_2: missing; every entry needs "attempt_1" and "attempt_2" (repeat the first when there is only one answer)',
      'sub.json › task t2 › test[0]: unexpected key "attempt_3"; an entry holds exactly "attempt_1" and "attempt_2"',
      'sub.json › task t3 › test[0].attempt_1 › cell (0,1): colour 12 is outside 0..9',
      'sub.json › task t4 › test[0].attempt_2: grid has 31 rows, more than the maximum of 30',
      'sub.json › task t5: must be a list with one {"attempt_1", "attempt_2"} entry per test input, got an object',
      'sub.json › task t6: has no entries; it needs one per test input',
      'sub.json › task t7 › test[1]: entry must be an object {"attempt_1": grid, "attempt_2": grid}, got the string "nope"',
    ]);
  });

  it('says what is wrong with a file that is not a submission at all', () => {
    expect(problemsOf(() => parseSubmission('', 'a.json'))).toEqual(['a.json: file is empty; expected JSON']);
    expect(problemsOf(() => parseSubmission('{"t": [', 'a.json'))[0]).toMatch(/^a\.json: not valid JSON/);
    expect(problemsOf(() => parseSubmission('[1]', 'a.json'))[0]).toMatch(/^a\.json: a submission must be a JSON object/);
    expect(problemsOf(() => parseSubmission('{}', 'a.json'))).toEqual(['a.json: the submission holds no tasks']);
  });
});

describe('the official score', () => {
  const solutions = { t1: [A], t2: [C, B], t3: [B] };

  it('is the mean over tasks of the fraction of test inputs either attempt solves', () => {
    const sub: Submission = {
      t1: [{ attempt_1: B, attempt_2: A }], // solved by attempt 2
      t2: [{ attempt_1: C, attempt_2: C }, { attempt_1: A, attempt_2: C }], // half
      t3: [{ attempt_1: A, attempt_2: C }], // wrong
    };
    const s = scoreSubmission(sub, solutions);
    expect(s.score).toBeCloseTo((1 + 0.5 + 0) / 3, 12);
    expect(s.attempt1Score).toBeCloseTo((0 + 0.5 + 0) / 3, 12);
    expect(s.missing).toEqual([]);
    expect(s.solvedTests).toBe(2);
    expect(s.totalTests).toBe(4);
    expect(s.tasks.map((t) => [t.taskId, t.score])).toEqual([['t1', 1], ['t2', 0.5], ['t3', 0]]);
    expect(s.tasks[0]!.tests[0]).toEqual({ testIndex: 0, attempt1: false, attempt2: true, solved: true });
  });

  it('treats task ids such as "__proto__" and "constructor" as ordinary keys', () => {
    const sub = parseSubmission('{"__proto__": [{"attempt_1": [[1, 2]], "attempt_2": [[3]]}]}');
    expect(Object.keys(sub)).toEqual(['__proto__']);
    const s = scoreSubmission(sub, parseSolutions('{"__proto__": [[[3]]], "constructor": [[[1]]]}'));
    expect(s.missing).toEqual(['constructor']);
    expect(s.score).toBe(0.5);
  });

  it('names the tasks a submission lacks instead of silently counting them wrong', () => {
    const s = scoreSubmission({ t1: [{ attempt_1: A, attempt_2: A }] }, solutions);
    expect(s.missing).toEqual(['t2', 't3']);
    expect(s.score).toBeCloseTo(1 / 3, 12);
    expect(s.submittedScore).toBe(1);
    expect(s.tasks.find((t) => t.taskId === 't2')).toMatchObject({ missing: true, score: 0 });
  });

  it('refuses the wrong number of entries and tasks the solutions do not hold, with their location', () => {
    const sub: Submission = {
      t1: [{ attempt_1: A, attempt_2: A }, { attempt_1: A, attempt_2: A }],
      t2: [{ attempt_1: C, attempt_2: C }],
      zz: [{ attempt_1: A, attempt_2: A }],
    };
    expect(problemsOf(() => scoreSubmission(sub, solutions, { solutionsFile: 'sol.json' }))).toEqual([
      'submission.json › task zz: task is not in sol.json; remove it or score against the file that holds it',
      'submission.json › task t1 › test[1]: has 2 entries but the task has 1 test input; a submission needs exactly one entry per test input',
      'submission.json › task t2: has 1 entry but the task has 2 test inputs; a submission needs exactly one entry per test input',
    ]);
    const { t1: _t1, ...rest } = sub;
    const s = scoreSubmission({ ...rest, t2: [...sub.t2!, { attempt_1: B, attempt_2: B }] }, solutions, { extraTasks: 'ignore' });
    expect(s.ignored).toEqual(['zz']);
    expect(s.missing).toEqual(['t1', 't3']);
  });

  it('turns into an evaluation report the run views can show beside a run', () => {
    const sub: Submission = { t1: [{ attempt_1: B, attempt_2: A }], t3: [{ attempt_1: B, attempt_2: C }] };
    const s = scoreSubmission(sub, solutions);
    const r = reportFromSubmission(sub, s);
    expect(r.tasks).toEqual([
      { taskId: 't1', testIndex: 0, top: [B, A], votes: [], passAt1: false, passAt2: true },
      { taskId: 't3', testIndex: 0, top: [B, C], votes: [], passAt1: true, passAt2: true },
    ]);
    expect(r.passAt2).toBeCloseTo(2 / 3, 12);
    expect(r.perStep).toEqual([]);
  });
});

describe('exporting an evaluation', () => {
  it('writes the top two voted answers, repeats the first when there is one, and marks a placeholder where there is none', () => {
    const { submission, placeholders } = submissionFromEval([
      { taskId: 't', testIndex: 1, top: [B], votes: [4], passAt1: false, passAt2: false },
      { taskId: 't', testIndex: 0, top: [A, C], votes: [3, 2], passAt1: true, passAt2: true },
      { taskId: 'u', testIndex: 0, top: [], votes: [], passAt1: false, passAt2: false },
      { taskId: 'v', testIndex: 0, top: [[], B], votes: [5, 1], passAt1: false, passAt2: true },
    ]);
    expect(submission).toEqual({
      t: [{ attempt_1: A, attempt_2: C }, { attempt_1: B, attempt_2: B }],
      u: [{ attempt_1: PLACEHOLDER_GRID, attempt_2: PLACEHOLDER_GRID }],
      v: [{ attempt_1: PLACEHOLDER_GRID, attempt_2: B }],
    });
    expect(placeholders).toEqual([
      { taskId: 'u', testIndex: 0, why: 'no-answer' },
      { taskId: 'v', testIndex: 0, why: 'empty-crop' },
    ]);
    expect(() => validateSubmission(submission)).not.toThrow();
  });

  it('refuses an evaluation that skipped a test input', () => {
    expect(() => submissionFromEval([{ taskId: 't', testIndex: 1, top: [A], votes: [1], passAt1: false, passAt2: false }])).toThrow(/task t has test 1 where test 0 belongs/);
  });

  it('scores exactly the lab’s pass@2 (and pass@1) on the same predictions', () => {
    const grid = fc.constantFrom<Grid>(A, B, C, [[5]], [[6, 6, 6]]);
    // a prediction is a grid, an empty crop (a 0×0 candidate, as the authors count it) or no grid at all
    const predicted = fc.oneof(grid, fc.constant<Grid>([]), fc.constant(null));
    const prediction = fc.record({ task: fc.integer({ min: 0, max: 3 }), test: fc.integer({ min: 0, max: 1 }), grid: predicted, q: fc.double({ min: 0, max: 1, noNaN: true }) });
    fc.assert(
      fc.property(fc.array(prediction, { maxLength: 40 }), fc.array(grid, { minLength: 8, maxLength: 8 }), fc.constantFrom('count-then-q' as const, 'count-then-first' as const), (preds, truths, rankBy) => {
        // tasks 0 and 2 have two test inputs, tasks 1 and 3 one
        const tests = [0, 1, 2, 3].flatMap((task) => (task % 2 === 0 ? [0, 1] : [0]).map((testIndex) => ({ taskId: `task${task}`, testIndex, input: A, output: truths[task * 2 + testIndex]! })));
        const book = new VoteBook();
        for (const p of preds) if (p.test === 0 || p.task % 2 === 0) book.add(`task${p.task}`, p.test, p.grid, p.q);
        const lab = scoreVotes(book, tests, rankBy);
        const { submission } = submissionFromEval(lab.tasks);
        const solutions: Record<string, Grid[]> = {};
        for (const t of tests) solutions[t.taskId] = [...(solutions[t.taskId] ?? []), t.output];
        const official = scoreSubmission(parseSubmission(writeSubmission(submission)), solutions);
        expect(official.missing).toEqual([]);
        expect(official.score).toBeCloseTo(lab.passAt2, 12);
        expect(official.attempt1Score).toBeCloseTo(lab.passAt1, 12);
      }),
      { numRuns: 200 },
    );
  });
});

describe.skipIf(!HAVE_ARC)(`bad submissions against the ARC-AGI-1 evaluation solutions in ../shared/arc${HAVE_ARC ? '' : ' (skipped: ../shared/arc/arc-agi_evaluation_solutions.json is absent)'}`, () => {
  const file = 'arc-agi_evaluation_solutions.json';
  const load = () => parseSolutions(readFileSync(path.join(ARC_DIR, file), 'utf8'), file);
  /** a perfect submission of the first `n` tasks, as a JSON value to break */
  const perfect = (solutions: Record<string, Grid[]>, n: number) =>
    Object.fromEntries(Object.entries(solutions).slice(0, n).map(([id, outs]) => [id, outs.map((g) => ({ attempt_1: g, attempt_2: g }))])) as Record<string, Array<Record<string, unknown>>>;

  it('reads the 400 tasks and 419 test outputs, and a perfect submission scores 1', () => {
    const solutions = load();
    expect(Object.keys(solutions)).toHaveLength(400);
    const s = scoreSubmission(validateSubmission(perfect(solutions, 400)), solutions, { solutionsFile: file });
    expect(s.score).toBe(1);
    expect(s.totalTests).toBe(419);
    expect(s.solvedTests).toBe(419);
  });

  it('reports missing tasks by name and locates wrong entry counts, bad grids and extra keys', () => {
    const solutions = load();
    const ids = Object.keys(solutions);
    const multi = ids.find((id) => solutions[id]!.length > 1)!;
    const single = ids.find((id) => solutions[id]!.length === 1)!;
    const value = perfect(solutions, 400);
    // missing tasks
    delete value[ids[398]!];
    delete value[ids[399]!];
    const partial = scoreSubmission(validateSubmission(value), solutions);
    expect(partial.missing).toEqual([ids[398], ids[399]]);
    expect(partial.score).toBeCloseTo(398 / 400, 12);
    expect(partial.submittedScore).toBe(1);
    // a multi-test task with one entry too few
    value[multi] = value[multi]!.slice(0, 1);
    expect(problemsOf(() => scoreSubmission(validateSubmission(value), solutions))).toEqual([
      `submission.json › task ${multi}: has 1 entry but the task has ${solutions[multi]!.length} test inputs; a submission needs exactly one entry per test input`,
    ]);
    // out-of-range grids and extra keys are located before any scoring
    const truth = solutions[single]![0]!;
    value[single] = [{ attempt_1: truth.map((r, i) => (i === 0 ? [10, ...r.slice(1)] : r)), attempt_2: Array.from({ length: 31 }, () => [1]), score: 1 }];
    expect(problemsOf(() => validateSubmission(value))).toEqual([
      `submission.json › task ${single} › test[0]: unexpected key "score"; an entry holds exactly "attempt_1" and "attempt_2"`,
      `submission.json › task ${single} › test[0].attempt_1 › cell (0,0): colour 10 is outside 0..9`,
      `submission.json › task ${single} › test[0].attempt_2: grid has 31 rows, more than the maximum of 30`,
    ]);
  });
});
