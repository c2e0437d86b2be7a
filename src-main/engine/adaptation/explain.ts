// "Why this answer": the vote of one test input laid open. Each version's prediction (already
// de-augmented into the original task's frame) is tallied by exact grid content and ranked with the
// same VoteBook and scoreVotes the evaluation uses, so the explanation's top-2 and pass@1/pass@2 are
// the evaluation's own, and every version appears exactly once. A prediction whose crop is empty votes
// for the 0×0 grid, a candidate like any other (the reference hashes the empty crop), so `noGrid`
// stays empty; it is kept for explanations saved before that.
import type { TaskEvalResult, VersionVote, VoteCandidate, VoteExplanation } from '../../../src-shared/method/protocol';
import { scoreVotes, VoteBook, type RankBy } from '../../../src-shared/method/voting';
import type { VersionTransform } from '../../../src-shared/puzzle/augment';
import { gridKey } from '../../../src-shared/puzzle/grid';
import type { Grid } from '../../../src-shared/puzzle/types';

/** "t<dihedral id> <colour map>", e.g. "t3 0172395846". */
export function versionLabel(t: VersionTransform): string {
  return `t${t.dihedral} ${t.colours.join('')}`;
}

export interface VersionPrediction {
  transform: VersionTransform;
  /** de-augmented prediction, or null when it decoded to no grid */
  grid: Grid | null;
  /** sigmoid(q_halt) of the last step */
  q: number;
}

export function explainVotes(
  test: { taskId: string; testIndex: number; input: Grid; output?: Grid },
  method: 'trm' | 'dis',
  predictions: readonly VersionPrediction[],
): { explanation: VoteExplanation; result: TaskEvalResult } {
  const rankBy: RankBy = method === 'trm' ? 'count-then-q' : 'count-then-first';
  const book = new VoteBook();
  for (const p of predictions) book.add(test.taskId, test.testIndex, p.grid, p.q);
  const ranked = book.ranked(test.taskId, test.testIndex, rankBy);
  const result = scoreVotes(book, [test], rankBy).tasks[0]!;
  const index = new Map(ranked.map((c, i) => [gridKey(c.grid), i]));
  const known = test.output !== undefined;
  const truth = known ? gridKey(test.output!) : null;
  const candidates: VoteCandidate[] = ranked.map((c, i) => ({
    rank: i + 1,
    grid: c.grid,
    count: c.count,
    ...(method === 'trm' ? { meanQ: c.meanQ } : {}),
    versions: [],
    ...(known ? { correct: gridKey(c.grid) === truth } : {}),
  }));
  const noGrid: string[] = [];
  const versions: VersionVote[] = predictions.map((p) => {
    const name = versionLabel(p.transform);
    const candidate = index.get(gridKey(p.grid ?? []))!;
    if (candidate < 0) noGrid.push(name);
    else candidates[candidate]!.versions.push(name);
    return { name, dihedral: p.transform.dihedral, colours: [...p.transform.colours], candidate, ...(method === 'trm' ? { q: p.q } : {}) };
  });
  const explanation: VoteExplanation = {
    taskId: test.taskId,
    testIndex: test.testIndex,
    method,
    rankBy,
    versions,
    candidates,
    noGrid,
    ...(known ? { expected: test.output! } : {}),
    passAt1: known ? result.passAt1 : null,
    passAt2: known ? result.passAt2 : null,
  };
  return { explanation, result };
}
