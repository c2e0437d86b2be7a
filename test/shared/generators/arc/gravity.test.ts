import { describe, expect, it } from 'vitest';
import { gravity } from '../../../../src-shared/generators/arc/gravity';
import type { Grid } from '../../../../src-shared/puzzle/types';
import { allPairs, forEveryTask } from './harness';

/** The lines a cell can fall along, each listed from where cells come from to where they land. */
function lanes(g: Grid, direction: string): number[][] {
  const h = g.length;
  const w = g[0]?.length ?? 0;
  const cols = Array.from({ length: w }, (_, c) => g.map((row) => row[c] as number));
  switch (direction) {
    case 'down': return cols;
    case 'up': return cols.map((l) => l.slice().reverse());
    case 'right': return g.map((row) => row.slice());
    case 'left': return g.map((row) => row.slice().reverse());
    default: throw new Error(`${direction} (${h}×${w})`);
  }
}

/** True when `after` is `before` with its coloured cells packed, in order, at the landing end. */
function settled(before: number[], after: number[]): boolean {
  const cells = before.filter((v) => v !== 0);
  const expected = [...new Array<number>(before.length - cells.length).fill(0), ...cells];
  return JSON.stringify(expected) === JSON.stringify(after);
}

describe('gravity', () => {
  it('packs the coloured cells of every line against one side per task, keeping their order', () => {
    forEveryTask(gravity, (task) => {
      const fits = ['down', 'up', 'left', 'right'].filter((d) =>
        allPairs(task).every((p) => {
          const a = lanes(p.input, d);
          const b = lanes(p.output, d);
          return a.length === b.length && a.every((lane, i) => settled(lane, b[i] as number[]));
        }),
      );
      expect(fits.length).toBeGreaterThan(0);
      for (const p of allPairs(task)) expect(p.output).not.toEqual(p.input);
    });
  });
});
