// The output is a bar whose length is the number of cells of the task's colour in the input.
// The bar is 1 cell thick, so outputs are exempt from minSide (the rule needs it).
import { makeGrid, pickColours, setCell, shuffledCells } from '../grid-utils';
import { defineArcFamily } from './define';

interface Rule {
  colour: number;
  distractors: number[];
  orientation: 'horizontal' | 'vertical';
}

export const countToBar = defineArcFamily<Rule>({
  id: 'count-to-bar',
  title: 'Count to a bar',
  description: 'Count the cells of one colour; answer with a bar that many cells long (colour and direction per task).',
  needSide: 2,
  rule(rng, ctx) {
    const [colour, ...distractors] = pickColours(rng, ctx.difficulty);
    return {
      colour: colour as number,
      distractors,
      orientation: rng.chance(0.5) ? 'horizontal' : 'vertical',
    };
  },
  pair(rule, rng, ctx) {
    const rows = ctx.side(rng);
    const cols = ctx.side(rng);
    const cells = shuffledCells(rng, rows, cols);
    const most = Math.max(1, Math.min(ctx.maxSide, Math.floor((rows * cols) / 2), 2 + 2 * ctx.difficulty));
    const n = rng.int(1, most);
    const noise = rule.distractors.length === 0 ? 0 : rng.int(0, Math.min(cells.length - n, n + ctx.difficulty));
    const input = makeGrid(rows, cols);
    cells.slice(0, n).forEach(([r, c]) => setCell(input, r, c, rule.colour));
    cells.slice(n, n + noise).forEach(([r, c]) => setCell(input, r, c, rng.pick(rule.distractors)));
    const output = rule.orientation === 'horizontal' ? makeGrid(1, n, rule.colour) : makeGrid(n, 1, rule.colour);
    return { input, output };
  },
});
