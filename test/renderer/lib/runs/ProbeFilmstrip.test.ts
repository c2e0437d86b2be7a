import { render, screen } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import type { ProbeSnapshot } from '../../../../src-shared/method/protocol';
import { ARC_SIDE, encodeArcGrid, encodeArcLabel } from '../../../../src-shared/puzzle/tokens';
import ProbeFilmstrip from '../../../../src-renderer/src/lib/runs/ProbeFilmstrip.svelte';
import { probeFrames } from '../../../../src-renderer/src/lib/runs/probe-frames';

const toks = (g: number[][]) => Array.from(encodeArcGrid(g));
const conf = () => new Array<number>(ARC_SIDE * ARC_SIDE).fill(1);

// input [[1,2]] → label [[3,4]]; step 1 predicts [[3,2]], step 2 the label; DIS targets reveal one cell per step
const snapshot: ProbeSnapshot = {
  probe: 0,
  taskId: 't',
  testIndex: 0,
  encoding: 'arc',
  side: ARC_SIDE,
  input: toks([[1, 2]]),
  label: Array.from(encodeArcLabel([[3, 4]])),
  steps: [
    { tokens: toks([[3, 2]]), confidence: conf(), target: toks([[3, 2]]) },
    { tokens: toks([[3, 4]]), confidence: conf(), target: toks([[3, 4]]) },
  ],
};

describe('ProbeFilmstrip', () => {
  it('draws the prediction of every step with its DIS target frame under it, cropped to the puzzle', () => {
    const { container } = render(ProbeFilmstrip, { frames: probeFrames(snapshot), label: 'film', diff: 'label' });
    expect(screen.getAllByRole('img', { name: /film: prediction at step \d/ })).toHaveLength(2);
    expect(screen.getAllByRole('img', { name: /film: target frame of step \d/ })).toHaveLength(2);
    // crop: a 1×2 grid with its EOS column and row = 2×3 cells, not 30×30
    const first = screen.getByRole('img', { name: /prediction at step 1,/ });
    expect(first.querySelectorAll('rect.cell')).toHaveLength(6);
    // counted inside the crop: the label supervises 5 cells (grid + EOS), the target also the PAD corner
    expect(container.textContent).toContain('step 1 · 4/5 label · 6/6 target');
  });

  it('marks right and wrong cells against the label, or changes since the previous step', () => {
    render(ProbeFilmstrip, { frames: probeFrames(snapshot), label: 'film', diff: 'label' });
    const s1 = screen.getByRole('img', { name: /prediction at step 1,/ });
    expect(s1.querySelectorAll('.diff-wrong')).toHaveLength(1);
    const s2 = screen.getByRole('img', { name: /prediction at step 2,/ });
    expect(s2.querySelectorAll('.diff-wrong')).toHaveLength(0);
  });

  it('in "previous" mode marks only the cells that changed', () => {
    render(ProbeFilmstrip, { frames: probeFrames(snapshot), label: 'film', diff: 'previous' });
    const s2 = screen.getByRole('img', { name: /prediction at step 2,/ });
    expect(s2.querySelectorAll('.diff-changed')).toHaveLength(1);
    expect(s2.querySelectorAll('.diff-right, .diff-wrong')).toHaveLength(0);
  });
});
