import { describe, expect, it } from 'vitest';
import { extendRaysFamily } from '../../../../src-shared/generators/arc/extend-rays';
import type { Grid } from '../../../../src-shared/puzzle/types';
import { allPairs, forEveryTask } from './harness';

/** Scan each row left to right: empty cells take the colour of the last coloured cell seen. */
function rayRight(g: Grid): Grid {
  return g.map((row) => {
    let colour = 0;
    return row.map((v) => (v !== 0 ? (colour = v) : colour));
  });
}
const mirror = (g: Grid): Grid => g.map((row) => row.slice().reverse());
const transpose = (g: Grid): Grid => (g[0] ?? []).map((_, c) => g.map((row) => row[c] as number));

const RAYS: Record<string, (g: Grid) => Grid> = {
  right: rayRight,
  left: (g) => mirror(rayRight(mirror(g))),
  down: (g) => transpose(rayRight(transpose(g))),
  up: (g) => transpose(mirror(rayRight(mirror(transpose(g))))),
};

describe('extend-rays', () => {
  it('extends every coloured cell in one direction per task until the edge or the next cell', () => {
    forEveryTask(extendRaysFamily, (task) => {
      const fitting = Object.entries(RAYS).filter(([, ray]) =>
        allPairs(task).every((p) => JSON.stringify(ray(p.input)) === JSON.stringify(p.output)),
      );
      expect(fitting.length).toBeGreaterThan(0);
      for (const p of allPairs(task)) expect(p.output).not.toEqual(p.input);
    });
  });
});
