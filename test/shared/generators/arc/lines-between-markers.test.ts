import { describe, expect, it } from 'vitest';
import { linesBetweenMarkers } from '../../../../src-shared/generators/arc/lines-between-markers';
import type { Grid } from '../../../../src-shared/puzzle/types';
import { allPairs, forEveryTask } from './harness';

const transpose = (g: Grid): Grid => (g[0] ?? []).map((_, c) => g.map((row) => row[c] as number));

/** Join every row that holds exactly two markers of one colour; `line` null = the markers' colour. */
function joinRows(g: Grid, line: number | null): Grid {
  return g.map((row) => {
    const marks = row.flatMap((v, c) => (v === 0 ? [] : [c]));
    const [a, b] = marks;
    if (marks.length !== 2 || a === undefined || b === undefined || row[a] !== row[b]) return row.slice();
    return row.map((v, c) => (c > a && c < b ? (line ?? (row[a] as number)) : v));
  });
}

describe('lines-between-markers', () => {
  it('joins same-coloured marker pairs along one axis with one line colour rule per task', () => {
    forEveryTask(linesBetweenMarkers, (task) => {
      const pairs = allPairs(task);
      const lineColours = [null, 1, 2, 3, 4, 5, 6, 7, 8, 9];
      const fitting = ['row', 'column'].flatMap((along) =>
        lineColours
          .filter((line) => pairs.every(({ input, output }) => {
            const predicted = along === 'row' ? joinRows(input, line) : transpose(joinRows(transpose(input), line));
            return JSON.stringify(predicted) === JSON.stringify(output);
          }))
          .map((line) => `${along}:${line}`),
      );
      expect(fitting.length).toBeGreaterThan(0);
      for (const p of pairs) expect(p.output).not.toEqual(p.input);
    });
  });
});
