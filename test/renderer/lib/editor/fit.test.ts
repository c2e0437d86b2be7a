import { describe, expect, it } from 'vitest';
import { fitCellSize, sideError } from '../../../../src-renderer/src/lib/editor/fit';

describe('zoom to fit', () => {
  it('fits a 30×30 grid in a 1440×900 window with demonstrations and tests side by side', () => {
    // the grid area of the editor at 1440×900: the window less the navigation, toolbar and header
    const area = { width: 1440 - 190, height: 900 - 260, maxRows: 30, maxCols: 30, across: 4 };
    const cell = fitCellSize(area);
    expect(cell).toBeGreaterThanOrEqual(6);
    expect(cell * 30 + 34).toBeLessThanOrEqual(area.width / 4);
    expect(cell * 30 + 58).toBeLessThanOrEqual(area.height);
  });

  it('grows small grids up to the largest cell size, and never below the smallest', () => {
    expect(fitCellSize({ width: 1200, height: 700, maxRows: 3, maxCols: 3, across: 4 })).toBe(48);
    expect(fitCellSize({ width: 200, height: 100, maxRows: 30, maxCols: 30, across: 4 })).toBe(6);
  });
});

describe('rows and cols as typed', () => {
  it('says what is wrong, in words', () => {
    expect(sideError('5', 'Rows', 30)).toBeNull();
    expect(sideError('', 'Rows', 30)).toBe('Rows: enter a number from 1 to 30');
    expect(sideError('2.5', 'Cols', 30)).toBe('Cols: 2.5 is not a whole number');
    expect(sideError('31', 'Cols', 30)).toBe('Cols: 31 is outside 1–30');
  });
});
