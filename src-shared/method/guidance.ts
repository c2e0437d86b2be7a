// The guidance view of one refinement step (the DIS paper's Eq. 5 and Prop. 4.1; docs/method-notes.md#guidance), per token over the
// vocabulary. ℓ_u are the logits before the step's reasoning, ℓ_c after; Δℓ = ℓ_c − ℓ_u is the
// "direction of improvement" and w the guidance weight (w = 1 is ordinary decoding).
//
// Layout: logits are flat, token-major: position p's logits are [p·vocab, (p+1)·vocab).

import { IGNORE } from '../puzzle/tokens';

function checkShapes(lu: ArrayLike<number>, lc: ArrayLike<number>, vocab: number, where: string): number {
  if (!Number.isInteger(vocab) || vocab < 1) throw new Error(`${where}: vocab must be a positive integer, got ${vocab}`);
  if (lu.length !== lc.length) {
    throw new Error(`${where}: ℓ_u has ${lu.length} values but ℓ_c has ${lc.length}`);
  }
  if (lu.length % vocab !== 0) {
    throw new Error(`${where}: ${lu.length} logits are not a whole number of ${vocab}-token rows`);
  }
  return lu.length / vocab;
}

/** The stablemax map s(z) = z + 1 for z ≥ 0, 1/(1 − z) otherwise (TRM's output nonlinearity). */
function stablemaxS(z: number): number {
  return z >= 0 ? z + 1 : 1 / (1 - z);
}

/**
 * Stablemax probabilities of logits[offset .. offset+vocab) into out[0 .. vocab): s(z_a) / Σ s(z_b).
 * This is the distribution TRM's stablemax cross-entropy trains, so its max is the model's confidence.
 */
export function stablemaxProbs(logits: ArrayLike<number>, offset: number, vocab: number, out: Float32Array): void {
  if (offset < 0 || offset + vocab > logits.length) {
    throw new Error(`stablemaxProbs: row [${offset}, ${offset + vocab}) is outside ${logits.length} logits`);
  }
  if (out.length < vocab) throw new Error(`stablemaxProbs: output holds ${out.length} values, needs ${vocab}`);
  let total = 0;
  for (let a = 0; a < vocab; a++) {
    const s = stablemaxS(logits[offset + a] as number);
    out[a] = s;
    total += s;
  }
  for (let a = 0; a < vocab; a++) out[a] = (out[a] as number) / total;
}

/**
 * Guided decoding: per token, argmax of ℓ_w = (1 − w)ℓ_u + wℓ_c (first index wins ties, as torch
 * argmax), with the stablemax probability of that token under ℓ_w as its confidence.
 */
export function decodeGuided(
  lu: ArrayLike<number>,
  lc: ArrayLike<number>,
  w: number,
  vocab: number,
): { tokens: Int32Array; confidence: Float32Array } {
  if (!Number.isFinite(w)) throw new Error(`decodeGuided: guidance weight must be finite, got ${w}`);
  const positions = checkShapes(lu, lc, vocab, 'decodeGuided');
  const tokens = new Int32Array(positions);
  const confidence = new Float32Array(positions);
  const row = new Float64Array(vocab);
  for (let p = 0; p < positions; p++) {
    const base = p * vocab;
    let best = 0;
    let total = 0;
    for (let a = 0; a < vocab; a++) {
      const l = (1 - w) * (lu[base + a] as number) + w * (lc[base + a] as number);
      row[a] = l;
      if (l > (row[best] as number)) best = a;
    }
    for (let a = 0; a < vocab; a++) total += stablemaxS(row[a] as number);
    tokens[p] = best;
    confidence[p] = stablemaxS(row[best] as number) / total;
  }
  return { tokens, confidence };
}

/**
 * Proposition 4.1's Advantage Margin, summed over supervised tokens: Δℓ[y*] − E_{a∼π_w} Δℓ[a] with
 * π_w = softmax(ℓ_w). Its sign is the sign of −dL/dw for L(w) = −log π_w(y*): positive margin ⇔ the
 * loss falls as w grows, i.e. the step's reasoning moves the prediction towards the label.
 * Labels outside [0, vocab) (−100 = ignored) are not counted.
 */
export function advantageMargin(
  lu: ArrayLike<number>,
  lc: ArrayLike<number>,
  labels: ArrayLike<number>,
  w: number,
  vocab: number,
): { sum: number; count: number } {
  if (!Number.isFinite(w)) throw new Error(`advantageMargin: guidance weight must be finite, got ${w}`);
  const positions = checkShapes(lu, lc, vocab, 'advantageMargin');
  if (labels.length !== positions) {
    throw new Error(`advantageMargin: ${labels.length} labels for ${positions} token positions`);
  }
  const lw = new Float64Array(vocab);
  let sum = 0;
  let count = 0;
  for (let p = 0; p < positions; p++) {
    const y = labels[p] as number;
    if (y === IGNORE || !Number.isInteger(y) || y < 0 || y >= vocab) continue;
    const base = p * vocab;
    let max = -Infinity;
    for (let a = 0; a < vocab; a++) {
      const u = lu[base + a] as number;
      const l = u + w * ((lc[base + a] as number) - u);
      lw[a] = l;
      if (l > max) max = l;
    }
    // Softmax with the max subtracted so large logits do not overflow.
    let z = 0;
    let expected = 0;
    for (let a = 0; a < vocab; a++) {
      const e = Math.exp((lw[a] as number) - max);
      z += e;
      expected += e * ((lc[base + a] as number) - (lu[base + a] as number));
    }
    const deltaY = (lc[base + y] as number) - (lu[base + y] as number);
    sum += deltaY - expected / z;
    count++;
  }
  return { sum, count };
}
