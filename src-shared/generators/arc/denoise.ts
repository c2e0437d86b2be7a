// Rectangles (two or more cells) survive; isolated pixels, with no coloured cell among their eight
// neighbours, are noise and get removed.
import { cellAt, cloneGrid, colsOf, makeGrid, pickColours, rectIsFree, rowsOf, setCell, shuffledCells } from '../grid-utils';
import { defineArcFamily } from './define';
import { hasColouredNeighbour } from './isolated';

interface Rule {
  /** noise colour, or null when noise takes any colour (harder: colour gives nothing away) */
  noise: number | null;
}

export const denoise = defineArcFamily<Rule>({
  id: 'denoise',
  title: 'Remove noise',
  description: 'Remove isolated pixels (no coloured neighbour, diagonals included); keep the larger shapes.',
  needSide: 3,
  rule(rng, ctx) {
    return { noise: ctx.difficulty <= 2 ? (pickColours(rng, 1)[0] as number) : null };
  },
  pair(rule, rng, ctx) {
    const rows = ctx.side(rng);
    const cols = ctx.side(rng);
    const output = makeGrid(rows, cols);
    const shapes = rng.int(1, 1 + Math.floor(ctx.difficulty / 2));
    for (let i = 0, tries = 0; i < shapes && tries < 30; tries++) {
      const h = rng.int(1, Math.min(rows - 1, 2 + ctx.difficulty));
      const w = rng.int(h === 1 ? 2 : 1, Math.min(cols - 1, 2 + ctx.difficulty));
      const top = rng.int(0, rows - h);
      const left = rng.int(0, cols - w);
      if (!rectIsFree(output, top, left, h, w, 1)) continue;
      const colour = pickColours(rng, 1, rule.noise === null ? [] : [rule.noise])[0] as number;
      for (let r = top; r < top + h; r++) for (let c = left; c < left + w; c++) setCell(output, r, c, colour);
      i++;
    }
    const input = cloneGrid(output);
    const wanted = rng.int(1, 1 + ctx.difficulty);
    let placed = 0;
    for (const [r, c] of shuffledCells(rng, rowsOf(input), colsOf(input))) {
      if (placed === wanted) break;
      if (cellAt(input, r, c) !== 0 || hasColouredNeighbour(input, r, c)) continue;
      setCell(input, r, c, rule.noise ?? (pickColours(rng, 1)[0] as number));
      placed++;
    }
    return placed === 0 ? null : { input, output };
  },
});
