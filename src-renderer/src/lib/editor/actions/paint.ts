// Pencil and flood fill: the two tools that colour cells one click at a time.
import { currentGrid, dims, setCurrentGrid, type EditorState } from '../state';
import type { Action } from './types';

export interface CellArg {
  r: number;
  c: number;
}

function inside(s: EditorState, { r, c }: CellArg): boolean {
  const g = currentGrid(s);
  if (!g) return false;
  const { rows, cols } = dims(g);
  return r >= 0 && c >= 0 && r < rows && c < cols;
}

/** Paint one cell with the current colour. */
export const paint: Action<CellArg> = {
  name: 'paint',
  label: 'Paint cell',
  undoable: true,
  perform(s, at) {
    const g = currentGrid(s);
    if (!g || !inside(s, at) || g[at.r]?.[at.c] === s.colour) return s;
    const out = g.map((row) => row.slice());
    (out[at.r] as number[])[at.c] = s.colour;
    return { ...setCurrentGrid(s, out), cursor: at };
  },
};

/** The cells 4-connected to (r, c) with its colour, recoloured with the current colour. */
export function floodFill(g: number[][], r: number, c: number, colour: number): number[][] {
  const from = g[r]?.[c];
  if (from === undefined || from === colour) return g;
  const out = g.map((row) => row.slice());
  const stack: Array<[number, number]> = [[r, c]];
  while (stack.length) {
    const [i, j] = stack.pop() as [number, number];
    const row = out[i];
    if (!row || row[j] !== from) continue;
    row[j] = colour;
    stack.push([i + 1, j], [i - 1, j], [i, j + 1], [i, j - 1]);
  }
  return out;
}

export const fill: Action<CellArg> = {
  name: 'fill',
  label: 'Flood fill',
  undoable: true,
  perform(s, at) {
    const g = currentGrid(s);
    if (!g || !inside(s, at)) return s;
    const out = floodFill(g, at.r, at.c, s.colour);
    return out === g ? s : { ...setCurrentGrid(s, out), cursor: at };
  },
};

/** Space: apply the pencil or the fill at the keyboard cursor (keyboard-only drawing). */
export const applyAtCursor: Action = {
  name: 'apply-at-cursor',
  label: 'Apply tool at cursor',
  keys: ['space'],
  undoable: true,
  perform(s) {
    if (s.tool === 'pencil') return paint.perform(s, s.cursor);
    if (s.tool === 'fill') return fill.perform(s, s.cursor);
    return s;
  },
};
