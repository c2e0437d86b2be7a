import { describe, expect, it } from 'vitest';
import type { Task } from '../../../../src-shared/puzzle/types';
import {
  ACTIONS,
  actionByName,
  actionForChord,
  acceptPaste,
  addPair,
  clear,
  copy,
  copyInputToOutput,
  cropToSelection,
  deletePair,
  fill,
  flipX,
  flipY,
  keyChord,
  moveRight,
  paint,
  paste,
  resize,
  rotateCw,
  select,
  toolFill,
} from '../../../../src-renderer/src/lib/editor/actions';
import { apply, createHistory, redo, undo, type History } from '../../../../src-renderer/src/lib/editor/history';
import { currentGrid, initialState, type EditorState } from '../../../../src-renderer/src/lib/editor/state';

function task(input: number[][], output: number[][] = [[0]]): Task {
  return { id: 't', train: [{ input, output }], test: [{ input: [[0]] }] };
}
const grid = (s: EditorState) => currentGrid(s);
const withColour = (s: EditorState, colour: number): EditorState => ({ ...s, colour });

describe('editor actions', () => {
  it('the pencil paints one cell with the current colour and leaves the rest', () => {
    const s = paint.perform(withColour(initialState(task([[0, 0], [0, 0]])), 3), { r: 1, c: 0 });
    expect(grid(s)).toEqual([[0, 0], [3, 0]]);
  });

  it('the flood fill recolours only the 4-connected region of the clicked colour', () => {
    const s0 = withColour(initialState(task([[1, 1, 0], [0, 1, 0], [1, 0, 1]])), 4);
    const s = fill.perform(s0, { r: 0, c: 0 });
    // (2,0) and (2,2) touch the region only diagonally, so they stay 1
    expect(grid(s)).toEqual([[4, 4, 0], [0, 4, 0], [1, 0, 1]]);
  });

  it('a fill with the same colour changes nothing and records no history', () => {
    const h = apply(createHistory(withColour(initialState(task([[2]])), 2)), fill, { r: 0, c: 0 });
    expect(h.past).toHaveLength(0);
  });

  it('select, copy and paste float the block until Enter places it', () => {
    let s = initialState(task([[1, 2, 0], [3, 4, 0], [0, 0, 0]]));
    s = select.perform(s, { r: 0, c: 0, rows: 2, cols: 2 });
    s = copy.perform(s);
    expect(s.clipboard).toEqual([[1, 2], [3, 4]]);
    s = select.perform(s, { r: 1, c: 1, rows: 1, cols: 1 });
    s = paste.perform(s);
    expect(s.floating).toEqual({ grid: [[1, 2], [3, 4]], r: 1, c: 1 });
    // floating: the grid is unchanged until accepted
    expect(grid(s)).toEqual([[1, 2, 0], [3, 4, 0], [0, 0, 0]]);
    s = acceptPaste.perform(s);
    expect(grid(s)).toEqual([[1, 2, 0], [3, 1, 2], [0, 3, 4]]);
    expect(s.floating).toBeNull();
  });

  it('a paste hanging over the edge is clipped when placed', () => {
    let s = initialState(task([[0, 0], [0, 0]]));
    s = { ...s, clipboard: [[5, 6], [7, 8]], cursor: { r: 1, c: 1 } };
    s = acceptPaste.perform(paste.perform(s));
    expect(grid(s)).toEqual([[0, 0], [0, 5]]);
  });

  it('arrows move the selected content and leave colour 0 behind, but never push it off the grid', () => {
    let s = select.perform(initialState(task([[7, 0, 0]])), { r: 0, c: 0, rows: 1, cols: 1 });
    s = moveRight.perform(s);
    expect(grid(s)).toEqual([[0, 7, 0]]);
    s = moveRight.perform(moveRight.perform(s));
    expect(grid(s)).toEqual([[0, 0, 7]]);
    expect(s.selection).toEqual({ r: 0, c: 2, rows: 1, cols: 1 });
  });

  it('flips and rotates the selection in place, or the whole grid without one', () => {
    const s0 = initialState(task([[1, 2], [3, 4]]));
    expect(grid(flipX.perform(s0))).toEqual([[2, 1], [4, 3]]);
    expect(grid(flipY.perform(s0))).toEqual([[3, 4], [1, 2]]);
    expect(grid(rotateCw.perform(s0))).toEqual([[3, 1], [4, 2]]);
    const sel = select.perform(initialState(task([[1, 2, 9]])), { r: 0, c: 0, rows: 1, cols: 2 });
    expect(grid(flipX.perform(sel))).toEqual([[2, 1, 9]]);
  });

  it('rotating a non-square whole grid swaps its sides', () => {
    const s = rotateCw.perform(initialState(task([[1, 2, 3]])));
    expect(grid(s)).toEqual([[1], [2], [3]]);
  });

  it('crop keeps only the selection', () => {
    let s = initialState(task([[1, 2, 3], [4, 5, 6]]));
    s = cropToSelection.perform(select.perform(s, { r: 0, c: 1, rows: 2, cols: 2 }));
    expect(grid(s)).toEqual([[2, 3], [5, 6]]);
  });

  it('resize keeps the top-left content and pads with 0, and rejects sizes outside 1..30', () => {
    const s0 = initialState(task([[1, 2], [3, 4]]));
    expect(grid(resize.perform(s0, { rows: 3, cols: 1 }))).toEqual([[1], [3], [0]]);
    expect(() => resize.perform(s0, { rows: 31, cols: 2 })).toThrow(/1\.\.30/);
  });

  it('copy input → output makes the output an equal, independent copy', () => {
    const s = copyInputToOutput.perform(initialState(task([[1, 2]], [[0]])));
    expect(s.task.train[0]?.output).toEqual([[1, 2]]);
    expect(s.task.train[0]?.output).not.toBe(s.task.train[0]?.input);
    expect(s.target.side).toBe('output');
  });

  it('clear sets every cell to 0 and keeps the size', () => {
    expect(grid(clear.perform(initialState(task([[1, 2], [3, 4]]))))).toEqual([[0, 0], [0, 0]]);
  });

  it('adds and deletes pairs, keeping at least one of each kind', () => {
    let s = addPair.perform(initialState(task([[1, 2]])), 'train');
    expect(s.task.train).toHaveLength(2);
    expect(s.target).toEqual({ kind: 'train', index: 1, side: 'input' });
    expect(s.task.train[1]?.input).toEqual([[0, 0]]);
    s = deletePair.perform(s);
    expect(s.task.train).toHaveLength(1);
    expect(deletePair.enabled?.(s)).toBe(false);
  });

  it('every key chord is bound to exactly one action and names are unique', () => {
    const names = ACTIONS.map((a) => a.name);
    expect(new Set(names).size).toBe(names.length);
    expect(actionForChord('f')).toBe(toolFill);
    expect(actionForChord('mod+c')).toBe(copy);
    expect(actionByName('rotate-cw')).toBe(rotateCw);
  });

  it('turns keyboard events into chords', () => {
    const ev = (key: string, mods: Partial<{ ctrlKey: boolean; shiftKey: boolean; metaKey: boolean; altKey: boolean }> = {}) => ({
      key,
      ctrlKey: false,
      metaKey: false,
      altKey: false,
      shiftKey: false,
      ...mods,
    });
    expect(keyChord(ev('Z', { ctrlKey: true, shiftKey: true }))).toBe('shift+mod+z');
    expect(keyChord(ev('z', { metaKey: true }))).toBe('mod+z');
    expect(keyChord(ev('ArrowUp'))).toBe('arrowup');
    expect(keyChord(ev(' '))).toBe('space');
    expect(keyChord(ev('3'))).toBe('3');
  });
});

