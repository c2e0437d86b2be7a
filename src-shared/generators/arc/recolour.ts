// Each task maps some colours to others (a→b) and leaves the rest alone.
import { cellAt, makeGrid, pickColours, setCell, shuffledCells } from '../grid-utils';
import { defineArcFamily } from './define';

interface Rule {
  map: Map<number, number>;
  /** every non-background colour an input uses: the sources and the unchanged distractors */
  palette: number[];
}

export const recolour = defineArcFamily<Rule>({
  id: 'recolour',
  title: 'Recolour',
  description: 'Every cell of one colour becomes another colour; the mapping is fixed per task.',
  needSide: 3,
  rule(rng, ctx) {
    const sources = 1 + Math.floor((ctx.difficulty - 1) / 2);
    const distractors = Math.floor(ctx.difficulty / 2);
    const colours = pickColours(rng, sources * 2 + distractors);
    const map = new Map<number, number>();
    for (let i = 0; i < sources; i++) map.set(colours[i] as number, colours[sources + i] as number);
    return { map, palette: [...colours.slice(0, sources), ...colours.slice(2 * sources)] };
  },
  pair(rule, rng, ctx) {
    const rows = ctx.side(rng);
    const cols = ctx.side(rng);
    const input = makeGrid(rows, cols);
    const cells = shuffledCells(rng, rows, cols);
    // Every palette colour appears in every pair, so a single demonstration shows the whole mapping.
    rule.palette.forEach((colour, i) => {
      const [r, c] = cells[i] as [number, number];
      setCell(input, r, c, colour);
    });
    const density = 0.2 + 0.4 * rng.float();
    // The last shuffled cell stays background, so every pair also shows that colour 0 is kept.
    for (const [r, c] of cells.slice(rule.palette.length, -1)) {
      if (rng.chance(density)) setCell(input, r, c, rng.pick(rule.palette));
    }
    const output = input.map((row, r) => row.map((_, c) => {
      const v = cellAt(input, r, c);
      return rule.map.get(v) ?? v;
    }));
    return { input, output };
  },
});
