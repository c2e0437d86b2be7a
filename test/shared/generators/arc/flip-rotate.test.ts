import { describe, expect, it } from 'vitest';
import { flipRotate } from '../../../../src-shared/generators/arc/flip-rotate';
import { allPairs, forEveryTask, get } from './harness';
import type { Grid } from '../../../../src-shared/puzzle/types';

// Written out independently of the generator's transform code: output cell (r, c) reads input cell f(r, c).
const READS: Record<string, (h: number, w: number) => [number, number, (r: number, c: number) => [number, number]]> = {
  identity: (h, w) => [h, w, (r, c) => [r, c]],
  rotateClockwise: (h, w) => [w, h, (r, c) => [h - 1 - c, r]],
  rotateHalf: (h, w) => [h, w, (r, c) => [h - 1 - r, w - 1 - c]],
  rotateCounter: (h, w) => [w, h, (r, c) => [c, w - 1 - r]],
  mirrorLeftRight: (h, w) => [h, w, (r, c) => [r, w - 1 - c]],
  mirrorUpDown: (h, w) => [h, w, (r, c) => [h - 1 - r, c]],
  transpose: (h, w) => [w, h, (r, c) => [c, r]],
  antiTranspose: (h, w) => [w, h, (r, c) => [h - 1 - c, w - 1 - r]],
};

function apply(name: string, g: Grid): Grid {
  const read = READS[name];
  if (read === undefined) throw new Error(name);
  const [h, w, f] = read(g.length, g[0]?.length ?? 0);
  return Array.from({ length: h }, (_, r) => Array.from({ length: w }, (_, c) => get(g, ...f(r, c))));
}

describe('flip-rotate', () => {
  it('maps every pair of a task with one and the same non-identity transform', () => {
    forEveryTask(flipRotate, (task) => {
      const fitting = Object.keys(READS).filter((name) => allPairs(task).every((p) => {
        const out = apply(name, p.input);
        return JSON.stringify(out) === JSON.stringify(p.output);
      }));
      expect(fitting.length).toBeGreaterThan(0);
      expect(fitting).not.toContain('identity');
    });
  });
});
