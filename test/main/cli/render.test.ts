import { describe, expect, it } from 'vitest';
import { cell, detectColourMode, extent, gridLines, layoutGrids, visibleWidth } from '../../../src-main/cli/render';
import { encodeArcGrid, encodeArcLabel } from '../../../src-shared/puzzle/tokens';

describe('terminal grids', () => {
  it('draws ARC colours as palette backgrounds in truecolour and xterm-256', () => {
    expect(cell(2 + 2, 'arc', 'truecolor')).toBe('\x1b[48;2;255;65;54m  \x1b[0m'); // red #FF4136
    expect(cell(2 + 1, 'arc', 'truecolor')).toBe('\x1b[48;2;0;116;217m  \x1b[0m'); // blue #0074D9
    expect(cell(2 + 0, 'arc', '256')).toBe('\x1b[48;5;16m  \x1b[0m'); // black
    expect(cell(2 + 5, 'arc', '256')).toBe('\x1b[48;5;248m  \x1b[0m'); // grey #AAAAAA on the grey ramp
    expect(cell(2 + 7, 'arc', 'none')).toBe(' 7');
  });

  it('crops ARC canvases to the drawn area and keeps whole boards', () => {
    const x = encodeArcGrid([[1, 2, 3]], 0, 0, 6);
    const y = encodeArcLabel([[4], [5]], 0, 0, 6);
    // input: 1 row + EOS row, 3 cols + EOS column; label: 2 rows + EOS row.
    expect(extent([x, y], 6, 'arc')).toEqual({ rows: 3, cols: 4 });
    expect(gridLines(x, 6, 'arc', 'none', { rows: 2, cols: 4 })).toEqual([' 1 2 3 |', ' | | | .']);
    expect(gridLines(y, 6, 'arc', 'none', { rows: 3, cols: 2 })).toEqual([' 4 |', ' 5 |', ' | ~']);
    expect(extent([new Int32Array(16)], 4, 'nqueens')).toEqual({ rows: 4, cols: 4 });
  });

  it('lays titled grids out side by side and wraps to the width', () => {
    const g = encodeArcGrid([[1]], 0, 0, 3);
    const items = [1, 2, 3].map((i) => ({ title: `F_${i}`, tokens: g }));
    const wide = layoutGrids(items, 3, 'arc', 'none', 80).split('\n');
    // Each block is the 2×2 crop (cell + EOS), 4 columns wide, 3 apart.
    expect(wide[0]).toBe('F_1    F_2    F_3');
    expect(wide[1]).toBe(' 1 |    1 |    1 |');
    expect(wide[2]).toBe(' | .    | .    | .');
    const narrow = layoutGrids(items, 3, 'arc', 'none', 8).split('\n');
    expect(narrow.filter((l) => l.startsWith('F_'))).toEqual(['F_1', 'F_2', 'F_3']);
    expect(visibleWidth(cell(3, 'arc', 'truecolor'))).toBe(2);
  });

  it('turns colour off for pipes and NO_COLOR, and picks truecolour from COLORTERM', () => {
    expect(detectColourMode({ isTTY: false }, {})).toBe('none');
    expect(detectColourMode({ isTTY: true }, { NO_COLOR: '1' })).toBe('none');
    expect(detectColourMode({ isTTY: true }, { COLORTERM: 'truecolor' })).toBe('truecolor');
    expect(detectColourMode({ isTTY: true }, {})).toBe('256');
  });
});
