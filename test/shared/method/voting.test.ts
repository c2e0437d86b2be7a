import { describe, expect, it } from 'vitest';
import { scoreVotes, VoteBook } from '../../../src-shared/method/voting';

const A = [[1, 2]];
const B = [[3]];
const C = [[4, 4], [4, 4]];

describe('VoteBook', () => {
  it('groups identical grids and keeps count and mean q per candidate', () => {
    const book = new VoteBook();
    book.add('t', 0, A, 0.2);
    book.add('t', 0, [[1, 2]], 0.6);
    book.add('t', 0, B, 0.9);
    book.add('t', 1, C, 0.1);
    const r = book.ranked('t', 0);
    expect(r.map((c) => c.grid)).toEqual([A, B]);
    expect(r[0]?.count).toBe(2);
    expect(r[0]?.meanQ).toBeCloseTo(0.4, 12);
    expect(book.ranked('t', 1).map((c) => c.count)).toEqual([1]);
  });

  it('breaks count ties by mean q for TRM and by first appearance for DIS', () => {
    const book = new VoteBook();
    book.add('t', 0, A, 0.1);
    book.add('t', 0, B, 0.9);
    book.add('t', 0, C, 0.5);
    expect(book.ranked('t', 0, 'count-then-q').map((c) => c.grid)).toEqual([B, C, A]);
    expect(book.ranked('t', 0, 'count-then-first').map((c) => c.grid)).toEqual([A, B, C]);
    // Equal q as well: first seen wins under both rules.
    const tie = new VoteBook();
    tie.add('t', 0, B, 0.5);
    tie.add('t', 0, A, 0.5);
    expect(tie.ranked('t', 0, 'count-then-q').map((c) => c.grid)).toEqual([B, A]);
  });

  it('counts a null prediction (an empty crop) as the 0×0 grid candidate, as the reference hashes it, and forgets everything on clear', () => {
    const book = new VoteBook();
    book.add('t', 0, null, 0.5);
    book.add('t', 0, A, 0.7);
    book.add('t', 0, null, 0.1);
    expect(book.ranked('t', 0).map((c) => [c.grid, c.count])).toEqual([
      [[], 2],
      [A, 1],
    ]);
    expect(book.ranked('t', 0)[0]?.meanQ).toBeCloseTo(0.3, 12);
    book.clear();
    expect(book.ranked('t', 0)).toEqual([]);
  });

  it('does not alias the caller’s grid', () => {
    const g = [[1, 1]];
    const book = new VoteBook();
    book.add('t', 0, g, 0);
    (g[0] as number[])[0] = 9;
    expect(book.ranked('t', 0)[0]?.grid).toEqual([[1, 1]]);
  });
});

describe('scoreVotes', () => {
  it('pass@K on a fixed set of predictions with empty crops equals the hand-computed reference count', () => {
    const book = new VoteBook();
    // x: two empty crops outvote the right answer A (1 vote) and B (1 vote, seen after A) → rank 2.
    for (const p of [null, A, null, B]) book.add('x', 0, p, 0);
    // y: three empty crops, then C twice, then the right answer B once → rank 3.
    for (const p of [null, null, null, C, C, B]) book.add('y', 0, p, 0);
    // z: test 0 right at rank 1 despite an empty crop; test 1 has only empty crops → wrong at every K.
    for (const p of [A, null, A]) book.add('z', 0, p, 0);
    book.add('z', 1, null, 0);
    // w: only empty crops.
    book.add('w', 0, null, 0);
    const tests = [
      { taskId: 'x', testIndex: 0, input: B, output: A },
      { taskId: 'y', testIndex: 0, input: B, output: B },
      { taskId: 'z', testIndex: 0, input: B, output: A },
      { taskId: 'z', testIndex: 1, input: B, output: B },
      { taskId: 'w', testIndex: 0, input: B, output: C },
    ];
    const s = scoreVotes(book, tests, 'count-then-first', [1, 2, 5]);
    // By hand, per task (x, y, z, w): K=1 → 0, 0, ½, 0; K=2 → 1, 0, ½, 0; K=5 → 1, 1, ½, 0.
    // (Dropping the empty crops, as the lab once did, would give 0.375 / 0.625 / 0.625.)
    expect(s.passAtK).toEqual({ '1': 0.125, '2': 0.375, '5': 0.625 });
    expect(s.tasks[0]?.top).toEqual([[], A]);
    expect(s.tasks[0]?.votes).toEqual([2, 1]);
  });

  it('gives partial credit to multi-test tasks and averages over tasks', () => {
    const book = new VoteBook();
    // task m: test 0 right at rank 1, test 1 right only at rank 2.
    book.add('m', 0, A, 0);
    book.add('m', 1, B, 0);
    book.add('m', 1, B, 0);
    book.add('m', 1, C, 0);
    // task s: its one test has no predictions at all.
    const tests = [
      { taskId: 'm', testIndex: 0, input: A, output: A },
      { taskId: 'm', testIndex: 1, input: A, output: C },
      { taskId: 's', testIndex: 0, input: A, output: B },
    ];
    const r = scoreVotes(book, tests, 'count-then-first', [1, 2, 5]);
    // m: pass@1 = 1/2, pass@2 = 2/2; s: 0 → means 0.25 and 0.5.
    expect(r.passAt1).toBeCloseTo(0.25, 12);
    expect(r.passAt2).toBeCloseTo(0.5, 12);
    expect(r.passAtK).toEqual({ '1': 0.25, '2': 0.5, '5': 0.5 });
    expect(r.tasks.map((t) => [t.taskId, t.testIndex, t.passAt1, t.passAt2])).toEqual([
      ['m', 0, true, true],
      ['m', 1, false, true],
      ['s', 0, false, false],
    ]);
    expect(r.tasks[1]?.top).toEqual([B, C]);
    expect(r.tasks[1]?.votes).toEqual([2, 1]);
  });

  it('uses the ranking rule to decide which candidates are in the top K', () => {
    const book = new VoteBook();
    book.add('t', 0, A, 0.1);
    book.add('t', 0, B, 0.9);
    const tests = [{ taskId: 't', testIndex: 0, input: A, output: B }];
    expect(scoreVotes(book, tests, 'count-then-q').passAt1).toBe(1);
    expect(scoreVotes(book, tests, 'count-then-first').passAt1).toBe(0);
  });

  it('leaves test pairs with unknown outputs out of the score', () => {
    const book = new VoteBook();
    book.add('t', 0, A, 0);
    book.add('u', 0, A, 0);
    const r = scoreVotes(book, [
      { taskId: 't', testIndex: 0, input: A, output: A },
      { taskId: 't', testIndex: 1, input: A },
      { taskId: 'u', testIndex: 0, input: A },
    ], 'count-then-q');
    expect(r.passAt1).toBe(1);
    expect(r.tasks).toHaveLength(3);
    expect(r.tasks[2]?.top).toEqual([A]);
  });
});
