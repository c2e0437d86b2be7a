import { describe, expect, it } from 'vitest';
import { idProblem, showId } from '../../../src-shared/puzzle/ids';

describe('the one id rule', () => {
  it.each([
    ['a\u0000b', /control, invisible/],
    ['a\nb', /control, invisible/],
    ['abc\u202Edef', /control, invisible/], // right-to-left override
    ['ab\u200Bc', /control, invisible/], // zero-width space
    ['<b>x</b>', /contains \/ \\ < or >/],
    ['../../x', /contains \/ \\ < or >/],
    ['..', /"\." or "\.\."/],
    ['.', /"\." or "\.\."/],
    ['x'.repeat(10_000), /10000 characters long \(at most 120\)/],
    ['', /is empty/],
    ['   ', /is empty/],
    [' padded', /starts or ends with a space/],
  ])('refuses %j', (id, message) => {
    expect(idProblem(id)).toMatch(message);
  });

  it.each(['007bbfb7', 'AboveBelow1', 'recolour-3', '__proto__', 'constructor', 'my task (2)', 'tâche-é'])('accepts %j', (id) => {
    expect(idProblem(id)).toBeNull();
  });

  it('shows invisible characters in messages instead of letting them hide or cut the id short', () => {
    expect(showId('a\u0000b\u202Ec')).toBe('"a\\u{0000}b\\u{202E}c"');
  });
});
