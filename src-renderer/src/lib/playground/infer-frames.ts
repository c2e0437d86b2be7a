// An inference result as filmstrip frames, re-decoded at a guidance weight w from the returned
// logits without asking the engine again (DIS paper Eq. 5: ℓ_w = (1 − w)ℓ_u + wℓ_c; w = 1 is the
// model's own output).
import type { EmbeddingStatus, InferResult } from '../../../../src-shared/method/protocol';
import { decodeGuided } from '../../../../src-shared/method/guidance';
import { contentRect, matchCount, toMatrix, tokensToCells, unionRect } from '../grid/cells';
import type { ProbeFrames } from '../runs/probe-frames';

export function decodeStep(step: InferResult['steps'][number], w: number, vocab: number): { tokens: ArrayLike<number>; confidence: ArrayLike<number> } {
  // w = 1 is exactly what the engine decoded; the rounded logits could break its ties differently
  if (w === 1 || !step.lu.length) return { tokens: step.tokens, confidence: step.confidence };
  return decodeGuided(step.lu, step.lc, w, vocab);
}

export function inferFrames(r: InferResult, w: number): ProbeFrames {
  const cells = (t: ArrayLike<number>) => tokensToCells(t, r.side, r.encoding);
  const input = cells(r.input);
  const label = r.label ? cells(r.label) : null;
  const view = unionRect([contentRect(input), label ? contentRect(label) : null]);
  const steps = r.steps.map((s, i) => {
    const d = decodeStep(s, w, r.vocab);
    const pred = cells(d.tokens);
    return {
      step: i + 1,
      pred,
      confidence: toMatrix(d.confidence, r.side),
      target: null,
      qHalt: s.qHalt,
      vsLabel: label ? matchCount(pred, label, view) : { right: 0, total: 0 },
      vsTarget: null,
    };
  });
  // without a known output the label row shows the input's shape only
  const shownLabel = label ?? input.map((row) => row.map(() => -3));
  return { input, label: shownLabel, steps, view };
}

/** Each embedding case as a short title (src-shared/method/protocol.ts, EmbeddingStatus). */
export const EMBEDDING_TITLE: Record<EmbeddingStatus, string> = {
  trained: 'Seen in training',
  'trained-edited': 'Seen in training, test input edited',
  unseen: 'Never seen: adapt first',
  adapted: 'Adapted: using the saved adaptation',
};

/** What each embedding case means for the prediction, in plain words. */
export const EMBEDDING_TEXT: Record<EmbeddingStatus, string> = {
  trained: 'The run trained on this very puzzle, so the model uses the puzzle embedding it learned for it.',
  'trained-edited':
    'The run trained on these demonstrations, but the test input was edited. The learned embedding still applies: it was learned from the demonstrations only.',
  unseen:
    'The run never trained on these demonstrations. The model only knows a task through the puzzle embedding it learned for it, so it has none for this one: running now uses a blank (zero) embedding and leaves the model only the grids to go on. Adapt first: learn an embedding for these demonstrations.',
  adapted:
    'The run never trained on this puzzle, but a puzzle embedding was adapted to its demonstrations and saved with the checkpoint. Running uses that saved adaptation; no second adaptation is needed.',
};
