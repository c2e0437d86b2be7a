// A small pattern is tiled a×b times; in mirror tasks every other tile is flipped.
import type { Grid } from '../../puzzle/types';
import { cellAt, colsOf, makeGrid, pickColours, randomGrid, rowsOf, setCell } from '../grid-utils';
import { defineArcFamily, grownSide } from './define';

interface Rule {
  down: number;
  across: number;
  mirror: boolean;
}

export function tile(g: Grid, down: number, across: number, mirror: boolean): Grid {
  const h = rowsOf(g);
  const w = colsOf(g);
  const out = makeGrid(h * down, w * across);
  for (let r = 0; r < h * down; r++) {
    for (let c = 0; c < w * across; c++) {
      const tr = Math.floor(r / h);
      const tc = Math.floor(c / w);
      const sr = mirror && tr % 2 === 1 ? h - 1 - (r % h) : r % h;
      const sc = mirror && tc % 2 === 1 ? w - 1 - (c % w) : c % w;
      setCell(out, r, c, cellAt(g, sr, sc));
    }
  }
  return out;
}

export const tilePattern = defineArcFamily<Rule>({
  id: 'tile-pattern',
  title: 'Tile a pattern',
  description: 'The input is repeated a×b times (a, b and plain or mirrored tiling fixed per task).',
  needSide: 2,
  rule(rng, ctx) {
    const fits = (f: number): boolean => Math.floor(ctx.maxSide / f) >= ctx.minSide;
    const factors = [1, 2, 3].filter((f) => f <= ctx.maxSide);
    // Prefer repeats that leave the input at least minSide; fall back to any that fit at all.
    const pool = factors.filter(fits).length > 1 ? factors.filter(fits) : factors;
    let down = rng.pick(pool);
    let across = rng.pick(pool);
    if (down === 1 && across === 1) {
      if (rng.chance(0.5)) down = 2;
      else across = 2;
    }
    return { down, across, mirror: ctx.difficulty >= 3 && rng.chance(0.5) };
  },
  pair(rule, rng, ctx) {
    const colours = pickColours(rng, Math.min(9, 1 + ctx.difficulty));
    const input = randomGrid(rng, grownSide(rng, ctx, rule.down), grownSide(rng, ctx, rule.across), 0.6, colours);
    return { input, output: tile(input, rule.down, rule.across, rule.mirror) };
  },
});
