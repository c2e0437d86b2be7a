// Rectangle selection and what can be done with it: copy, floating paste (Enter accepts), move
// with the arrows, flip, rotate, crop, fill. Without a selection the arrows move the keyboard cursor
// and flip/rotate act on the whole grid.
import { applyDihedral } from '../../../../../src-shared/puzzle/dihedral';
import type { Grid } from '../../../../../src-shared/puzzle/types';
import { clipRect, currentGrid, dims, extract, fillRect, setCurrentGrid, stamp, type EditorState, type Rect } from '../state';
import type { Action } from './types';

const hasGrid = (s: EditorState) => currentGrid(s) !== undefined;

export const select: Action<Rect> = {
  name: 'select',
  label: 'Select rectangle',
  undoable: false,
  perform(s, rect) {
    const g = currentGrid(s);
    if (!g) return s;
    const { rows, cols } = dims(g);
    const sel = clipRect(rect, rows, cols);
    return { ...s, selection: sel, cursor: sel ? { r: sel.r, c: sel.c } : s.cursor };
  },
};

export const selectAll: Action = {
  name: 'select-all',
  label: 'Select all',
  keys: ['mod+a'],
  undoable: false,
  enabled: hasGrid,
  perform(s) {
    const g = currentGrid(s);
    if (!g) return s;
    return { ...s, tool: 'select', selection: { r: 0, c: 0, ...dims(g) } };
  },
};

export const deselect: Action = {
  name: 'deselect',
  label: 'Drop selection / paste',
  keys: ['escape'],
  undoable: false,
  perform: (s) => (s.floating ? { ...s, floating: null } : { ...s, selection: null }),
};

export const copy: Action = {
  name: 'copy',
  label: 'Copy selection',
  keys: ['mod+c'],
  undoable: false,
  enabled: (s) => s.selection !== null,
  perform(s) {
    const g = currentGrid(s);
    if (!g || !s.selection) return s;
    return { ...s, clipboard: extract(g, s.selection) };
  },
};

export const paste: Action = {
  name: 'paste',
  label: 'Paste (Enter places it)',
  keys: ['mod+v'],
  undoable: false,
  enabled: (s) => s.clipboard !== null && hasGrid(s),
  perform(s) {
    if (!s.clipboard || !hasGrid(s)) return s;
    const at = s.selection ?? s.cursor;
    return { ...s, floating: { grid: s.clipboard, r: at.r, c: at.c } };
  },
};

export const acceptPaste: Action = {
  name: 'accept-paste',
  label: 'Place the paste',
  keys: ['enter'],
  undoable: true,
  enabled: (s) => s.floating !== null,
  perform(s) {
    const g = currentGrid(s);
    const f = s.floating;
    if (!g || !f) return s;
    const { rows, cols } = dims(g);
    const sel = clipRect({ r: f.r, c: f.c, ...dims(f.grid) }, rows, cols);
    return { ...setCurrentGrid(s, stamp(g, f.grid, f.r, f.c)), floating: null, selection: sel };
  },
};

/** Move the floating paste to a cell (its top-left corner follows the pointer). */
export const placeFloating: Action<{ r: number; c: number }> = {
  name: 'place-floating',
  label: 'Move the paste',
  undoable: false,
  perform: (s, at) => (s.floating ? { ...s, floating: { ...s.floating, r: at.r, c: at.c } } : s),
};

function move(dr: number, dc: number, s: EditorState): EditorState {
  const g = currentGrid(s);
  if (!g) return s;
  const { rows, cols } = dims(g);
  if (s.floating) {
    // the paste may hang over the edges while it floats, but keeps at least one cell on the grid
    const f = s.floating;
    const fr = dims(f.grid);
    const r = Math.min(rows - 1, Math.max(1 - fr.rows, f.r + dr));
    const c = Math.min(cols - 1, Math.max(1 - fr.cols, f.c + dc));
    return { ...s, floating: { ...f, r, c } };
  }
  if (s.selection) {
    const sel = s.selection;
    const r = sel.r + dr;
    const c = sel.c + dc;
    // refuse to push content off the grid: a move never loses cells
    if (r < 0 || c < 0 || r + sel.rows > rows || c + sel.cols > cols) return s;
    const block = extract(g, sel);
    const moved = stamp(fillRect(g, sel, 0), block, r, c);
    return { ...setCurrentGrid(s, moved), selection: { ...sel, r, c } };
  }
  const r = Math.min(rows - 1, Math.max(0, s.cursor.r + dr));
  const c = Math.min(cols - 1, Math.max(0, s.cursor.c + dc));
  return { ...s, cursor: { r, c } };
}

