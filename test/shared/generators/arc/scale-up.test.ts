import { describe, expect, it } from 'vitest';
import { scaleUp } from '../../../../src-shared/generators/arc/scale-up';
import { allPairs, dims, forEveryTask, get } from './harness';

describe('scale-up', () => {
  it('blows every cell up to the same k×k block in every pair, k at least 2', () => {
    forEveryTask(scaleUp, (task, p) => {
      const ks = new Set<number>();
      for (const { input, output } of allPairs(task)) {
        const [h, w] = dims(input);
        const [oh, ow] = dims(output);
        const k = oh / h;
        expect(ow / w).toBe(k);
        expect(Number.isInteger(k) && k >= 2).toBe(true);
        expect(Math.max(oh, ow)).toBeLessThanOrEqual(p.maxSide);
        ks.add(k);
        output.forEach((row, r) => row.forEach((v, c) => expect(v).toBe(get(input, Math.floor(r / k), Math.floor(c / k)))));
      }
      expect(ks.size).toBe(1);
    });
  });
});
