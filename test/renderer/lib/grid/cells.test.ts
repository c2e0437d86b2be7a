import { describe, expect, it } from 'vitest';
import {
  CELL_EOS,
  CELL_IGNORE,
  CELL_PAD,
  contentRect,
  diffAgainst,
  matchCount,
  tokensToCells,
  unionRect,
} from '../../../../src-renderer/src/lib/grid/cells';
import { encodeArcGrid, encodeArcLabel } from '../../../../src-shared/puzzle/tokens';

describe('token cells', () => {
  it('reads an ARC canvas: colours, the EOS row and column, PAD elsewhere', () => {
    const tokens = encodeArcGrid([[3, 4]]);
    const cells = tokensToCells(tokens, 30, 'arc');
    expect(cells[0]?.slice(0, 4)).toEqual([3, 4, CELL_EOS, CELL_PAD]);
    expect(cells[1]?.slice(0, 3)).toEqual([CELL_EOS, CELL_EOS, CELL_PAD]);
    expect(contentRect(cells)).toEqual({ r: 0, c: 0, rows: 2, cols: 3 });
  });

  it('marks -100 label positions as unsupervised and leaves them out of diffs', () => {
    const label = tokensToCells(encodeArcLabel([[1]]), 30, 'arc');
    expect(label[5]?.[5]).toBe(CELL_IGNORE);
    const pred = tokensToCells(encodeArcGrid([[2]]), 30, 'arc');
    const d = diffAgainst(pred, label);
    expect(d[0]?.[0]).toBe('wrong');
    expect(d[0]?.[1]).toBe('right'); // both EOS
    expect(d[5]?.[5]).toBeNull();
    // the cell, the EOS right of it and the EOS below it (the corner is not marked)
    expect(matchCount(pred, label)).toEqual({ right: 2, total: 3 });
  });

  it('refuses a token list of the wrong length', () => {
    expect(() => tokensToCells([1, 2, 3], 2, 'arc')).toThrow(/4 tokens/);
  });

  it('unions crop rectangles', () => {
    expect(unionRect([{ r: 1, c: 1, rows: 1, cols: 1 }, null, { r: 0, c: 3, rows: 2, cols: 2 }])).toEqual({ r: 0, c: 1, rows: 2, cols: 4 });
  });
});
