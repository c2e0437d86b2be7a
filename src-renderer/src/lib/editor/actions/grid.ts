// Whole-grid operations: resize (keeps the top-left content), copy input → output, clear.
import { MAX_SIDE } from '../../../../../src-shared/puzzle/types';
import { currentGrid, dims, gridAt, setCurrentGrid, type EditorState } from '../state';
import type { Action } from './types';

export function resizeGrid(g: number[][], rows: number, cols: number): number[][] {
  return Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => g[i]?.[j] ?? 0));
}

export const resize: Action<{ rows: number; cols: number }> = {
  name: 'resize',
  label: 'Resize',
  undoable: true,
  perform(s, { rows, cols }) {
    if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 1 || cols < 1 || rows > MAX_SIDE || cols > MAX_SIDE) {
      throw new Error(`grid size must be 1..${MAX_SIDE} × 1..${MAX_SIDE}, got ${rows} × ${cols}`);
    }
    // a test pair without an output gets one at this size
    const g = currentGrid(s) ?? [];
    const d = dims(g);
    if (g.length && d.rows === rows && d.cols === cols) return s;
    return {
      ...setCurrentGrid(s, resizeGrid(g, rows, cols)),
      selection: null,
      floating: null,
      cursor: { r: Math.min(s.cursor.r, rows - 1), c: Math.min(s.cursor.c, cols - 1) },
    };
  },
};

export const copyInputToOutput: Action = {
  name: 'copy-input',
  label: 'Copy input → output',
  keys: ['i'],
  undoable: true,
  perform(s) {
    const input = gridAt(s.task, { ...s.target, side: 'input' });
    if (!input) return s;
    const target = { ...s.target, side: 'output' as const };
    return { ...setCurrentGrid({ ...s, target }, input.map((row) => row.slice())), selection: null, floating: null };
  },
};

export const clear: Action = {
  name: 'clear',
  label: 'Clear grid (all 0)',
  keys: ['shift+delete'],
  undoable: true,
  enabled: (s) => currentGrid(s) !== undefined,
  perform(s) {
    const g = currentGrid(s);
    if (!g) return s;
    return { ...setCurrentGrid(s, g.map((row) => row.map(() => 0))), selection: null };
  },
};
