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

describe('reading hostile or unlucky files', () => {
  const good = { train: [{ input: [[1]], output: [[2]] }], test: [{ input: [[1]], output: [[2]] }] };

  it('names UTF-16 instead of a mangled parse message', () => {
    // what a UTF-16LE file with a byte-order mark looks like when read as UTF-8
    const utf16 = Buffer.from(`\uFEFF${JSON.stringify(good)}`, 'utf16le').toString('utf8');
    const r = importFiles([{ name: 'wide.json', content: utf16 }]);
    expect(r.errors.map((e) => e.message)).toEqual(['wide.json: file is UTF-16; save it as UTF-8']);
  });

  it('reports where the JSON breaks without quoting the file', () => {
    const r = importFiles([
      { name: 'bad.json', content: '{"train": [\n  {"input": secret-words-here}]}' },
      { name: 'comma.json', content: '{"train": [],\n "test": [], }' },
    ]);
    expect(r.errors[0]!.message).toBe('bad.json: not valid JSON (unexpected "s")');
    expect(r.errors[1]!.message).toBe('comma.json: not valid JSON at line 2, column 14');
  });

  it('reports a key given twice in a task file instead of keeping the last', () => {
    const text = `{"train": ${JSON.stringify(good.train)}, "test": ${JSON.stringify(good.test)}, "train": []}`;
    const r = importFiles([{ name: 'twice.json', content: text }]);
    expect(r.tasks).toEqual([]);
    expect(r.errors[0]!.message).toMatch(/twice\.json: key "train" appears twice; JSON would keep only the last/);
  });

  it('reports a task id given twice in one combined file, and a duplicate key inside a task, and loads the rest', () => {
    const t = JSON.stringify(good);
    const text = `{"aaa": ${t}, "bbb": ${t}, "aaa": ${t}, "ccc": {"train": ${JSON.stringify(good.train)}, "test": ${JSON.stringify(good.test)}, "test": []}}`;
    const r = importFiles([{ name: 'set_challenges.json', content: text }]);
    expect(r.tasks.map((x) => x.id)).toEqual(['bbb']);
    expect(r.errors.map((e) => e.message)).toEqual([
      'set_challenges.json › task aaa: task id appears more than once in the file; JSON would keep only the last, so none is loaded',
      'set_challenges.json › task ccc: key "test" appears twice; JSON would keep only the last',
    ]);
  });

  it('treats __proto__ and constructor as ordinary task ids, in reading and in combined exports', () => {
    const text = `{"__proto__": ${JSON.stringify(good)}, "constructor": ${JSON.stringify(good)}}`;
    const sol = `{"__proto__": [[[2]]]}`;
    const r = importFiles([
      { name: 'p_challenges.json', content: text },
      { name: 'p_solutions.json', content: sol },
    ]);
    expect(r.tasks.map((x) => x.id)).toEqual(['__proto__']);
    expect(r.errors.map((e) => e.message)).toEqual(['p_solutions.json › task constructor: no solutions for this task, which p_challenges.json has']);
    const tasks: Task[] = [{ id: '__proto__', ...good }, { id: 'constructor', ...good }];
    const pair = writeCombined(tasks);
    expect(Object.keys(JSON.parse(pair.challenges) as object)).toEqual(['__proto__', 'constructor']);
    expect(parseCombined(pair.challenges, pair.solutions, { challenges: 'c', solutions: 's' }).tasks.map((x) => x.id)).toEqual(['__proto__', 'constructor']);
  });

  it.each([
    ['a\u0000b', 'a NUL'],
    ['x\u202Ey', 'a right-to-left override'],
    ['..', 'a dot-dot'],
  ])('refuses the task id %j (%s) with the id made visible', (id) => {
    const r = importFiles([{ name: 'ids_challenges.json', content: JSON.stringify({ [id]: good, fine: good }) }]);
    expect(r.tasks.map((x) => x.id)).toEqual(['fine']);
    expect(r.errors[0]!.message).toMatch(/task id (contains|is ")/);
    expect(r.errors[0]!.message).not.toMatch(/[\u0000\u202E]/);
  });

  it('refuses a task with more pairs than the lab can save or preview, naming the limit', () => {
    const many = { train: Array.from({ length: 10_000 }, () => good.train[0]), test: good.test };
    const r = importFiles([{ name: 'many.json', content: JSON.stringify(many) }]);
    expect(r.tasks).toEqual([]);
    expect(r.errors[0]!.message).toMatch(/"train" has 10000 pairs; the lab handles at most 1000 per task/);
  });
});
