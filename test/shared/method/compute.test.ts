import { describe, expect, it } from 'vitest';
import {
  callsPerStep,
  callsPerTrajectory,
  flopsPerCall,
  forwardEquivalentsPerStep,
  trajectoryForwardEquivalents,
} from '../../../src-shared/method/compute';
import { PRESET_SIZES } from '../../../src-shared/method/run-config';

describe('compute accounting (docs/method-notes.md#compute-accounting)', () => {
  it('counts 21 calls per TRM step at T=3, n=6 (14 without gradient, 7 with)', () => {
    expect(callsPerStep(3, 6)).toEqual({ total: 21, grad: 7, noGrad: 14 });
  });

  it('counts 336 calls per TRM trajectory and 18 per DIS trajectory, the paper ratio 18.7', () => {
    expect(callsPerTrajectory(3, 6, 16).total).toBe(336);
    expect(callsPerTrajectory(1, 2, 6)).toEqual({ grad: 18, noGrad: 0, total: 18 });
    expect(336 / 18).toBeCloseTo(18.67, 2);
  });

  it('gives 35 forward-equivalents per TRM step and 9 per DIS step', () => {
    expect(forwardEquivalentsPerStep(3, 6)).toBe(35);
    expect(forwardEquivalentsPerStep(3, 4)).toBe(25);
    expect(forwardEquivalentsPerStep(1, 2)).toBe(9);
    expect(trajectoryForwardEquivalents(3, 6, 16) / trajectoryForwardEquivalents(1, 2, 6)).toBeCloseTo(560 / 54, 6);
  });

  it('reproduces the FLOPs per call of the compute-accounting table at 916 tokens', () => {
    expect(flopsPerCall(PRESET_SIZES.full, 916) / 1e9).toBeCloseTo(15.92, 1);
    expect(flopsPerCall(PRESET_SIZES.compact, 916) / 1e9).toBeCloseTo(2.42, 1);
    expect(flopsPerCall(PRESET_SIZES.full, 80) / 1e9).toBeCloseTo(1.12, 1);
  });

  it('counts TRM’s mlp_t mixer as a SwiGLU over the positions: Sudoku at D 512, 2 layers, 97 positions', () => {
    // per layer: 2·512·3·97·512 (positions) + 2·97·3·512·1536 (channels)
    expect(flopsPerCall({ ...PRESET_SIZES.full, mixer: 'mlp_t' }, 97)).toBe(2 * (2 * 512 * 3 * 97 * 512 + 2 * 97 * 3 * 512 * 1536));
  });
});
