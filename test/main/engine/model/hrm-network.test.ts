import { describe, expect, it } from 'vitest';
import { defaultRunConfig } from '../../../../src-shared/method/run-config';
import { countParameters, netSpec, parameterShapes } from '../../../../src-main/engine/model/trm';

describe('the HRM network', () => {
  it('has the authors’ 27,276,290 trainable parameters at the default preset and 900 tokens, puzzle table aside', () => {
    const c = defaultRunConfig('hrm', 'full');
    expect(c.model).toMatchObject({ hidden: 512, heads: 8, expansion: 4, layers: 4, hLayers: 4, T: 2, n: 2, Nsup: 16, ropeTheta: 10000, puzzleEmbLen: 1, puzzleEmbDim: 512 });
    expect(c.optimizer).toMatchObject({ kind: 'adam-atan2', lr: 1e-4, beta1: 0.9, beta2: 0.95, weightDecay: 0.1, warmupSteps: 2000, puzzleEmbLr: 1e-2, puzzleEmbWeightDecay: 0.1, ema: false });
    expect(c.batchSize).toBe(768);
    expect(countParameters(netSpec(c.model, 12, 900, 'hrm'))).toBe(27_276_290);
  });

  it('gives f_L and f_H their own blocks and has no step table', () => {
    const c = defaultRunConfig('hrm', 'tiny');
    const names = parameterShapes(netSpec({ ...c.model, layers: 2, hLayers: 3 }, 12, 100, 'hrm')).map(([n]) => n);
    expect(names.filter((n) => n.startsWith('L_level.layers.') && n.endsWith('.wq'))).toHaveLength(2);
    expect(names.filter((n) => n.startsWith('H_level.layers.') && n.endsWith('.wq'))).toHaveLength(3);
    expect(names.some((n) => n.startsWith('layers.') || n === 'step_embed')).toBe(false);
  });
});
