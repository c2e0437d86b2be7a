// A registered editor action (the Excalidraw pattern): a name, a label for buttons and menus, the
// keys that trigger it, and a pure perform(state, arg) → state. `undoable` actions are recorded in
// the history (only when they change the task); tool and colour choices are not.
import type { EditorState } from '../state';

export interface Action<A = void> {
  name: string;
  label: string;
  /** normalised key chords, e.g. 'd', 'mod+z', 'shift+mod+z', 'arrowup' (see keyChord) */
  keys?: string[];
  undoable: boolean;
  perform(state: EditorState, arg: A): EditorState;
  /** false when the action cannot apply (the button is disabled, the key does nothing) */
  enabled?(state: EditorState): boolean;
}

// Actions have different argument types; the registry stores them without it.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyAction = Action<any>;

/** A KeyboardEvent as a chord string: modifiers in a fixed order (shift, alt, mod) then the key, lower case. */
export function keyChord(e: { key: string; ctrlKey: boolean; metaKey: boolean; altKey: boolean; shiftKey: boolean }): string {
  const parts: string[] = [];
  // Shift is part of the chord for letters and named keys, not for symbols it already changed.
  const key = e.key.toLowerCase();
  if (e.shiftKey && (e.key.length > 1 || /[a-z]/i.test(e.key))) parts.push('shift');
  if (e.altKey) parts.push('alt');
  if (e.ctrlKey || e.metaKey) parts.push('mod');
  parts.push(key === ' ' ? 'space' : key);
  return parts.join('+');
}
