// Choosing a tool or a colour: not recorded in the history (undo restores edits, not choices).
import { ARC_COLOUR_NAMES } from '../../../../../src-shared/puzzle/palette';
import type { Tool } from '../state';
import type { Action } from './types';

const tool = (name: string, t: Tool, label: string, key: string): Action => ({
  name,
  label,
  keys: [key],
  undoable: false,
  perform: (s) => ({ ...s, tool: t }),
});

export const toolPencil = tool('tool-pencil', 'pencil', 'Pencil', 'd');
export const toolFill = tool('tool-fill', 'fill', 'Flood fill', 'f');
export const toolSelect = tool('tool-select', 'select', 'Select', 's');

export const colourActions: Action[] = ARC_COLOUR_NAMES.map((name, k) => ({
  name: `colour-${k}`,
  label: `Colour ${k} (${name})`,
  keys: [String(k)],
  undoable: false,
  perform: (s) => ({ ...s, colour: k }),
}));
