import { describe, expect, it } from 'vitest';
import type { InferResult } from '../../../../src-shared/method/protocol';
import { inferFrames } from '../../../../src-renderer/src/lib/playground/infer-frames';

// A 2×2 canvas, vocab 12 (ARC tokens): colour k is token k+2.
function logits(perPos: number[]): number[] {
  return perPos.flatMap((tok) => Array.from({ length: 12 }, (_, a) => (a === tok ? 5 : 0)));
}

describe('playground decoding', () => {
  const result: InferResult = {
    encoding: 'arc',
    side: 2,
    vocab: 12,
    input: [2, 3, 4, 5],
    steps: [{ lu: logits([2, 2, 2, 2]), lc: logits([3, 3, 3, 3]), tokens: [3, 3, 3, 3], confidence: [0.9, 0.9, 0.9, 0.9] }],
    embedding: 'unseen',
    calls: { grad: 0, noGrad: 3 },
    ms: 5,
  };

  it('w = 1 shows what the engine decoded', () => {
    expect(inferFrames(result, 1).steps[0]?.pred).toEqual([[1, 1], [1, 1]]);
  });

  it('w = 0 re-decodes from the logits before the step (ℓ_u), with no new request', () => {
    expect(inferFrames(result, 0).steps[0]?.pred).toEqual([[0, 0], [0, 0]]);
  });

  it('without a known output the label row is all unsupervised', () => {
    expect(inferFrames(result, 1).label).toEqual([[-3, -3], [-3, -3]]);
  });
});
