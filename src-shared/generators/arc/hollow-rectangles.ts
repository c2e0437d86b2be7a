// Solid rectangles lose their inside: every cell whose eight neighbours share its colour becomes the
// task's colour (0 = hollow). Thin bars, which have no inside, are left as they are.
import { cellAt, cloneGrid, makeGrid, pickColours, rectIsFree, setCell } from '../grid-utils';
import { defineArcFamily } from './define';

export const hollowRectangles = defineArcFamily<{ inside: number }>({
  id: 'hollow-rectangles',
  title: 'Hollow rectangles',
  description: 'The inside of every solid rectangle is emptied (or painted a fixed colour per task).',
  needSide: 3,
  rule(rng) {
    return { inside: rng.chance(0.5) ? 0 : (pickColours(rng, 1)[0] as number) };
  },
  pair(rule, rng, ctx) {
    const rows = ctx.side(rng);
    const cols = ctx.side(rng);
    const input = makeGrid(rows, cols);
    const solid = rng.int(1, 1 + Math.floor(ctx.difficulty / 2));
    const bars = ctx.difficulty >= 3 ? rng.int(1, ctx.difficulty - 1) : 0;
    let hollowed = 0;
    for (let i = 0, tries = 0; i < solid + bars && tries < 40; tries++) {
      const isBar = i >= solid;
      const maxH = Math.min(rows, 3 + ctx.difficulty);
      const maxW = Math.min(cols, 3 + ctx.difficulty);
      let h = rng.int(isBar ? 1 : 3, isBar ? 2 : maxH);
      let w = rng.int(isBar ? 2 : 3, maxW);
      if (isBar && rng.chance(0.5)) [h, w] = [Math.min(w, rows), Math.min(h, cols)];
      const top = rng.int(0, rows - h);
      const left = rng.int(0, cols - w);
      if (!rectIsFree(input, top, left, h, w, 1)) continue;
      const colour = pickColours(rng, 1, [rule.inside])[0] as number;
      for (let r = top; r < top + h; r++) for (let c = left; c < left + w; c++) setCell(input, r, c, colour);
      if (!isBar) hollowed++;
      i++;
    }
    if (hollowed === 0) return null;
    const output = cloneGrid(input);
    input.forEach((row, r) =>
      row.forEach((v, c) => {
        if (v === 0) return;
        for (let dr = -1; dr <= 1; dr++) {
          for (let dc = -1; dc <= 1; dc++) if (cellAt(input, r + dr, c + dc, -1) !== v) return;
        }
        setCell(output, r, c, rule.inside);
      }),
    );
    return { input, output };
  },
});
