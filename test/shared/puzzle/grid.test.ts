import { describe, expect, it } from 'vitest';
import { PuzzleFormatError } from '../../../src-shared/puzzle/errors';
import { cloneGrid, gridKey, gridShape, gridsEqual, makeGrid, validateGrid } from '../../../src-shared/puzzle/grid';

describe('grid helpers', () => {
  it('reports the shape as rows and columns', () => {
    expect(gridShape([[1, 2, 3], [4, 5, 6]])).toEqual({ rows: 2, cols: 3 });
  });

  it('keys a grid by its shape and row-major content', () => {
    expect(gridKey([[0, 1], [2, 3], [4, 5]])).toBe('3x2:012345');
    expect(gridKey([[0, 1, 2], [3, 4, 5]])).toBe('2x3:012345');
  });

  it('compares grids by shape and content', () => {
    expect(gridsEqual([[1, 2]], [[1, 2]])).toBe(true);
    expect(gridsEqual([[1, 2]], [[1, 3]])).toBe(false);
    expect(gridsEqual([[1, 2]], [[1], [2]])).toBe(false);
  });

  it('clones without sharing rows', () => {
    const g = [[1, 2], [3, 4]];
    const c = cloneGrid(g);
    (c[0] as number[])[0] = 9;
    expect(g[0]).toEqual([1, 2]);
  });

  it('makes a filled grid and rejects non-positive sizes', () => {
    expect(makeGrid(2, 3, 7)).toEqual([[7, 7, 7], [7, 7, 7]]);
    expect(() => makeGrid(0, 3)).toThrow(/positive integer sizes/);
  });

  it('returns a valid grid unchanged and names the offending cell of a bad one', () => {
    const g = [[0, 9], [3, 4]];
    expect(validateGrid(g, {})).toBe(g);
    try {
      validateGrid([[0, 1], [2, 12]], { file: 'tasks.json', taskId: '007bbfb7', pair: 'train[2].output' });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(PuzzleFormatError);
      expect((e as Error).message).toBe('tasks.json › task 007bbfb7 › train[2].output › cell (1,1): colour 12 is outside 0..9');
      expect((e as PuzzleFormatError).location.cell).toEqual([1, 1]);
      expect((e as PuzzleFormatError).detail).toBe('colour 12 is outside 0..9');
    }
  });
});
