// Helpers shared by the target generators Φ.

import type { Rng } from '../../prng';
import { IGNORE } from '../../puzzle/tokens';

export interface TargetContext {
  encoding: 'arc' | 'nqueens' | 'sudoku';
  /** canvas side: the sequence is side×side, row-major */
  side: number;
  vocab: number;
}

export interface TargetOptions {
  /** reveal path: 'code' = every x≠y position incl. label-PAD (−100); 'label-only' = only positions with a label */
  eligibility: 'code' | 'label-only';
}

export type TargetGeneratorId = 'reveal' | 'mask' | 'random' | 'programmable';

export interface TargetGenerator {
  id: TargetGeneratorId;
  /** frames F_0..F_Nsup (Nsup+1 arrays of seqLen) for ONE example; F_Nsup equals y (labels); −100 = unsupervised */
  frames(
    x: ArrayLike<number>,
    y: ArrayLike<number>,
    Nsup: number,
    rng: Rng,
    ctx: TargetContext,
    o: TargetOptions,
  ): Int32Array[];
}

export function checkFrameArgs(id: string, x: ArrayLike<number>, y: ArrayLike<number>, Nsup: number, ctx: TargetContext): void {
  if (!Number.isInteger(Nsup) || Nsup < 1) throw new Error(`target generator ${id}: Nsup must be a positive integer, got ${Nsup}`);
  if (x.length !== y.length) {
    throw new Error(`target generator ${id}: input has ${x.length} tokens but label has ${y.length}`);
  }
  if (x.length !== ctx.side * ctx.side) {
    throw new Error(`target generator ${id}: ${x.length} tokens do not fill the ${ctx.side}×${ctx.side} ${ctx.encoding} canvas`);
  }
}

/** Whether a token is a valid class for the loss; everything else (−100) is ignored. */
export function supervised(t: number, vocab: number): boolean {
  return t >= 0 && t < vocab;
}

/** Maps every value the loss would ignore to −100, so consumers only ever test one sentinel. */
export function normalise(frame: Int32Array, vocab: number): Int32Array {
  for (let i = 0; i < frame.length; i++) if (!supervised(frame[i] as number, vocab)) frame[i] = IGNORE;
  return frame;
}

/** Number of path positions switched at step s of Nsup: floor(s·n/Nsup), the reference's linear schedule. */
export function switchedAt(s: number, n: number, Nsup: number): number {
  return Math.floor((s * n) / Nsup);
}

/**
 * Frames along an ordered path: F_s takes `after[p]` at the first floor(s·|order|/Nsup) positions of
 * `order` and `before[p]` at the rest of them; positions off the path take `rest[p]`. Nested by construction.
 */
export function pathFrames(
  order: ArrayLike<number>,
  before: ArrayLike<number>,
  after: ArrayLike<number>,
  rest: ArrayLike<number>,
  Nsup: number,
  vocab: number,
): Int32Array[] {
  const base = Int32Array.from(rest);
  for (let j = 0; j < order.length; j++) {
    const p = order[j] as number;
    base[p] = before[p] as number;
  }
  const frames: Int32Array[] = [];
  let current = base;
  let done = 0;
  for (let s = 0; s <= Nsup; s++) {
    const k = switchedAt(s, order.length, Nsup);
    if (s > 0) current = current.slice();
    for (; done < k; done++) {
      const p = order[done] as number;
      current[p] = after[p] as number;
    }
    frames.push(current);
  }
  return frames.map((f) => normalise(f, vocab));
}

/** The positions with `pick(i)` true, in a uniformly random order. */
export function randomOrder(n: number, pick: (i: number) => boolean, rng: Rng): number[] {
  const positions: number[] = [];
  for (let i = 0; i < n; i++) if (pick(i)) positions.push(i);
  return rng.shuffle(positions);
}
