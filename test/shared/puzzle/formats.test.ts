import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  importFiles,
  parseCombined,
  parseTaskJson,
  writeChallenges,
  writeCombined,
  writeTaskJson,
} from '../../../src-shared/puzzle/formats';
import type { Task } from '../../../src-shared/puzzle/types';
import { arcTask } from './arbitraries';

const solved = (t: Task): Task => ({ ...t, test: t.test.map((p) => ({ input: p.input, output: p.output ?? [[0]] })) });

describe('per-task JSON', () => {
  it('writes and reads back any task losslessly', () => {
    fc.assert(
      fc.property(arcTask(8), (task) => {
        expect(parseTaskJson(writeTaskJson(task), 'x.json', task.id)).toEqual(task);
      }),
      { numRuns: 100 },
    );
  });

  it('writes keys in the order train, test and input, output', () => {
    const text = writeTaskJson({ id: 'a', train: [{ input: [[1]], output: [[2]] }], test: [{ input: [[3]], output: [[4]] }] });
    expect(text).toBe('{"train":[{"input":[[1]],"output":[[2]]}],"test":[{"input":[[3]],"output":[[4]]}]}');
  });

  it('ignores a byte-order mark and unknown keys', () => {
    const task = parseTaskJson('\uFEFF{"name":"x","train":[{"input":[[1]],"output":[[2]],"note":1}],"test":[{"input":[[3]]}]}', 'a.json', 'a');
    expect(task).toEqual({ id: 'a', train: [{ input: [[1]], output: [[2]] }], test: [{ input: [[3]] }] });
  });
});

describe('Kaggle combined format', () => {
  it('writes and reads back any set of solved tasks losslessly', () => {
    fc.assert(
      fc.property(fc.uniqueArray(arcTask(6), { selector: (t) => t.id, maxLength: 5 }), (raw) => {
        const tasks = raw.map(solved);
        const { challenges, solutions } = writeCombined(tasks);
        const back = parseCombined(challenges, solutions, { challenges: 'c.json', solutions: 's.json' });
        expect(back.errors).toEqual([]);
        // A combined file is a JSON object keyed by task id: objects are unordered, and JavaScript
        // lists integer-like keys ("10000000") first, so the tasks are compared by id.
        const byId = (ts: Task[]) => [...ts].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
        expect(byId(back.tasks)).toEqual(byId(tasks));
      }),
      { numRuns: 60 },
    );
  });

  it('keeps test outputs out of the challenges file and reads it alone without them', () => {
    const task: Task = { id: 'abc', train: [{ input: [[1]], output: [[2]] }], test: [{ input: [[3]], output: [[4]] }] };
    const { challenges, solutions } = writeCombined([task]);
    expect(challenges).not.toContain('[[4]]');
    expect(JSON.parse(solutions)).toEqual({ abc: [[[4]]] });
    const alone = parseCombined(challenges, null, { challenges: 'c.json' });
    expect(alone).toEqual({ tasks: [{ id: 'abc', train: task.train, test: [{ input: [[3]] }] }], errors: [] });
  });

  it('refuses to write a solutions file for a task with an unknown test output', () => {
    const task: Task = { id: 'abc', train: [{ input: [[1]], output: [[2]] }], test: [{ input: [[3]] }] };
    expect(() => writeCombined([task])).toThrow(/task abc test\[0\] has no output/);
    expect(JSON.parse(writeChallenges([task]))).toEqual({ abc: { train: [{ input: [[1]], output: [[2]] }], test: [{ input: [[3]] }] } });
  });

  it('loads the good tasks when one task is bad', () => {
    const good = { train: [{ input: [[1]], output: [[2]] }], test: [{ input: [[3]] }] };
    const text = JSON.stringify({ a: good, b: { train: [], test: good.test }, c: good });
    const result = parseCombined(text, null, { challenges: 'c.json' });
    expect(result.tasks.map((t) => t.id)).toEqual(['a', 'c']);
    expect(result.errors.map((e) => e.message)).toEqual([
      'c.json › task b: "train" is empty; a task needs at least one demonstration pair',
    ]);
  });
});

describe('importing a set of files', () => {
  const task = { train: [{ input: [[1]], output: [[2]] }], test: [{ input: [[3]], output: [[4]] }] };

  it('takes per-task ids from file stems, also inside folders', () => {
    const result = importFiles([
      { name: 'training/007bbfb7.json', content: JSON.stringify(task) },
      { name: 'evaluation\\00576224.JSON', content: JSON.stringify(task) },
    ]);
    expect(result.errors).toEqual([]);
    expect(result.tasks.map((t) => t.id)).toEqual(['007bbfb7', '00576224']);
  });

  it('pairs challenges with solutions by prefix, whatever the file order', () => {
    const { challenges, solutions } = writeCombined([{ id: 'abc', ...task }]);
    const result = importFiles([
      { name: 'kaggle/arc-agi_x_solutions.json', content: solutions },
      { name: 'kaggle/arc-agi_x_challenges.json', content: challenges },
      { name: 'kaggle/arc-agi_y_challenges.json', content: writeChallenges([{ id: 'def', ...task }]) },
    ]);
    expect(result.errors).toEqual([]);
    expect(result.tasks).toEqual([
      { id: 'abc', ...task },
      { id: 'def', train: task.train, test: [{ input: [[3]] }] },
    ]);
  });

  it('reads a combined challenges file saved under another name', () => {
    const result = importFiles([{ name: 'my-tasks.json', content: writeChallenges([{ id: 'abc', ...task }]) }]);
    expect(result.errors).toEqual([]);
    expect(result.tasks.map((t) => t.id)).toEqual(['abc']);
  });
});
