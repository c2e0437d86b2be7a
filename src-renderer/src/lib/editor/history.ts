// Undo/redo as a list of editor states. Only undoable actions that change the task are recorded;
// a pencil stroke (one drag) is one entry, because the strokes share a coalesce key. Undo restores
// the task, the edited grid and the selection, and keeps the user's current tool, colour and clipboard.
import type { EditorState } from './state';
import type { Action } from './actions/types';

export const HISTORY_LIMIT = 200;

export interface History {
  past: EditorState[];
  present: EditorState;
  future: EditorState[];
  coalesce: string | null;
}

export function createHistory(state: EditorState): History {
  return { past: [], present: state, future: [], coalesce: null };
}

export function apply<A>(h: History, action: Action<A>, arg: A, coalesce: string | null = null): History {
  if (action.enabled && !action.enabled(h.present)) return h;
  const next = action.perform(h.present, arg);
  if (next === h.present) return h;
  if (!action.undoable || next.task === h.present.task) return { ...h, present: next };
  if (coalesce !== null && coalesce === h.coalesce) return { ...h, present: next };
  const past = [...h.past, h.present].slice(-HISTORY_LIMIT);
  return { past, present: next, future: [], coalesce };
}

function keepChoices(restored: EditorState, current: EditorState): EditorState {
  return { ...restored, tool: current.tool, colour: current.colour, clipboard: current.clipboard, floating: null };
}

export function undo(h: History): History {
  const prev = h.past[h.past.length - 1];
  if (!prev) return h;
  return { past: h.past.slice(0, -1), present: keepChoices(prev, h.present), future: [h.present, ...h.future], coalesce: null };
}

export function redo(h: History): History {
  const next = h.future[0];
  if (!next) return h;
  return { past: [...h.past, h.present], present: keepChoices(next, h.present), future: h.future.slice(1), coalesce: null };
}

/** Replace the whole task (e.g. a task loaded from the library): a fresh history. */
export function reset(state: EditorState): History {
  return createHistory(state);
}
