import { describe, expect, it } from 'vitest';
import { FAMILIES, generateTasks, getFamily } from '../../../src-shared/generators/index';
import type { FamilyParams } from '../../../src-shared/generators/family';
import type { Grid, Task } from '../../../src-shared/puzzle/types';

const ARC = FAMILIES.filter((f) => f.info.kind === 'arc');

function expectWellFormedGrid(g: Grid, where: string): void {
  expect(g.length, where).toBeGreaterThanOrEqual(1);
  expect(g.length, where).toBeLessThanOrEqual(30);
  const w = g[0]?.length ?? 0;
  expect(w, where).toBeGreaterThanOrEqual(1);
  expect(w, where).toBeLessThanOrEqual(30);
  for (const row of g) {
    expect(row.length, where).toBe(w);
    for (const v of row) expect(Number.isInteger(v) && v >= 0 && v <= 9, `${where}: colour ${v}`).toBe(true);
  }
}

function grids(task: Task): Array<{ grid: Grid; isInput: boolean; where: string }> {
  return [
    ...task.train.flatMap((p, i) => [
      { grid: p.input, isInput: true, where: `${task.id} train ${i} input` },
      { grid: p.output, isInput: false, where: `${task.id} train ${i} output` },
    ]),
    ...task.test.flatMap((p, i) => [
      { grid: p.input, isInput: true, where: `${task.id} test ${i} input` },
      ...(p.output === undefined ? [] : [{ grid: p.output, isInput: false, where: `${task.id} test ${i} output` }]),
    ]),
  ];
}

describe('the family registry', () => {
  it('holds at least ten ARC families plus nqueens and sudoku, with unique ids', () => {
    expect(ARC.length).toBeGreaterThanOrEqual(10);
    expect(FAMILIES.find((f) => f.info.id === 'nqueens')?.info.kind).toBe('nqueens');
    expect(FAMILIES.find((f) => f.info.id === 'sudoku')?.info.kind).toBe('sudoku');
    expect(new Set(FAMILIES.map((f) => f.info.id)).size).toBe(FAMILIES.length);
  });

  it('finds a family by id and names the known ones for an unknown id', () => {
    expect(getFamily('gravity').info.id).toBe('gravity');
    expect(() => getFamily('nope')).toThrow(/^unknown puzzle family "nope"; known: recolour, flip-rotate, .*sudoku$/);
  });

  it('produces tasks from its defaults for every family', () => {
    for (const f of FAMILIES) {
      const small = { ...f.defaults, count: Math.min(f.defaults.count, 2) };
      expect(generateTasks(f.info.id, small).length).toBeGreaterThan(0);
    }
  });
});

describe.each(ARC.map((f) => [f.info.id, f] as const))('ARC family %s', (id, family) => {
  const combos: FamilyParams[] = [
    { count: 4, minSide: 3, maxSide: 6, difficulty: 1, seed: 11 },
    { count: 4, minSide: 3, maxSide: 6, difficulty: 5, seed: 12, trainPairs: 2 },
    { count: 3, minSide: 3, maxSide: 3, difficulty: 3, seed: 13 },
    { count: 3, minSide: 5, maxSide: 12, difficulty: 3, seed: 14, trainPairs: 4 },
    { count: 2, minSide: 10, maxSide: 30, difficulty: 5, seed: 15 },
    { count: 2, minSide: 1, maxSide: 10, difficulty: 2, seed: 16, trainPairs: 1 },
  ];

  it.each(combos)('makes well-formed tasks within the side bounds for %o', (p) => {
    const tasks = family.generate(p);
    expect(tasks.map((t) => t.id)).toEqual(tasks.map((_, i) => `${id}-s${p.seed}-${i}`));
    for (const task of tasks) {
      expect(task.train.length).toBe(p.trainPairs ?? 3);
      expect(task.test.length).toBe(1);
      expect(task.test[0]?.output).toBeDefined();
      for (const { grid, isInput, where } of grids(task)) {
        expectWellFormedGrid(grid, where);
        expect(Math.max(grid.length, grid[0]?.length ?? 0), where).toBeLessThanOrEqual(p.maxSide);
        // Rules that grow the grid may shrink the input below minSide only when the output needs it.
        if (isInput && p.maxSide >= 2 * p.minSide) {
          expect(Math.min(grid.length, grid[0]?.length ?? 0), where).toBeGreaterThanOrEqual(p.minSide);
        }
      }
    }
  });

  it('is deterministic per seed and varies with the seed', () => {
    const p = { count: 3, minSide: 4, maxSide: 9, difficulty: 3, seed: 99 };
    expect(family.generate(p)).toEqual(family.generate(p));
    const other = family.generate({ ...p, seed: 100 });
    expect(other.map((t) => t.train)).not.toEqual(family.generate(p).map((t) => t.train));
  });

  it('rejects bad parameters with a message naming the family', () => {
    expect(() => family.generate({ count: 1, minSide: 8, maxSide: 4, difficulty: 1, seed: 1 })).toThrow(
      `puzzle family "${id}": minSide (8) is greater than maxSide (4)`,
    );
    expect(() => family.generate({ count: 0, minSide: 3, maxSide: 4, difficulty: 1, seed: 1 })).toThrow(`"${id}": count`);
  });
});

describe('ARC families on grids too small for the rule', () => {
  it('say what they need rather than breaking the bounds', () => {
    expect(() => generateTasks('fill-enclosed', { count: 1, minSide: 1, maxSide: 2, difficulty: 1, seed: 1 })).toThrow(
      'puzzle family "fill-enclosed" needs grids of at least 3×3; maxSide is 2',
    );
  });
});

describe('the nqueens and sudoku families', () => {
  it('map count, maxSide and seed onto one dataset task', () => {
    const [queens] = generateTasks('nqueens', { count: 10, minSide: 3, maxSide: 6, difficulty: 1, seed: 4 });
    expect(queens?.id).toBe('nqueens-6');
    expect(queens?.train.length).toBe(10);
    expect(queens?.test.length).toBe(3);
    expect(queens?.train[0]?.input.length).toBe(6);
    const [sudoku] = generateTasks('sudoku', { count: 2, minSide: 3, maxSide: 10, difficulty: 2, seed: 4 });
    expect(sudoku?.id).toBe('sudoku-d2');
    expect(sudoku?.train.length).toBe(2);
    expect(sudoku?.test.length).toBe(1);
  });

  it('refuse side bounds that exclude their board size', () => {
    expect(() => generateTasks('sudoku', { count: 2, minSide: 3, maxSide: 6, difficulty: 2, seed: 4 })).toThrow(
      'grids are 9×9, but minSide..maxSide is 3..6',
    );
    expect(() => generateTasks('nqueens', { count: 2, minSide: 3, maxSide: 3, difficulty: 2, seed: 4 })).toThrow(
      'no 3-queens solution exists',
    );
  });
});
