// Runs a check over every pair of tasks generated with random (valid) parameters.
import fc from 'fast-check';
import type { Family, FamilyParams } from '../../../../src-shared/generators/family';
import type { Grid, Pair, Task } from '../../../../src-shared/puzzle/types';

export const paramsArb: fc.Arbitrary<FamilyParams> = fc
  .record({
    minSide: fc.integer({ min: 1, max: 12 }),
    span: fc.integer({ min: 0, max: 18 }),
    difficulty: fc.integer({ min: 1, max: 5 }),
    seed: fc.integer({ min: 0, max: 0xffffff }),
    trainPairs: fc.integer({ min: 1, max: 4 }),
  })
  .map(({ minSide, span, difficulty, seed, trainPairs }) => ({
    count: 2,
    minSide,
    maxSide: Math.max(3, Math.min(30, minSide + span)),
    difficulty,
    seed,
    trainPairs,
  }));

/** Every pair of a task, test pair included (it always carries its output here). */
export function allPairs(task: Task): Pair[] {
  return [...task.train, ...task.test.map((t) => {
    if (t.output === undefined) throw new Error(`${task.id}: test pair without output`);
    return { input: t.input, output: t.output };
  })];
}

/** Check every task of a family over many random parameter sets. */
export function forEveryTask(family: Family, check: (task: Task, p: FamilyParams) => void, numRuns = 40): void {
  fc.assert(
    fc.property(paramsArb, (p) => {
      for (const task of family.generate(p)) check(task, p);
    }),
    { numRuns },
  );
}

export const dims = (g: Grid): [number, number] => [g.length, g[0]?.length ?? 0];

export function colourSet(g: Grid): Set<number> {
  return new Set(g.flat());
}

export function get(g: Grid, r: number, c: number): number {
  const v = g[r]?.[c];
  if (v === undefined) throw new Error(`cell (${r}, ${c}) is outside the grid`);
  return v;
}
