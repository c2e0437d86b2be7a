// The action registry: every action the editor offers, looked up by name or by key chord.
import { fill, paint, applyAtCursor } from './paint';
import { addPair, deletePair, focus } from './pairs';
import { clear, copyInputToOutput, resize } from './grid';
import {
  acceptPaste,
  copy,
  cropToSelection,
  deselect,
  eraseSelection,
  fillSelection,
  flipX,
  flipY,
  moveDown,
  moveLeft,
  moveRight,
  moveUp,
  paste,
  placeFloating,
  rotateCcw,
  rotateCw,
  select,
  selectAll,
} from './selection';
import { colourActions, toolFill, toolPencil, toolSelect } from './tools';
import type { AnyAction } from './types';

export * from './types';
export { paint, fill, applyAtCursor, addPair, deletePair, focus, clear, copyInputToOutput, resize };
export { acceptPaste, copy, cropToSelection, deselect, eraseSelection, fillSelection, flipX, flipY };
export { moveDown, moveLeft, moveRight, moveUp, paste, placeFloating, rotateCcw, rotateCw, select, selectAll };
export { colourActions, toolFill, toolPencil, toolSelect };

export const ACTIONS: readonly AnyAction[] = [
  toolPencil,
  toolFill,
  toolSelect,
  ...colourActions,
  paint,
  fill,
  applyAtCursor,
  select,
  selectAll,
  deselect,
  copy,
  paste,
  acceptPaste,
  placeFloating,
  moveUp,
  moveDown,
  moveLeft,
  moveRight,
  flipX,
  flipY,
  rotateCw,
  rotateCcw,
  cropToSelection,
  fillSelection,
  eraseSelection,
  resize,
  copyInputToOutput,
  clear,
  focus,
  addPair,
  deletePair,
];

const byName = new Map(ACTIONS.map((a) => [a.name, a]));
const byKey = new Map<string, AnyAction>();
for (const a of ACTIONS) for (const k of a.keys ?? []) {
  if (byKey.has(k)) throw new Error(`key ${k} is bound twice (${byKey.get(k)?.name}, ${a.name})`);
  byKey.set(k, a);
}

export function actionByName(name: string): AnyAction {
  const a = byName.get(name);
  if (!a) throw new Error(`no editor action named ${name}`);
  return a;
}

export function actionForChord(chord: string): AnyAction | undefined {
  return byKey.get(chord);
}

/** Undo and redo act on the history, not on a state; their chords live here with the others. */
export const UNDO_KEYS = ['mod+z'];
export const REDO_KEYS = ['shift+mod+z', 'mod+y'];
