import { describe, expect, it } from 'vitest';
import type { EvalSet } from '../../../src-main/engine/data/training-set';
import { boardIsValid, probeExamples } from '../../../src-main/engine/evaluate';
import { getEncoding } from '../../../src-shared/puzzle/tokens';

describe('evaluation helpers', () => {
  const enc = getEncoding('nqueens', 4);
  // Tokens: 1 = empty, 2 = queen. The solution with queens at columns (1, 3, 0, 2).
  const solved = [1, 2, 1, 1, 1, 1, 1, 2, 2, 1, 1, 1, 1, 1, 2, 1];
  const input = [1, 2, 1, 1, ...new Array<number>(12).fill(1)];

  it('a N-Queens board is valid when it is a complete solution that keeps the given queens', () => {
    expect(boardIsValid(enc, input, solved)).toBe(true);
    // The other 4-queens solution (2, 0, 3, 1) drops the given queen.
    const other = [1, 1, 2, 1, 2, 1, 1, 1, 1, 1, 1, 2, 1, 2, 1, 1];
    expect(boardIsValid(enc, input, other)).toBe(false);
    expect(boardIsValid(enc, new Array<number>(16).fill(1), other)).toBe(true);
    // Three queens only, or a PAD token: not a solution.
    expect(boardIsValid(enc, input, [...solved.slice(0, 14), 1, 1])).toBe(false);
    expect(boardIsValid(enc, input, [0, ...solved.slice(1)])).toBe(false);
  });

  it('probes are the first evaluation examples in their original version', () => {
    const ex = (taskId: string, dihedral: number, colours: number[]) => ({
      taskId, testIndex: 0, versionName: taskId, dihedral, colours, puzzleId: 1, inputs: new Int32Array(1), labels: null,
    });
    const id = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
    const set: EvalSet = { encoding: enc, tests: [], examples: [ex('a', 3, id), ex('b', 0, id), ex('c', 0, [0, 2, 1, 3, 4, 5, 6, 7, 8, 9]), ex('d', 0, id), ex('e', 0, id)] };
    expect(probeExamples(set, 2).map((e) => e.taskId)).toEqual(['b', 'd']);
  });
});