describe('undo/redo history', () => {
  const start = () => createHistory(withColour(initialState(task([[0, 0]])), 5));

  it('undo and redo walk back and forth through edits', () => {
    let h: History = start();
    h = apply(h, paint, { r: 0, c: 0 });
    h = apply(h, paint, { r: 0, c: 1 });
    expect(grid(h.present)).toEqual([[5, 5]]);
    h = undo(h);
    expect(grid(h.present)).toEqual([[5, 0]]);
    h = undo(h);
    expect(grid(h.present)).toEqual([[0, 0]]);
    h = undo(h); // nothing left: unchanged
    expect(grid(h.present)).toEqual([[0, 0]]);
    h = redo(redo(h));
    expect(grid(h.present)).toEqual([[5, 5]]);
  });

  it('one pencil stroke (shared coalesce key) is one undo step', () => {
    let h = start();
    h = apply(h, paint, { r: 0, c: 0 }, 'stroke-1');
    h = apply(h, paint, { r: 0, c: 1 }, 'stroke-1');
    expect(h.past).toHaveLength(1);
    expect(grid(undo(h).present)).toEqual([[0, 0]]);
  });

  it('a new edit after undo drops the redo branch', () => {
    let h = apply(start(), paint, { r: 0, c: 0 });
    h = undo(h);
    h = apply(h, paint, { r: 0, c: 1 });
    expect(h.future).toHaveLength(0);
    expect(grid(redo(h).present)).toEqual([[0, 5]]);
  });

  it('tool and colour choices are not undone', () => {
    let h = apply(start(), paint, { r: 0, c: 0 });
    h = apply(h, toolFill, undefined);
    h = { ...h, present: { ...h.present, colour: 2 } };
    h = undo(h);
    expect(h.present.tool).toBe('fill');
    expect(h.present.colour).toBe(2);
  });
});
