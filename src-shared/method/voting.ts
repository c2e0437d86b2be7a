// Voting over augmented predictions and pass@K scoring (docs/method-notes.md#evaluation-and-voting; the reference's `evaluators/arc.py`).
// Predictions arrive already de-augmented (back in the original task's frame). Per test pair they are
// grouped by exact grid content; each candidate keeps [count, mean q]. TRM ranks by count, then mean q
// (the halting confidence); DIS's Q-head is inert, so it ranks by count with first-seen order breaking
// ties. A test pair is correct at K when its true output is among the top K candidates.

import type { TaskEvalResult } from './protocol';
import { gridKey } from '../puzzle/grid';
import type { Grid } from '../puzzle/types';

export type RankBy = 'count-then-q' | 'count-then-first';

export interface Candidate {
  grid: Grid;
  count: number;
  meanQ: number;
}

interface Tally {
  grid: Grid;
  count: number;
  qSum: number;
  /** first-seen order, the final tie-break (Python's stable sort in the reference) */
  order: number;
}

/** K values of the reference evaluator. */
export const DEFAULT_PASS_KS: readonly number[] = [1, 2, 5, 10, 100, 1000];

function testKey(taskId: string, testIndex: number): string {
  return `${taskId}\u0000${testIndex}`;
}

export class VoteBook {
  private readonly tests = new Map<string, Map<string, Tally>>();

  /**
   * One prediction of test pair (taskId, testIndex) with its halting confidence q. A null prediction
   * (the crop found no colour cell at the top-left corner) is the empty 0×0 grid: the reference's crop
   * returns a 0×0 array there, hashes it like any other grid and counts it as a candidate, so empty
   * crops take votes (and ranks) away from real answers. Dropping them would make weak models look
   * better than the reference scores them.
   */
  add(taskId: string, testIndex: number, pred: Grid | null, q: number): void {
    if (!Number.isInteger(testIndex) || testIndex < 0) {
      throw new Error(`VoteBook.add: test index of task ${taskId} must be a non-negative integer, got ${testIndex}`);
    }
    if (!Number.isFinite(q)) throw new Error(`VoteBook.add: q of task ${taskId} test ${testIndex} is ${q}`);
    const grid: Grid = pred ?? [];
    const key = testKey(taskId, testIndex);
    let tallies = this.tests.get(key);
    if (tallies === undefined) {
      tallies = new Map();
      this.tests.set(key, tallies);
    }
    const g = gridKey(grid);
    const t = tallies.get(g);
    if (t === undefined) tallies.set(g, { grid: grid.map((row) => row.slice()), count: 1, qSum: q, order: tallies.size });
    else {
      t.count++;
      t.qSum += q;
    }
  }

  /** Candidates of one test pair, best first. */
  ranked(taskId: string, testIndex: number, rankBy: RankBy = 'count-then-q'): Candidate[] {
    const tallies = this.tests.get(testKey(taskId, testIndex));
    if (tallies === undefined) return [];
    const list = [...tallies.values()];
    list.sort((a, b) => {
      if (a.count !== b.count) return b.count - a.count;
      if (rankBy === 'count-then-q') {
        const qa = a.qSum / a.count;
        const qb = b.qSum / b.count;
        if (qa !== qb) return qb - qa;
      }
      return a.order - b.order;
    });
    return list.map((t) => ({ grid: t.grid, count: t.count, meanQ: t.qSum / t.count }));
  }

  /** Number of distinct (task, test) entries with at least one candidate. */
  get size(): number {
    return this.tests.size;
  }

  clear(): void {
    this.tests.clear();
  }
}

export interface VoteScore {
  /** pass@K per K, keyed by K as a decimal string ("1", "2", ...) */
  passAtK: Record<string, number>;
  passAt1: number;
  passAt2: number;
  /** one entry per test pair, in the order of `tests` */
  tasks: TaskEvalResult[];
}

/**
 * pass@K over the test pairs in `tests`: a task scores (correct test pairs)/(its test pairs), which
 * gives partial credit to multi-test tasks, and pass@K is the mean over tasks. A test pair without
 * predictions counts 0. Test pairs whose true output is unknown cannot be scored: they are reported
 * (their top candidates) but left out of both counts; a task with no known outputs is left out of the
 * mean, and pass@K is 0 when no task can be scored.
 */
export function scoreVotes(
  book: VoteBook,
  tests: ReadonlyArray<{ taskId: string; testIndex: number; input: Grid; output?: Grid }>,
  rankBy: RankBy,
  ks: readonly number[] = DEFAULT_PASS_KS,
): VoteScore {
  for (const k of ks) {
    if (!Number.isInteger(k) || k < 1) throw new Error(`scoreVotes: K must be a positive integer, got ${k}`);
  }
  const allKs = [...new Set([...ks, 1, 2])];
  const perTask = new Map<string, { scored: number; correct: Map<number, number> }>();
  const results: TaskEvalResult[] = [];
  for (const t of tests) {
    const ranked = book.ranked(t.taskId, t.testIndex, rankBy);
    let rank = -1;
    if (t.output !== undefined) {
      const truth = gridKey(t.output);
      rank = ranked.findIndex((c) => gridKey(c.grid) === truth);
    }
    results.push({
      taskId: t.taskId,
      testIndex: t.testIndex,
      top: ranked.slice(0, 2).map((c) => c.grid),
      votes: ranked.slice(0, 2).map((c) => c.count),
      passAt1: rank === 0,
      passAt2: rank >= 0 && rank < 2,
    });
    let entry = perTask.get(t.taskId);
    if (entry === undefined) {
      entry = { scored: 0, correct: new Map(allKs.map((k) => [k, 0])) };
      perTask.set(t.taskId, entry);
    }
    if (t.output === undefined) continue;
    entry.scored++;
    if (rank < 0) continue;
    for (const k of allKs) if (rank < k) entry.correct.set(k, (entry.correct.get(k) ?? 0) + 1);
  }
  const scoredTasks = [...perTask.values()].filter((e) => e.scored > 0);
  const passAt = (k: number): number => {
    if (scoredTasks.length === 0) return 0;
    let total = 0;
    for (const e of scoredTasks) total += (e.correct.get(k) ?? 0) / e.scored;
    return total / scoredTasks.length;
  };
  const passAtK: Record<string, number> = {};
  for (const k of ks) passAtK[String(k)] = passAt(k);
  return { passAtK, passAt1: passAt(1), passAt2: passAt(2), tasks: results };
}
