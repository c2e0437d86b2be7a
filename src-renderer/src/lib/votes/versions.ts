// Plain-word helpers for the vote view: what an augmented version did to the task (a dihedral
// transform and a colour map), how the candidates were ranked, and whether the tally adds up.
import type { VersionVote, VoteExplanation } from '../../../../src-shared/method/protocol';
import { applyDihedral, DIHEDRAL_NAMES } from '../../../../src-shared/puzzle/dihedral';
import type { Grid } from '../../../../src-shared/puzzle/types';

/** An "F": it has no symmetry, so each of the eight transforms draws it differently. */
const GLYPH: Grid = [
  [8, 8, 8],
  [8, 0, 0],
  [8, 8, 0],
  [8, 0, 0],
];

/** The F glyph under dihedral transform `d` (a picture of what the version did to the grids). */
export function dihedralGlyph(d: number): Grid {
  return applyDihedral(GLYPH, d);
}

export function dihedralName(d: number): string {
  return DIHEDRAL_NAMES[d] ?? `transform ${d}`;
}

/** "colours unchanged", or the colours the version swapped, e.g. "colours 1→7, 7→1". */
export function colourMapText(colours: readonly number[]): string {
  const moved = colours.map((to, from) => ({ from, to })).filter((x) => x.from !== x.to);
  return moved.length ? `colours ${moved.map((x) => `${x.from}→${x.to}`).join(', ')}` : 'colours unchanged';
}

/** The whole transform of a version in words, e.g. "t3 0172395846: rotate 270° CCW, colours 1→7, …". */
export function versionText(v: Pick<VersionVote, 'name' | 'dihedral' | 'colours'>): string {
  return `${v.name}: ${dihedralName(v.dihedral)}, ${colourMapText(v.colours)}`;
}

/** How the explanation ranks candidates with equal votes. */
export function rankRule(e: Pick<VoteExplanation, 'rankBy'>): string {
  return e.rankBy === 'count-then-q'
    ? 'Ranked by votes; equal votes are ranked by the mean halting confidence of their voters (TRM).'
    : 'Ranked by votes; equal votes keep the order in which the versions first produced them (DIS).';
}

/** Why candidate `i` sits below candidate i−1 although both got the same number of votes, else null. */
export function tieNote(e: VoteExplanation, i: number): string | null {
  const c = e.candidates[i];
  const above = e.candidates[i - 1];
  if (!c || !above || c.count !== above.count) return null;
  if (e.rankBy === 'count-then-q' && c.meanQ !== undefined && above.meanQ !== undefined && c.meanQ !== above.meanQ) {
    const [a, b] = distinctDigits(c.meanQ, above.meanQ);
    return `same votes as #${above.rank}; lower mean halting confidence (${a} vs ${b})`;
  }
  // the final tie-break of both methods: the order in which the versions first produced the grids
  return e.rankBy === 'count-then-q' ? `same votes and mean halting confidence as #${above.rank}; produced later` : `same votes as #${above.rank}; produced later`;
}

/** Two different numbers written with just enough decimals (at least 3) to tell them apart. */
export function distinctDigits(a: number, b: number): [string, string] {
  for (let d = 3; d < 12; d++) if (a.toFixed(d) !== b.toFixed(d)) return [a.toFixed(d), b.toFixed(d)];
  return [String(a), String(b)];
}

export interface Tally {
  /** votes cast for a candidate grid */
  voted: number;
  noGrid: number;
  versions: number;
  /** every version is counted exactly once */
  adds: boolean;
}

export function tally(e: VoteExplanation): Tally {
  const voted = e.candidates.reduce((s, c) => s + c.count, 0);
  return { voted, noGrid: e.noGrid.length, versions: e.versions.length, adds: voted + e.noGrid.length === e.versions.length };
}

/** "✓", "✗" or "—" (the output is unknown) for a pass@k decision. */
export function passMark(v: boolean | null | undefined): string {
  return v === true ? '✓' : v === false ? '✗' : '—';
}
