// The one rule for ids that come from outside (task ids in imported files and saved tasks, ids in API
// requests and on the command line). An id names files on export and appears in every view, so it
// must read the same everywhere: no path parts, no markup, nothing invisible or control-like that
// would make two ids look alike or cut one short (a NUL, a newline, a right-to-left override, a
// zero-width space).

export const MAX_ID_LENGTH = 120;

// Cc control, Cf format (zero-width, bidi overrides, BOM), Zl/Zp line and paragraph separators,
// Co private use, Cs lone surrogates, and U+FFFD (a decoding error, not a character anyone typed).
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Co}\p{Cs}\uFFFD]/u;
const RESERVED = /[/\\<>]/;

/** What is wrong with `id` as an id, or null when it is usable. */
export function idProblem(id: string): string | null {
  if (id.trim() === '') return 'is empty';
  if (id.length > MAX_ID_LENGTH) return `is ${id.length} characters long (at most ${MAX_ID_LENGTH})`;
  if (INVISIBLE.test(id)) return 'contains a control, invisible or formatting character';
  if (RESERVED.test(id)) return 'contains / \\ < or >';
  if (id === '.' || id === '..') return 'is "." or ".."';
  if (id !== id.trim()) return 'starts or ends with a space';
  return null;
}

/** An id for messages: shortened, and with anything invisible shown as \u{…} so it cannot hide. */
export function showId(id: string): string {
  const short = id.length > 60 ? `${id.slice(0, 60)}…` : id;
  const visible = short.replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Co}\p{Cs}\uFFFD"]/gu, (c) =>
    c === '"' ? '\\"' : `\\u{${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}}`,
  );
  return `"${visible}"`;
}

/** The message for an unusable id, naming what it is (e.g. "task id"). */
export function idError(what: string, id: string): string | null {
  const problem = idProblem(id);
  return problem === null ? null : `${what} ${showId(id)} ${problem}`;
}
