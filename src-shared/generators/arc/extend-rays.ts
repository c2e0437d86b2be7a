// Every coloured cell shoots a ray of its colour in the task's direction, through empty cells, until
// the edge or the next coloured cell.
import type { Grid } from '../../puzzle/types';
import { cellAt, cloneGrid, colsOf, gridsEqual, makeGrid, pickColours, rowsOf, setCell, shuffledCells } from '../grid-utils';
import type { Direction } from './gravity';
import { defineArcFamily } from './define';

const STEP: Record<Direction, [number, number]> = { down: [1, 0], up: [-1, 0], left: [0, -1], right: [0, 1] };

export function extendRays(g: Grid, d: Direction): Grid {
  const out = cloneGrid(g);
  const [dr, dc] = STEP[d];
  for (let r = 0; r < rowsOf(g); r++) {
    for (let c = 0; c < colsOf(g); c++) {
      const v = cellAt(g, r, c);
      if (v === 0) continue;
      for (let rr = r + dr, cc = c + dc; cellAt(g, rr, cc, -1) === 0; rr += dr, cc += dc) setCell(out, rr, cc, v);
    }
  }
  return out;
}

export const extendRaysFamily = defineArcFamily<{ direction: Direction }>({
  id: 'extend-rays',
  title: 'Extend rays',
  description: 'Each coloured cell extends a ray in one direction (fixed per task) until it meets the edge or another cell.',
  needSide: 2,
  rule(rng) {
    return { direction: rng.pick(['down', 'up', 'left', 'right'] as const) };
  },
  pair(rule, rng, ctx) {
    const rows = ctx.side(rng);
    const cols = ctx.side(rng);
    const input = makeGrid(rows, cols);
    const colours = pickColours(rng, Math.min(9, 1 + ctx.difficulty));
    const seeds = rng.int(1, Math.max(1, Math.min(rows * cols - 1, 1 + ctx.difficulty)));
    for (const [r, c] of shuffledCells(rng, rows, cols).slice(0, seeds)) setCell(input, r, c, rng.pick(colours));
    const output = extendRays(input, rule.direction);
    return gridsEqual(input, output) ? null : { input, output };
  },
});
