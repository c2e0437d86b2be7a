import { describe, expect, it } from 'vitest';
import { denoise } from '../../../../src-shared/generators/arc/denoise';
import type { Grid } from '../../../../src-shared/puzzle/types';
import { allPairs, forEveryTask } from './harness';

const isolated = (g: Grid, r: number, c: number): boolean =>
  [-1, 0, 1].every((dr) => [-1, 0, 1].every((dc) => (dr === 0 && dc === 0) || (g[r + dr]?.[c + dc] ?? 0) === 0));

describe('denoise', () => {
  it('removes exactly the isolated pixels and removes at least one', () => {
    forEveryTask(denoise, (task) => {
      for (const { input, output } of allPairs(task)) {
        let removed = 0;
        const expected = input.map((row, r) => row.map((v, c) => {
          if (v !== 0 && isolated(input, r, c)) {
            removed++;
            return 0;
          }
          return v;
        }));
        expect(output).toEqual(expected);
        expect(removed).toBeGreaterThan(0);
      }
    });
  });
});
