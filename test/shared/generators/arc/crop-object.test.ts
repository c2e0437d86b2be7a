import { describe, expect, it } from 'vitest';
import { cropObject } from '../../../../src-shared/generators/arc/crop-object';
import { allPairs, colourSet, dims, forEveryTask } from './harness';

describe('crop-object', () => {
  it('outputs the bounding box of the cells in the object colours, cut from the input', () => {
    forEveryTask(cropObject, (task) => {
      for (const { input, output } of allPairs(task)) {
        const objectColours = colourSet(output);
        objectColours.delete(0);
        expect(objectColours.size).toBeGreaterThan(0);
        const cells = input.flatMap((row, r) => row.flatMap((v, c) => (objectColours.has(v) ? [[r, c] as const] : [])));
        const top = Math.min(...cells.map(([r]) => r));
        const bottom = Math.max(...cells.map(([r]) => r));
        const left = Math.min(...cells.map(([, c]) => c));
        const right = Math.max(...cells.map(([, c]) => c));
        const crop = input.slice(top, bottom + 1).map((row) => row.slice(left, right + 1));
        expect(crop).toEqual(output);
        const [h, w] = dims(input);
        expect(output.length < h || (output[0]?.length ?? 0) < w).toBe(true);
      }
    });
  });
});
