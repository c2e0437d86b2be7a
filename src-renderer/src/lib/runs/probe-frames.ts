// A probe snapshot as drawable frames: the prediction at every refinement step, its target frame
// (DIS) and the diff against the final label, the step's target, or the previous step.
import type { ProbeSnapshot } from '../../../../src-shared/method/protocol';
import { contentRect, matchCount, toMatrix, tokensToCells, unionRect, type Cells, type Rect } from '../grid/cells';

export type DiffMode = 'label' | 'target' | 'previous' | 'none';

export interface StepFrame {
  step: number;
  pred: Cells;
  confidence: number[][];
  target: Cells | null;
  qHalt: number | undefined;
  vsLabel: { right: number; total: number };
  vsTarget: { right: number; total: number } | null;
}

export interface ProbeFrames {
  input: Cells;
  label: Cells;
  steps: StepFrame[];
  /** one crop for every frame of the probe, so cells line up across steps */
  view: Rect | null;
}

export function probeFrames(p: ProbeSnapshot): ProbeFrames {
  const cells = (t: number[]) => tokensToCells(t, p.side, p.encoding);
  const input = cells(p.input);
  const label = cells(p.label);
  const view = unionRect([contentRect(input), contentRect(label)]);
  const steps = p.steps.map((s, i) => {
    const pred = cells(s.tokens);
    const target = s.target ? cells(s.target) : null;
    return {
      step: i + 1,
      pred,
      confidence: toMatrix(s.confidence, p.side),
      target,
      qHalt: s.qHalt,
      vsLabel: matchCount(pred, label, view),
      vsTarget: target ? matchCount(pred, target, view) : null,
    };
  });
  return { input, label, steps, view };
}

/** The grid a step's prediction is compared with under a diff mode. */
export function reference(f: ProbeFrames, i: number, mode: DiffMode): { against: Cells | null; previous: Cells | null } {
  const s = f.steps[i];
  if (!s || mode === 'none') return { against: null, previous: null };
  if (mode === 'label') return { against: f.label, previous: null };
  if (mode === 'target') return { against: s.target, previous: null };
  return { against: null, previous: i > 0 ? (f.steps[i - 1]?.pred ?? null) : f.input };
}
