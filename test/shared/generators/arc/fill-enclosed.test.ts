import { describe, expect, it } from 'vitest';
import { fillEnclosed } from '../../../../src-shared/generators/arc/fill-enclosed';
import type { Grid } from '../../../../src-shared/puzzle/types';
import { allPairs, forEveryTask, get } from './harness';

/** Empty cells that cannot reach the edge through empty cells (4-connected), as "r,c" keys. */
function enclosed(g: Grid): Set<string> {
  const h = g.length;
  const w = g[0]?.length ?? 0;
  const open = new Set<string>();
  const queue: Array<[number, number]> = [];
  for (let r = 0; r < h; r++) for (let c = 0; c < w; c++) {
    if ((r === 0 || c === 0 || r === h - 1 || c === w - 1) && get(g, r, c) === 0) {
      open.add(`${r},${c}`);
      queue.push([r, c]);
    }
  }
  while (queue.length > 0) {
    const [r, c] = queue.shift() as [number, number];
    for (const [nr, nc] of [[r + 1, c], [r - 1, c], [r, c + 1], [r, c - 1]] as const) {
      if (nr < 0 || nc < 0 || nr >= h || nc >= w || get(g, nr, nc) !== 0 || open.has(`${nr},${nc}`)) continue;
      open.add(`${nr},${nc}`);
      queue.push([nr, nc]);
    }
  }
  const inside = new Set<string>();
  for (let r = 0; r < h; r++) for (let c = 0; c < w; c++) if (get(g, r, c) === 0 && !open.has(`${r},${c}`)) inside.add(`${r},${c}`);
  return inside;
}

describe('fill-enclosed', () => {
  it('fills exactly the enclosed empty cells, with one colour per task', () => {
    forEveryTask(fillEnclosed, (task) => {
      const fills = new Set<number>();
      for (const { input, output } of allPairs(task)) {
        const inside = enclosed(input);
        expect(inside.size).toBeGreaterThan(0);
        input.forEach((row, r) => row.forEach((v, c) => {
          if (inside.has(`${r},${c}`)) fills.add(get(output, r, c));
          else expect(get(output, r, c)).toBe(v);
        }));
      }
      expect(fills.size).toBe(1);
      expect(fills.has(0)).toBe(false);
    });
  });
});
