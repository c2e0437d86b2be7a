import { describe, expect, it } from 'vitest';
import { flopsPerCall, headFlops, inferenceCallsPerStep, methodTrainStepFlops, trainCallsPerStep, trainForwardEquivalentsPerStep, trainStepFlops } from '../../../src-shared/method/compute';
import { defaultRunConfig } from '../../../src-shared/method/run-config';

describe('compute accounting per method', () => {
  it('keeps TRM’s and DIS’s T(n+1) calls a step', () => {
    const trm = defaultRunConfig('trm', 'full');
    expect(trainCallsPerStep(trm)).toEqual({ total: 15, grad: 5, noGrad: 10 });
    expect(trainForwardEquivalentsPerStep(trm)).toBe(25);
    expect(inferenceCallsPerStep(trm)).toBe(15);
    expect(methodTrainStepFlops(trm, 916, 12, 2)).toBe(trainStepFlops(trm.model, 916, 12, 2));
  });

  it('counts HRM’s T·n + T calls a forward, 2 with gradient, plus a second forward for the continue target in training (N_sup > 1)', () => {
    const hrm = defaultRunConfig('hrm', 'full');
    expect(trainCallsPerStep(hrm)).toEqual({ total: 12, grad: 2, noGrad: 10 });
    expect(trainForwardEquivalentsPerStep(hrm)).toBe(16);
    expect(inferenceCallsPerStep(hrm)).toBe(6);
    expect(trainCallsPerStep({ ...hrm, model: { ...hrm.model, Nsup: 1 } })).toEqual({ total: 6, grad: 2, noGrad: 4 });
    // With equal levels (4 + 4 blocks), a step is 16 forward-equivalents of a 4-block call, plus the heads.
    expect(methodTrainStepFlops(hrm, 901, 12, 1)).toBe(16 * flopsPerCall({ ...hrm.model, layers: 4 }, 901) + 3 * headFlops(512, 901, 12));
  });
});
