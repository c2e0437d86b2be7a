import { describe, expect, it } from 'vitest';
import { countToBar } from '../../../../src-shared/generators/arc/count-to-bar';
import { allPairs, dims, forEveryTask } from './harness';

describe('count-to-bar', () => {
  it("answers with a one-cell-thick bar as long as the count of the task colour's cells", () => {
    forEveryTask(countToBar, (task, p) => {
      const orientations = new Set<string>();
      const colours = new Set<number>();
      for (const { input, output } of allPairs(task)) {
        const [h, w] = dims(output);
        expect(Math.min(h, w)).toBe(1);
        if (h !== w) orientations.add(h === 1 ? 'horizontal' : 'vertical');
        const flat = output.flat();
        const colour = flat[0] as number;
        expect(new Set(flat)).toEqual(new Set([colour]));
        expect(input.flat().filter((v) => v === colour).length).toBe(flat.length);
        expect(flat.length).toBeLessThanOrEqual(p.maxSide);
        colours.add(colour);
      }
      // A 1×1 bar fits either orientation; longer bars all point the same way.
      expect(orientations.size).toBeLessThanOrEqual(1);
      expect(colours.size).toBe(1);
    });
  });
});
