// Zoom to fit: the largest cell size at which the task's largest grid fits its slot in the editor
// (demonstrations and tests side by side, input and output side by side in each) and the window's
// height, so a 30×30 grid is whole on screen at 1440×900.

export const MIN_CELL = 6;
export const MAX_CELL = 48;

export interface FitArea {
  /** width of the editor's grid area (px) */
  width: number;
  /** height available below the top of the grid area (px) */
  height: number;
  maxRows: number;
  maxCols: number;
  /** grid slots across the area: 4 with demonstrations and tests side by side, 2 for one pair */
  across: number;
}

/** Space per slot taken by the grid's caption, the arrow between input and output, paddings. */
const SLOT_X = 34;
const SLOT_Y = 58;

export function fitCellSize(a: FitArea): number {
  if (a.width <= 0 || a.height <= 0 || a.maxRows <= 0 || a.maxCols <= 0) return 28;
  const w = a.width / Math.max(1, a.across) - SLOT_X;
  const h = a.height - SLOT_Y;
  return Math.max(MIN_CELL, Math.min(MAX_CELL, Math.floor(Math.min(w / a.maxCols, h / a.maxRows))));
}

/** Rows/Cols as typed: a whole number 1..max, or the message to show beside the field. */
export function sideError(text: string, what: 'Rows' | 'Cols', max: number): string | null {
  const t = text.trim();
  if (t === '') return `${what}: enter a number from 1 to ${max}`;
  const n = Number(t);
  if (!Number.isInteger(n)) return `${what}: ${t} is not a whole number`;
  if (n < 1 || n > max) return `${what}: ${n} is outside 1–${max}`;
  return null;
}
