import { render, screen, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { VersionVote, VoteExplanation } from '../../../../src-shared/method/protocol';
import VoteView from '../../../../src-renderer/src/lib/votes/VoteView.svelte';

const ID = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
const SWAP = [0, 1, 7, 2, 3, 9, 5, 8, 4, 6];
const version = (dihedral: number, colours: number[], candidate: number, q?: number): VersionVote => ({
  name: `t${dihedral} ${colours.join('')}`,
  dihedral,
  colours,
  candidate,
  ...(q === undefined ? {} : { q }),
});

const A = [[1, 1], [0, 0]];
const B = [[2, 2], [0, 0]];
const C = [[3]];

// seven versions: three vote A, two vote B (the known output), one votes C, one decodes to no grid
function explanation(over: Partial<VoteExplanation> = {}): VoteExplanation {
  const versions = [
    version(0, ID, 0, 0.9),
    version(3, SWAP, 0, 0.8),
    version(5, ID, 1, 0.7),
    version(1, SWAP, 0, 0.6),
    version(4, ID, 1, 0.5),
    version(6, SWAP, -1, 0.1),
    version(7, ID, 2, 0.4),
  ];
  const names = (c: number) => versions.filter((v) => v.candidate === c).map((v) => v.name);
  return {
    taskId: 'recolour-7',
    testIndex: 0,
    method: 'trm',
    rankBy: 'count-then-q',
    versions,
    candidates: [
      { rank: 1, grid: A, count: 3, meanQ: 0.767, versions: names(0), correct: false },
      { rank: 2, grid: B, count: 2, meanQ: 0.6, versions: names(1), correct: true },
      { rank: 3, grid: C, count: 1, meanQ: 0.4, versions: names(2), correct: false },
    ],
    noGrid: names(-1),
    expected: B,
    passAt1: false,
    passAt2: true,
    ...over,
  };
}

const candidates = () => screen.getAllByTestId('candidate');

describe('VoteView', () => {
  it('lists the candidate grids best first, each with its votes as a bar and a count', () => {
    render(VoteView, { explanation: explanation(), input: [[1]] });
    const list = screen.getByRole('list', { name: 'Candidates, best first' });
    expect(within(list).getAllByTestId('candidate').map((c) => c.dataset['rank'])).toEqual(['1', '2', '3']);
    expect(candidates().map((c) => within(c).getByTestId('votes').textContent)).toEqual(['3 of 7 votes (43%)', '2 of 7 votes (29%)', '1 of 7 votes (14%)']);
    expect(within(candidates()[0]!).getByRole('img', { name: 'Candidate 1, 2×2' })).toBeInTheDocument();
    expect(screen.getByRole('img', { name: 'Test input, 1×1' })).toBeInTheDocument();
    expect(screen.getByRole('img', { name: 'Known output, 2×2' })).toBeInTheDocument();
    // the bars are as long as the vote shares
    const widths = candidates().map((c) => (c.querySelector('.fill') as HTMLElement).style.width);
    expect(widths.map((w) => Math.round(parseFloat(w)))).toEqual([43, 29, 14]);
  });

  it('shows an empty crop (the 0×0 candidate) as text, counted with its votes like any other candidate', () => {
    const e = explanation();
    const withEmpty = explanation({
      versions: e.versions.map((v) => (v.candidate === -1 ? { ...v, candidate: 3 } : v)),
      candidates: [...e.candidates, { rank: 4, grid: [], count: 1, meanQ: 0.1, versions: e.noGrid, correct: false }],
      noGrid: [],
    });
    render(VoteView, { explanation: withEmpty });
    const empty = candidates()[3]!;
    expect(within(empty).getByTestId('empty-crop')).toHaveTextContent('Empty crop (0×0)');
    expect(within(empty).getByTestId('votes')).toHaveTextContent('1 of 7 votes');
    expect(screen.getByTestId('tally')).not.toHaveTextContent('do not add up');
  });

  it('accounts for every version once: the votes and the no-grid versions add up to the versions', () => {
    render(VoteView, { explanation: explanation() });
    const votes = candidates().reduce((s, c) => s + Number(c.dataset['count']), 0);
    const noGrid = within(screen.getByRole('group', { name: 'Versions with no decodable grid' })).getAllByRole('img', { name: /^version / });
    expect(votes + noGrid.length).toBe(7);
    expect(noGrid).toHaveLength(1);
    expect(screen.getByTestId('tally')).toHaveTextContent('7 versions (TRM): 6 voted for 3 distinct grids, 1 decoded to no grid.');
    expect(screen.getByTestId('tally')).not.toHaveTextContent('do not add up');
  });

  it('says so when the counts do not add up to the versions', () => {
    const e = explanation();
    render(VoteView, { explanation: { ...e, noGrid: [] } });
    expect(screen.getByTestId('tally')).toHaveTextContent('The counts do not add up to the versions');
  });

  it('marks the two attempts and decides pass@1 and pass@2 against the known output', () => {
    render(VoteView, { explanation: explanation() });
    const [first, second, third] = candidates() as [HTMLElement, HTMLElement, HTMLElement];
    expect(within(first).getByTestId('pick')).toHaveTextContent('attempt 1 (top-1)');
    expect(within(second).getByTestId('pick')).toHaveTextContent('attempt 2 (top-2)');
    expect(within(third).queryByTestId('pick')).toBeNull();
    expect(within(first).getByTestId('correct')).toHaveTextContent('✗');
    expect(within(second).getByTestId('correct')).toHaveTextContent('✓ equals the known output');
    expect(screen.getByTestId('pass1')).toHaveTextContent('pass@1 ✗');
    expect(screen.getByTestId('pass2')).toHaveTextContent('pass@2 ✓');
    expect(screen.getByTestId('verdict')).toHaveTextContent('The known output is the second choice');
  });

  it('passes at 1 when the top candidate is the known output', () => {
    const e = explanation();
    const [a, b, c] = e.candidates as [VoteExplanation['candidates'][number], VoteExplanation['candidates'][number], VoteExplanation['candidates'][number]];
    render(VoteView, { explanation: { ...e, expected: A, passAt1: true, passAt2: true, candidates: [{ ...a, correct: true }, { ...b, correct: false }, c] } });
    expect(screen.getByTestId('pass1')).toHaveTextContent('pass@1 ✓');
    expect(screen.getByTestId('pass2')).toHaveTextContent('pass@2 ✓');
    expect(within(candidates()[0]!).getByTestId('correct')).toHaveTextContent('✓');
  });

  it('names a correct candidate below the two attempts, and fails both passes', () => {
    const e = explanation();
    const [a, b, c] = e.candidates as [VoteExplanation['candidates'][number], VoteExplanation['candidates'][number], VoteExplanation['candidates'][number]];
    render(VoteView, { explanation: { ...e, expected: C, passAt1: false, passAt2: false, candidates: [a, { ...b, correct: false }, { ...c, correct: true }] } });
    expect(screen.getByTestId('pass1')).toHaveTextContent('pass@1 ✗');
    expect(screen.getByTestId('pass2')).toHaveTextContent('pass@2 ✗');
    expect(screen.getByTestId('verdict')).toHaveTextContent('The known output is candidate #3, below the two attempts.');
  });

  it('shows no pass marks when the test output is unknown', () => {
    const e = explanation({ passAt1: null, passAt2: null });
    delete e.expected;
    e.candidates = e.candidates.map(({ correct: _, ...c }) => c);
    render(VoteView, { explanation: e });
    expect(screen.getByTestId('pass1')).toHaveTextContent('pass@1 —');
    expect(screen.getByTestId('verdict')).toHaveTextContent('The test output is unknown');
    expect(screen.queryAllByTestId('correct')).toHaveLength(0);
    expect(screen.queryByRole('img', { name: /Known output/ })).toBeNull();
    // the two attempts are still the answers
    expect(screen.getAllByTestId('pick')).toHaveLength(2);
  });

  it('names the versions that voted for each candidate by their dihedral transform and colour map', () => {
    render(VoteView, { explanation: explanation() });
    const voters = screen.getByRole('group', { name: 'Versions that voted for candidate 1' });
    const tags = within(voters).getAllByRole('img', { name: /^version / });
    expect(tags.map((t) => t.dataset['version'])).toEqual(['t0 0123456789', 't3 0172395846', 't1 0172395846']);
    expect(tags[0]).toHaveAccessibleName('version t0 0123456789: identity, colours unchanged; halting confidence 0.900');
    expect(tags[1]).toHaveAccessibleName(/t3 0172395846: rotate 270° CCW, colours 2→7, 3→2, 4→3, 5→9, 6→5, 7→8, 8→4, 9→6/);
    // the glyph and the ten swatches are drawn with the lab's grid
    expect(tags[1]!.querySelectorAll('svg')).toHaveLength(2);
    expect([...tags[1]!.querySelectorAll('svg')[1]!.querySelectorAll('rect.cell')].map((r) => r.getAttribute('data-v'))).toEqual(SWAP.map(String));
  });

  it('shows the mean halting confidence for TRM and why equal votes are ordered as they are', () => {
    const e = explanation();
    const [a, b, c] = e.candidates as [VoteExplanation['candidates'][number], VoteExplanation['candidates'][number], VoteExplanation['candidates'][number]];
    render(VoteView, { explanation: { ...e, candidates: [a, { ...b, count: 3 }, c] } });
    expect(within(candidates()[0]!).getByText('mean halting confidence 0.767')).toBeInTheDocument();
    expect(within(candidates()[1]!).getByText('same votes as #1; lower mean halting confidence (0.600 vs 0.767)')).toBeInTheDocument();
    expect(screen.getByTestId('tally')).toHaveTextContent('halting confidence');
  });

  it('says when equal votes and equal confidence leave the order in which the grids were first produced', () => {
    const e = explanation();
    const [a, b, c] = e.candidates as [VoteExplanation['candidates'][number], VoteExplanation['candidates'][number], VoteExplanation['candidates'][number]];
    render(VoteView, { explanation: { ...e, candidates: [a, { ...b, count: 3, meanQ: 0.767 }, c] } });
    expect(within(candidates()[1]!).getByText('same votes and mean halting confidence as #1; produced later')).toBeInTheDocument();
  });

  it('has no halting confidence for DIS, which orders equal votes by first appearance', () => {
    const e = explanation({ method: 'dis', rankBy: 'count-then-first' });
    e.versions = e.versions.map(({ q: _, ...v }) => v);
    e.candidates = e.candidates.map(({ meanQ: _, ...c }) => c);
    render(VoteView, { explanation: e });
    expect(screen.queryByText(/mean halting confidence/)).toBeNull();
    expect(screen.getByTestId('tally')).toHaveTextContent('first produced them (DIS)');
  });

  it('lists the top candidates first and every candidate on request', async () => {
    render(VoteView, { explanation: explanation(), limit: 2 });
    expect(candidates()).toHaveLength(2);
    await userEvent.click(screen.getByRole('button', { name: 'Show all 3 candidates' }));
    expect(candidates()).toHaveLength(3);
  });

  it('lists the first voters of a candidate and the rest on request', async () => {
    render(VoteView, { explanation: explanation(), voterLimit: 2 });
    const voters = screen.getByRole('group', { name: 'Versions that voted for candidate 1' });
    expect(within(voters).getAllByRole('img', { name: /^version / })).toHaveLength(2);
    await userEvent.click(within(voters).getByRole('button', { name: 'Show all 3 voters of candidate 1' }));
    expect(within(voters).getAllByRole('img', { name: /^version / })).toHaveLength(3);
  });

  it('opens a table of every version with the candidate it voted for', async () => {
    render(VoteView, { explanation: explanation() });
    await userEvent.click(screen.getByText(/Every version \(7\)/));
    const rows = within(screen.getByRole('table')).getAllByRole('row').slice(1);
    expect(rows.map((r) => within(r).getAllByRole('cell')[1]!.textContent)).toEqual(['#1', '#1', '#2', '#1', '#2', 'no grid', '#3']);
  });
});
