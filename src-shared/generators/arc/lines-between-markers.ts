// Two markers of the same colour on one row (or column, per task) are joined by a line.
import { makeGrid, pickColours, setCell, transformGrid } from '../grid-utils';
import { defineArcFamily } from './define';

interface Rule {
  along: 'row' | 'column';
  /** the line's colour, or null when the line takes its markers' colour */
  line: number | null;
}

export const linesBetweenMarkers = defineArcFamily<Rule>({
  id: 'lines-between-markers',
  title: 'Lines between markers',
  description:
    'Two same-coloured markers on one row (or column, per task) are joined by a line in their colour or a fixed colour.',
  needSide: 3,
  rule(rng) {
    return {
      along: rng.chance(0.5) ? 'row' : 'column',
      line: rng.chance(0.5) ? null : (pickColours(rng, 1)[0] as number),
    };
  },
  pair(rule, rng, ctx) {
    // Built along rows, then transposed for column tasks.
    const rows = ctx.side(rng);
    const cols = ctx.side(rng);
    const input = makeGrid(rows, cols);
    const output = makeGrid(rows, cols);
    const order = rng.permutation(rows);
    const joined = rng.int(1, Math.min(rows, 1 + Math.floor(ctx.difficulty / 2)));
    const markerColours = rule.line === null ? [1, 2, 3, 4, 5, 6, 7, 8, 9] : pickColours(rng, 8, [rule.line]);
    for (const r of order.slice(0, joined)) {
      const colour = rng.pick(markerColours);
      const a = rng.int(0, cols - 3);
      const b = rng.int(a + 2, cols - 1);
      for (const c of [a, b]) {
        setCell(input, r, c, colour);
        setCell(output, r, c, colour);
      }
      for (let c = a + 1; c < b; c++) setCell(output, r, c, rule.line ?? colour);
    }
    // Distractors: a lone marker, or (harder) two markers of different colours, are not joined.
    const distractors = Math.min(rows - joined, ctx.difficulty - 1);
    for (const r of order.slice(joined, joined + distractors)) {
      const [first, second] = pickColours(rng, 2);
      const cs = rng.permutation(cols);
      const placed: Array<[number, number]> = [[cs[0] as number, first as number]];
      if (ctx.difficulty >= 4 && rng.chance(0.5)) placed.push([cs[1] as number, second as number]);
      for (const [c, colour] of placed) {
        setCell(input, r, c, colour);
        setCell(output, r, c, colour);
      }
    }
    if (rule.along === 'row') return { input, output };
    return { input: transformGrid(input, 'transpose'), output: transformGrid(output, 'transpose') };
  },
});
