// Closed outlines get their inside filled with the task's colour; open outlines (with a gap) do not.
import type { Rng } from '../../prng';
import type { Grid } from '../../puzzle/types';
import { cellAt, colsOf, makeGrid, pickColours, rectIsFree, rowsOf, setCell } from '../grid-utils';
import type { ArcContext } from './define';
import { defineArcFamily } from './define';
import { borderReachable } from './flood';

/** Draw an outline somewhere free (one empty cell away from other shapes); false if none fits. */
function placeOutline(g: Grid, rng: Rng, ctx: ArcContext, colour: number, open: boolean): boolean {
  const maxH = Math.min(rowsOf(g), 3 + ctx.difficulty);
  const maxW = Math.min(colsOf(g), 3 + ctx.difficulty);
  for (let attempt = 0; attempt < 20; attempt++) {
    const h = rng.int(3, maxH);
    const w = rng.int(3, maxW);
    const top = rng.int(0, rowsOf(g) - h);
    const left = rng.int(0, colsOf(g) - w);
    if (!rectIsFree(g, top, left, h, w, 1)) continue;
    const edge: Array<[number, number]> = [];
    for (let r = top; r < top + h; r++) {
      for (let c = left; c < left + w; c++) {
        const onRow = r === top || r === top + h - 1;
        const onCol = c === left || c === left + w - 1;
        if (!onRow && !onCol) continue;
        setCell(g, r, c, colour);
        if (onRow !== onCol) edge.push([r, c]); // a side cell, not a corner
      }
    }
    if (open) {
      const [r, c] = rng.pick(edge);
      setCell(g, r, c, 0);
    }
    return true;
  }
  return false;
}

export const fillEnclosed = defineArcFamily<{ fill: number }>({
  id: 'fill-enclosed',
  title: 'Fill enclosed areas',
  description: 'The inside of every closed outline is filled with one colour (fixed per task); open outlines stay empty.',
  needSide: 3,
  rule(rng) {
    return { fill: pickColours(rng, 1)[0] as number };
  },
  pair(rule, rng, ctx) {
    const input = makeGrid(ctx.side(rng), ctx.side(rng));
    const outlineColour = pickColours(rng, 1, [rule.fill])[0] as number;
    const closed = rng.int(1, 1 + Math.floor((ctx.difficulty - 1) / 2));
    const open = ctx.difficulty >= 3 ? rng.int(0, ctx.difficulty - 2) : 0;
    if (!placeOutline(input, rng, ctx, outlineColour, false)) return null;
    for (let i = 1; i < closed; i++) placeOutline(input, rng, ctx, outlineColour, false);
    for (let i = 0; i < open; i++) placeOutline(input, rng, ctx, outlineColour, true);
    const reached = borderReachable(input);
    const output = input.map((row, r) =>
      row.map((v, c) => (v === 0 && !(reached[r]?.[c] ?? false) ? rule.fill : cellAt(input, r, c))),
    );
    return { input, output };
  },
});
