// Coloured cells fall in one direction per task until they rest against the edge or other cells.
import type { Grid } from '../../puzzle/types';
import { colsOf, gridsEqual, makeGrid, pickColours, randomGrid, rowsOf, transformGrid } from '../grid-utils';
import { defineArcFamily } from './define';

export type Direction = 'down' | 'up' | 'left' | 'right';
const DIRECTIONS: readonly Direction[] = ['down', 'up', 'left', 'right'];

/** Let every non-zero cell fall down, keeping the order within each column. */
function fallDown(g: Grid): Grid {
  const out = makeGrid(rowsOf(g), colsOf(g));
  for (let c = 0; c < colsOf(g); c++) {
    let dest = rowsOf(g) - 1;
    for (let r = rowsOf(g) - 1; r >= 0; r--) {
      const v = g[r]?.[c] ?? 0;
      if (v !== 0) (out[dest--] as number[])[c] = v;
    }
  }
  return out;
}

// Turning the grid so that the direction points down, falling, and turning back.
const TO_DOWN = { down: 'identity', up: 'rot180', left: 'rot270', right: 'rot90' } as const;
const FROM_DOWN = { down: 'identity', up: 'rot180', left: 'rot90', right: 'rot270' } as const;

export function applyGravity(g: Grid, d: Direction): Grid {
  return transformGrid(fallDown(transformGrid(g, TO_DOWN[d])), FROM_DOWN[d]);
}

export const gravity = defineArcFamily<{ direction: Direction }>({
  id: 'gravity',
  title: 'Gravity',
  description: 'Coloured cells fall towards one side (fixed per task) and pile up there.',
  needSide: 2,
  rule(rng) {
    return { direction: rng.pick(DIRECTIONS) };
  },
  pair(rule, rng, ctx) {
    const colours = pickColours(rng, Math.min(9, ctx.difficulty + 1));
    const density = 0.15 + 0.06 * ctx.difficulty * rng.float();
    const input = randomGrid(rng, ctx.side(rng), ctx.side(rng), density, colours);
    const output = applyGravity(input, rule.direction);
    return gridsEqual(input, output) ? null : { input, output };
  },
});
