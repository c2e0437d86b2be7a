// Every cell becomes a k×k block; k is fixed per task.
import type { Grid } from '../../puzzle/types';
import { cellAt, colsOf, makeGrid, pickColours, randomGrid, rowsOf, setCell } from '../grid-utils';
import { defineArcFamily, grownSide } from './define';

export function scale(g: Grid, k: number): Grid {
  const out = makeGrid(rowsOf(g) * k, colsOf(g) * k);
  for (let r = 0; r < rowsOf(out); r++) {
    for (let c = 0; c < colsOf(out); c++) setCell(out, r, c, cellAt(g, Math.floor(r / k), Math.floor(c / k)));
  }
  return out;
}

export const scaleUp = defineArcFamily<{ k: number }>({
  id: 'scale-up',
  title: 'Scale up',
  description: 'Every cell becomes a k×k block (k fixed per task).',
  needSide: 2,
  rule(rng, ctx) {
    const fitting = [2, 3, 4].filter((k) => k <= ctx.maxSide);
    // Prefer factors that keep the input at least minSide; otherwise the smallest one that fits.
    const roomy = fitting.filter((k) => Math.floor(ctx.maxSide / k) >= ctx.minSide);
    return { k: roomy.length > 0 ? rng.pick(roomy) : (fitting[0] as number) };
  },
  pair(rule, rng, ctx) {
    const colours = pickColours(rng, Math.min(9, 1 + ctx.difficulty));
    const input = randomGrid(rng, grownSide(rng, ctx, rule.k), grownSide(rng, ctx, rule.k), 0.5, colours);
    return { input, output: scale(input, rule.k) };
  },
});
