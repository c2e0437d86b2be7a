// fast-check generators of puzzle data shared by the puzzle tests.
import fc from 'fast-check';
import type { Grid, Task } from '../../../src-shared/puzzle/types';

/** A grid of `rows`×`cols` colours drawn from `colours` (default 0..9). */
export function gridOf(rows: number, cols: number, colours = 10): fc.Arbitrary<Grid> {
  return fc.array(fc.array(fc.integer({ min: 0, max: colours - 1 }), { minLength: cols, maxLength: cols }), {
    minLength: rows,
    maxLength: rows,
  });
}

/** Any valid ARC grid: 1..maxSide rows and columns, colours 0..9. */
export function arcGrid(maxSide = 30): fc.Arbitrary<Grid> {
  return fc
    .tuple(fc.integer({ min: 1, max: maxSide }), fc.integer({ min: 1, max: maxSide }))
    .chain(([r, c]) => gridOf(r, c));
}

/** A small valid task; test outputs are present or absent at random. */
export function arcTask(maxSide = 6): fc.Arbitrary<Task> {
  const pair = fc.record({ input: arcGrid(maxSide), output: arcGrid(maxSide) });
  const testPair = fc.oneof(pair, fc.record({ input: arcGrid(maxSide) }));
  return fc.record({
    id: fc.stringMatching(/^[0-9a-f]{8}$/),
    train: fc.array(pair, { minLength: 1, maxLength: 4 }),
    test: fc.array(testPair, { minLength: 1, maxLength: 3 }),
  });
}
