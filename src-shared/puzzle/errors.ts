// Errors for bad puzzle data. Every message names where the problem is (file, task, pair, cell) before
// saying what it is, so a user with a 4 MB file can find the one broken cell.

/** Where in the input a problem was found; each part is optional because errors arise at every level. */
export interface ErrorLocation {
  file?: string;
  taskId?: string;
  /** A path inside the task, e.g. "train[2].input" or "solutions[1]". */
  pair?: string;
  /** [row, column] of the offending cell. */
  cell?: [number, number];
}

/** "tasks.json › task 007bbfb7 › train[2].output › cell (3,4)". Empty when nothing is known. */
export function formatLocation(loc: ErrorLocation): string {
  const parts: string[] = [];
  if (loc.file !== undefined) parts.push(loc.file);
  if (loc.taskId !== undefined) parts.push(`task ${loc.taskId}`);
  if (loc.pair !== undefined) parts.push(loc.pair);
  if (loc.cell !== undefined) parts.push(`cell (${loc.cell[0]},${loc.cell[1]})`);
  return parts.join(' › ');
}

/** A defect in puzzle data: `location` says where, `detail` says what. */
export class PuzzleFormatError extends Error {
  readonly location: ErrorLocation;
  readonly detail: string;

  constructor(location: ErrorLocation, detail: string) {
    const where = formatLocation(location);
    super(where === '' ? detail : `${where}: ${detail}`);
    this.name = 'PuzzleFormatError';
    this.location = { ...location };
    this.detail = detail;
  }
}

/** A short, bounded rendering of an offending JSON value for messages. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'string': {
      const s = value.length > 20 ? `${value.slice(0, 20)}…` : value;
      return `the string ${JSON.stringify(s)}`;
    }
    case 'number':
    case 'boolean':
      return String(value);
    case 'object':
      return 'an object';
    default:
      return typeof value;
  }
}
