import { beforeAll, describe, expect, it } from 'vitest';
import { disposeRope, ropeTables } from '../../../../src-main/engine/ops/rope';
import { useWasm } from '../helpers';

beforeAll(useWasm);

// cos/sin at position 915 (the last of 16 + 900) for head dimension 32 (the compact preset), θ = 10000,
// computed as the reference's RotaryEmbedding does, in float32 throughout (numpy float32:
// inv = 1/(10000 ** (arange(0, 32, 2, f32)/32)); outer(arange(916, f32), inv); cos; sin).
const COS_915 = [
  -0.6991861462593079, 0.7782652974128723, 0.9486376047134399, 0.7959337830543518, -0.9234526753425598, 0.37282469868659973, -0.7896799445152283,
  -0.8455007076263428, -0.9624853730201721, 0.4196266233921051, -0.9693787097930908, -0.05629951134324074, 0.609790563583374, 0.8705180883407593,
  0.9584299921989441, 0.9867914915084839,
];
const SIN_915 = [
  -0.7149397134780884, -0.6279355883598328, 0.3163648545742035, -0.6053836941719055, -0.3837123513221741, 0.9279018044471741, -0.613519012928009,
  -0.533974289894104, 0.27133360505104065, -0.9076967835426331, 0.24557062983512878, 0.9984139204025269, 0.7925626039505005, 0.4921364486217499,
  0.2853277921676636, 0.161995530128479,
];

describe('RoPE tables', () => {
  it('compute the angles in float32 as the reference does, not in float64', () => {
    const t = ropeTables(916, 32, 10000);
    const cos = t.cos.dataSync();
    const sin = t.sin.dataSync();
    disposeRope(t);
    let worstFloat64 = 0;
    for (let i = 0; i < 16; i++) {
      for (const half of [0, 16]) {
        // within a float32 rounding of numpy's float32 cos/sin
        expect(Math.abs(cos[915 * 32 + i + half]! - COS_915[i]!)).toBeLessThan(2e-7);
        expect(Math.abs(sin[915 * 32 + i + half]! - SIN_915[i]!)).toBeLessThan(2e-7);
      }
      const f64 = 915 * Math.pow(10000, (-2 * i) / 32);
      worstFloat64 = Math.max(worstFloat64, Math.abs(Math.cos(f64) - COS_915[i]!), Math.abs(Math.sin(f64) - SIN_915[i]!));
    }
    // The float64-angle tables the lab used before are measurably off at this position.
    expect(worstFloat64).toBeGreaterThan(5e-6);
  });
});
