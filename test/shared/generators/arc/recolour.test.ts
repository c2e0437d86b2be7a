import { describe, expect, it } from 'vitest';
import { recolour } from '../../../../src-shared/generators/arc/recolour';
import { allPairs, forEveryTask, get } from './harness';

/** The cell-wise colour mapping a pair shows; throws if one colour goes to two. */
function mappingOf(input: number[][], output: number[][]): Map<number, number> {
  const map = new Map<number, number>();
  input.forEach((row, r) =>
    row.forEach((v, c) => {
      const w = get(output, r, c);
      if (map.has(v) && map.get(v) !== w) throw new Error(`colour ${v} maps to both ${map.get(v)} and ${w}`);
      map.set(v, w);
    }),
  );
  return map;
}

describe('recolour', () => {
  it('maps the test input to its output with the colour mapping shown by the first pair', () => {
    forEveryTask(recolour, (task) => {
      const [first, ...rest] = allPairs(task);
      if (first === undefined) throw new Error('no pairs');
      const map = mappingOf(first.input, first.output);
      for (const pair of rest) {
        const predicted = pair.input.map((row) => row.map((v) => {
          const w = map.get(v);
          if (w === undefined) throw new Error(`colour ${v} is not shown by the first pair of ${task.id}`);
          return w;
        }));
        expect(predicted).toEqual(pair.output);
      }
    });
  });

  it('changes at least one colour in every pair', () => {
    forEveryTask(recolour, (task) => {
      for (const pair of allPairs(task)) {
        const changed = [...mappingOf(pair.input, pair.output)].some(([a, b]) => a !== b);
        expect(changed).toBe(true);
      }
    });
  });
});
