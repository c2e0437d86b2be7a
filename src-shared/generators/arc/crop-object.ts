// The output is the bounding box of the one object in the input. Harder tasks add noise pixels of a
// task-fixed colour the object never uses, placed outside the object's box. Outputs are smaller than
// the input, so they are exempt from minSide.
import type { Rng } from '../../prng';
import { cellAt, makeGrid, pickColours, setCell } from '../grid-utils';
import { defineArcFamily } from './define';

interface Rule {
  /** colour of the noise pixels, or null for clean inputs */
  noise: number | null;
}

/** A random 4-connected set of cells grown inside an h×w box, as [row, col] pairs. */
function growBlob(rng: Rng, h: number, w: number): Array<[number, number]> {
  const target = rng.int(Math.ceil((h * w) / 2), h * w);
  const inBlob = new Set<number>();
  const blob: Array<[number, number]> = [];
  const add = (r: number, c: number): void => {
    inBlob.add(r * w + c);
    blob.push([r, c]);
  };
  add(rng.int(0, h - 1), rng.int(0, w - 1));
  while (blob.length < target) {
    const [r, c] = rng.pick(blob);
    const [dr, dc] = rng.pick([[1, 0], [-1, 0], [0, 1], [0, -1]] as const);
    const nr = r + dr;
    const nc = c + dc;
    if (nr >= 0 && nc >= 0 && nr < h && nc < w && !inBlob.has(nr * w + nc)) add(nr, nc);
  }
  return blob;
}

export const cropObject = defineArcFamily<Rule>({
  id: 'crop-object',
  title: 'Crop the object',
  description: 'Output the bounding box of the single object, ignoring noise pixels of a fixed colour.',
  needSide: 2,
  rule(rng, ctx) {
    return { noise: ctx.difficulty >= 3 ? (pickColours(rng, 1)[0] as number) : null };
  },
  pair(rule, rng, ctx) {
    const rows = ctx.side(rng);
    const cols = ctx.side(rng);
    const blob = growBlob(rng, rng.int(1, Math.max(1, rows - 1)), rng.int(1, Math.max(1, cols - 1)));
    const top0 = Math.min(...blob.map(([r]) => r));
    const left0 = Math.min(...blob.map(([, c]) => c));
    const h = Math.max(...blob.map(([r]) => r)) - top0 + 1;
    const w = Math.max(...blob.map(([, c]) => c)) - left0 + 1;
    if (h === rows && w === cols) return null;
    const objectColours = pickColours(rng, ctx.difficulty >= 2 ? rng.int(1, 3) : 1, rule.noise === null ? [] : [rule.noise]);
    const top = rng.int(0, rows - h);
    const left = rng.int(0, cols - w);
    const input = makeGrid(rows, cols);
    const output = makeGrid(h, w);
    for (const [r, c] of blob) {
      const colour = rng.pick(objectColours);
      setCell(input, top + r - top0, left + c - left0, colour);
      setCell(output, r - top0, c - left0, colour);
    }
    if (rule.noise !== null) {
      const pixels = rng.int(1, ctx.difficulty);
      for (let i = 0; i < pixels; i++) {
        const r = rng.int(0, rows - 1);
        const c = rng.int(0, cols - 1);
        const insideBox = r >= top && r < top + h && c >= left && c < left + w;
        if (!insideBox && cellAt(input, r, c) === 0) setCell(input, r, c, rule.noise);
      }
    }
    return { input, output };
  },
});
