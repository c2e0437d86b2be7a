import { describe, expect, it } from 'vitest';
import { advantageMargin, decodeGuided, stablemaxProbs } from '../../../src-shared/method/guidance';
import { Rng } from '../../../src-shared/prng';

function softmax(l: number[]): number[] {
  const m = Math.max(...l);
  const e = l.map((v) => Math.exp(v - m));
  const z = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / z);
}

describe('stablemaxProbs', () => {
  it('maps logits through s(z) = z+1 (z ≥ 0) or 1/(1−z) and normalises', () => {
    // s(2) = 3, s(0) = 1, s(-1) = 0.5 → total 4.5
    const out = new Float32Array(3);
    stablemaxProbs([9, 2, 0, -1, 9], 1, 3, out);
    expect(Array.from(out)).toEqual([3 / 4.5, 1 / 4.5, 0.5 / 4.5].map((v) => Math.fround(v)));
  });

  it('rejects a row that runs past the end of the logits', () => {
    expect(() => stablemaxProbs([1, 2], 1, 2, new Float32Array(2))).toThrow(/outside 2 logits/);
  });
});

describe('decodeGuided', () => {
  it('takes the argmax of (1−w)ℓ_u + wℓ_c with its stablemax probability as confidence', () => {
    const lu = [3, 0, 0, /* pos 1 */ 0, 1, 0];
    const lc = [0, 2, 0, /* pos 1 */ 0, 1, 0];
    // w = 1: pos 0 → class 1 (logits 0,2,0): s = 1,3,1 → 3/5.
    const c = decodeGuided(lu, lc, 1, 3);
    expect(Array.from(c.tokens)).toEqual([1, 1]);
    expect(c.confidence[0]).toBeCloseTo(3 / 5, 6);
    // w = 0 decodes ℓ_u: pos 0 → class 0 (3,0,0): s = 4,1,1 → 4/6.
    const u = decodeGuided(lu, lc, 0, 3);
    expect(Array.from(u.tokens)).toEqual([0, 1]);
    expect(u.confidence[0]).toBeCloseTo(4 / 6, 6);
    // w = 0.5: pos 0 logits 1.5, 1, 0 → class 0, s = 2.5, 2, 1 → 2.5/5.5.
    const h = decodeGuided(lu, lc, 0.5, 3);
    expect(h.tokens[0]).toBe(0);
    expect(h.confidence[0]).toBeCloseTo(2.5 / 5.5, 6);
    // w = 2 extrapolates: pos 0 logits -3, 4, 0 → class 1.
    expect(decodeGuided(lu, lc, 2, 3).tokens[0]).toBe(1);
  });

  it('breaks ties towards the lowest token id, like torch argmax', () => {
    expect(Array.from(decodeGuided([1, 1, 1], [1, 1, 1], 1, 3).tokens)).toEqual([0]);
  });

  it('rejects logits that are not whole vocab rows', () => {
    expect(() => decodeGuided([1, 2, 3, 4], [1, 2, 3, 4], 1, 3)).toThrow(/not a whole number of 3-token rows/);
  });
});

describe('advantageMargin', () => {
  it('equals Δℓ[y*] − E_{π_w}Δℓ computed by hand, skipping ignored labels', () => {
    const lu = [0, 0, /* pos 1 */ 5, 5];
    const lc = [1, 0, /* pos 1 */ 0, 9];
    // pos 0, w = 1: π = softmax(1, 0); Δ = (1, 0); y* = 0 → 1 − π0.
    const p0 = softmax([1, 0])[0] as number;
    const r = advantageMargin(lu, lc, [0, -100], 1, 2);
    expect(r.count).toBe(1);
    expect(r.sum).toBeCloseTo(1 - p0, 10);
    // w = 0: pos 0 π = softmax(0,0) = ½,½, Δ = (1, 0), y* = 0 → 1 − ½ = ½;
    // pos 1 π = softmax(5,5) = ½,½, Δ = (−5, 4), y* = 0 → −5 − (−½) = −4.5.
    const both = advantageMargin(lu, lc, [0, 0], 0, 2);
    expect(both.count).toBe(2);
    expect(both.sum).toBeCloseTo(0.5 - 4.5, 10);
  });

  it('is minus the w-derivative of the label loss −log π_w(y*) (finite differences)', () => {
    const rng = new Rng(7);
    const vocab = 12;
    for (let trial = 0; trial < 20; trial++) {
      const lu = Array.from({ length: vocab }, () => 3 * rng.normal());
      const lc = Array.from({ length: vocab }, () => 3 * rng.normal());
      const y = rng.int(0, vocab - 1);
      const w = rng.float() * 2 - 0.5;
      const loss = (ww: number): number => {
        const p = softmax(lu.map((u, a) => (1 - ww) * u + ww * (lc[a] as number)));
        return -Math.log(p[y] as number);
      };
      const h = 1e-5;
      const dLdw = (loss(w + h) - loss(w - h)) / (2 * h);
      const { sum } = advantageMargin(lu, lc, [y], w, vocab);
      expect(sum).toBeCloseTo(-dLdw, 5);
      // Prop. 4.1: a positive margin means the loss decreases as w grows.
      if (Math.abs(sum) > 1e-6) expect(Math.sign(sum)).toBe(-Math.sign(dLdw));
    }
  });

  it('rejects a label count that does not match the positions', () => {
    expect(() => advantageMargin([0, 0], [0, 0], [0, 0], 1, 2)).toThrow(/2 labels for 1 token positions/);
  });
});