const arrow = (name: string, label: string, key: string, dr: number, dc: number): Action => ({
  name,
  label,
  keys: [key],
  undoable: true,
  perform: (s) => move(dr, dc, s),
});

export const moveUp = arrow('move-up', 'Move up', 'arrowup', -1, 0);
export const moveDown = arrow('move-down', 'Move down', 'arrowdown', 1, 0);
export const moveLeft = arrow('move-left', 'Move left', 'arrowleft', 0, -1);
export const moveRight = arrow('move-right', 'Move right', 'arrowright', 0, 1);

/** Transform the floating paste, else the selection's content in place (anchored top-left, clipped), else the whole grid. */
function transform(id: number, s: EditorState): EditorState {
  const g = currentGrid(s);
  if (!g) return s;
  if (s.floating) return { ...s, floating: { ...s.floating, grid: applyDihedral(s.floating.grid, id) } };
  if (s.selection) {
    const sel = s.selection;
    const block = applyDihedral(extract(g, sel), id);
    const { rows, cols } = dims(g);
    const out = stamp(fillRect(g, sel, 0), block, sel.r, sel.c);
    return { ...setCurrentGrid(s, out), selection: clipRect({ r: sel.r, c: sel.c, ...dims(block) }, rows, cols) };
  }
  const out: Grid = applyDihedral(g, id);
  const { rows, cols } = dims(out);
  return { ...setCurrentGrid(s, out), cursor: { r: Math.min(s.cursor.r, rows - 1), c: Math.min(s.cursor.c, cols - 1) } };
}

// Dihedral ids as in src-shared/puzzle/dihedral.ts: 4 flip left-right, 5 flip up-down, 3 = 90° CW, 1 = 90° CCW.
const tx = (name: string, label: string, key: string, id: number): Action => ({
  name,
  label,
  keys: [key],
  undoable: true,
  enabled: hasGrid,
  perform: (s) => transform(id, s),
});

export const flipX = tx('flip-x', 'Flip left–right', 'x', 4);
export const flipY = tx('flip-y', 'Flip up–down', 'y', 5);
export const rotateCw = tx('rotate-cw', 'Rotate 90° clockwise', 'r', 3);
export const rotateCcw = tx('rotate-ccw', 'Rotate 90° counter-clockwise', 'shift+r', 1);

export const cropToSelection: Action = {
  name: 'crop',
  label: 'Crop to selection',
  keys: ['shift+c'],
  undoable: true,
  enabled: (s) => s.selection !== null,
  perform(s) {
    const g = currentGrid(s);
    if (!g || !s.selection) return s;
    return { ...setCurrentGrid(s, extract(g, s.selection)), selection: null, cursor: { r: 0, c: 0 } };
  },
};

export const fillSelection: Action = {
  name: 'fill-selection',
  label: 'Fill selection with the colour',
  keys: ['shift+f'],
  undoable: true,
  enabled: (s) => s.selection !== null,
  perform(s) {
    const g = currentGrid(s);
    if (!g || !s.selection) return s;
    return setCurrentGrid(s, fillRect(g, s.selection, s.colour));
  },
};

export const eraseSelection: Action = {
  name: 'erase-selection',
  label: 'Erase selection (colour 0)',
  keys: ['delete', 'backspace'],
  undoable: true,
  enabled: (s) => s.selection !== null,
  perform(s) {
    const g = currentGrid(s);
    if (!g || !s.selection) return s;
    return setCurrentGrid(s, fillRect(g, s.selection, 0));
  },
};
