// previewTargets: the DIS target frames of one pair, computed here with the pure-TS target
// generators and puzzle encodings (no engine process needed).
import type { TargetPreview } from '../../src-shared/api/contract';
import type { DisOptions } from '../../src-shared/method/run-config';
import { previewTargets as framesOf } from '../../src-shared/method/targets/preview';
import { getEncoding, type Encoding } from '../../src-shared/puzzle/tokens';
import type { Grid, Task } from '../../src-shared/puzzle/types';
import { badRequest } from './errors';

const sides = (g: Grid): number => Math.max(g.length, g[0]?.length ?? 0);

/**
 * The encoding a task is shown in: the built-in N-Queens and Sudoku generators name their tasks
 * "nqueens-<n>" and "sudoku-…" (square boards); everything else is an ARC task on the smallest
 * canvas that fits the pair with its EOS border (the training canvas is a run setting).
 */
export function previewEncoding(task: Task, grids: Grid[]): Encoding {
  const square = (n: number) => grids.every((g) => g.length === n && g.every((r) => r.length === n));
  const q = /^nqueens-(\d+)$/.exec(task.id);
  if (q !== null && square(Number(q[1]))) return getEncoding('nqueens', Number(q[1]));
  if (task.id.startsWith('sudoku-') && square(9)) return getEncoding('sudoku');
  return getEncoding('arc', Math.min(30, Math.max(2, ...grids.map(sides)) + 1));
}

export function previewTargets(q: {
  task: Task;
  testIndex?: number | undefined;
  pairIndex?: number | undefined;
  dis: DisOptions;
  Nsup: number;
  seed: number;
}): TargetPreview {
  const pair = q.testIndex !== undefined ? q.task.test[q.testIndex] : q.task.train[q.pairIndex ?? 0];
  const grids = pair === undefined ? [] : [pair.input, ...(pair.output === undefined ? [] : [pair.output])];
  try {
    const encoding = previewEncoding(q.task, grids.length > 0 ? grids : [[[0]]]);
    return framesOf(
      q.task,
      {
        ...(q.testIndex !== undefined && { testIndex: q.testIndex }),
        ...(q.pairIndex !== undefined && { pairIndex: q.pairIndex }),
        dis: q.dis,
        Nsup: q.Nsup,
        seed: q.seed,
      },
      encoding,
    );
  } catch (e) {
    throw badRequest(`previewTargets: ${e instanceof Error ? e.message : String(e)}`);
  }
}
