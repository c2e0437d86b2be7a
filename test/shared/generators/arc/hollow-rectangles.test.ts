import { describe, expect, it } from 'vitest';
import { hollowRectangles } from '../../../../src-shared/generators/arc/hollow-rectangles';
import type { Grid } from '../../../../src-shared/puzzle/types';
import { allPairs, forEveryTask } from './harness';

/** A coloured cell all of whose eight neighbours exist and share its colour. */
const inside = (g: Grid, r: number, c: number): boolean =>
  g[r]?.[c] !== 0 && [-1, 0, 1].every((dr) => [-1, 0, 1].every((dc) => g[r + dr]?.[c + dc] === g[r]?.[c]));

describe('hollow-rectangles', () => {
  it('repaints exactly the inside cells of solid shapes, with one colour per task', () => {
    forEveryTask(hollowRectangles, (task) => {
      const paints = new Set<number>();
      for (const { input, output } of allPairs(task)) {
        let insides = 0;
        input.forEach((row, r) => row.forEach((v, c) => {
          if (inside(input, r, c)) {
            insides++;
            paints.add(output[r]?.[c] as number);
          } else expect(output[r]?.[c]).toBe(v);
        }));
        expect(insides).toBeGreaterThan(0);
      }
      expect(paints.size).toBe(1);
    });
  });
});
