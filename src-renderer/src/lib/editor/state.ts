// The editor's state, a plain immutable value: every action maps one state to the next, which makes
// undo/redo a list of states and every tool testable without a DOM.
import type { Grid, Task } from '../../../../src-shared/puzzle/types';

export type Side = 'input' | 'output';
export type Tool = 'pencil' | 'fill' | 'select';

/** Which grid of the task is being edited. */
export interface Target {
  kind: 'train' | 'test';
  index: number;
  side: Side;
}

/** A rectangle of cells: top-left (r, c) and size. */
export interface Rect {
  r: number;
  c: number;
  rows: number;
  cols: number;
}

/** A pasted block that floats over the grid until Enter stamps it (Escape drops it). */
export interface Floating {
  grid: Grid;
  r: number;
  c: number;
}

export interface EditorState {
  task: Task;
  target: Target;
  tool: Tool;
  colour: number;
  selection: Rect | null;
  clipboard: Grid | null;
  floating: Floating | null;
  /** keyboard cursor (arrow keys move it, Space applies the tool there) */
  cursor: { r: number; c: number };
}

export function initialState(task: Task, target: Target = { kind: 'train', index: 0, side: 'input' }): EditorState {
  return { task, target, tool: 'pencil', colour: 1, selection: null, clipboard: null, floating: null, cursor: { r: 0, c: 0 } };
}

export function gridAt(task: Task, t: Target): Grid | undefined {
  if (t.kind === 'train') {
    const p = task.train[t.index];
    return p ? p[t.side] : undefined;
  }
  const p = task.test[t.index];
  if (!p) return undefined;
  return t.side === 'input' ? p.input : p.output;
}

/** The grid being edited (undefined only for a test output that does not exist yet). */
export function currentGrid(s: EditorState): Grid | undefined {
  return gridAt(s.task, s.target);
}

/** A new task with the target grid replaced; the rest of the task is shared, not copied. */
export function withGrid(task: Task, t: Target, grid: Grid): Task {
  if (t.kind === 'train') {
    const train = task.train.slice();
    const p = train[t.index];
    if (!p) throw new Error(`train pair ${t.index + 1} does not exist`);
    train[t.index] = { ...p, [t.side]: grid };
    return { ...task, train };
  }
  const test = task.test.slice();
  const p = test[t.index];
  if (!p) throw new Error(`test pair ${t.index + 1} does not exist`);
  test[t.index] = t.side === 'input' ? { ...p, input: grid } : { ...p, output: grid };
  return { ...task, test };
}

export function setCurrentGrid(s: EditorState, grid: Grid): EditorState {
  return { ...s, task: withGrid(s.task, s.target, grid) };
}

export function dims(g: Grid): { rows: number; cols: number } {
  return { rows: g.length, cols: g[0]?.length ?? 0 };
}

/** The rectangle spanned by two corner cells (in any order). */
export function rectFrom(a: { r: number; c: number }, b: { r: number; c: number }): Rect {
  const r = Math.min(a.r, b.r);
  const c = Math.min(a.c, b.c);
  return { r, c, rows: Math.abs(a.r - b.r) + 1, cols: Math.abs(a.c - b.c) + 1 };
}

/** The part of a rect inside a rows×cols grid, or null when nothing is inside. */
export function clipRect(x: Rect, rows: number, cols: number): Rect | null {
  const r0 = Math.max(0, x.r);
  const c0 = Math.max(0, x.c);
  const r1 = Math.min(rows, x.r + x.rows);
  const c1 = Math.min(cols, x.c + x.cols);
  if (r1 <= r0 || c1 <= c0) return null;
  return { r: r0, c: c0, rows: r1 - r0, cols: c1 - c0 };
}

export function extract(g: Grid, x: Rect): Grid {
  return g.slice(x.r, x.r + x.rows).map((row) => row.slice(x.c, x.c + x.cols));
}

/** g with block stamped at (r, c); the parts of block outside g are dropped. */
export function stamp(g: Grid, block: Grid, r: number, c: number): Grid {
  const out = g.map((row) => row.slice());
  block.forEach((brow, i) => {
    const row = out[r + i];
    if (!row) return;
    brow.forEach((v, j) => {
      if (c + j >= 0 && c + j < row.length) row[c + j] = v;
    });
  });
  return out;
}

export function fillRect(g: Grid, x: Rect, colour: number): Grid {
  return g.map((row, i) => (i < x.r || i >= x.r + x.rows ? row.slice() : row.map((v, j) => (j >= x.c && j < x.c + x.cols ? colour : v))));
}
