import { describe, expect, it } from 'vitest';
import { DIS_PAPER, applyRecipe, buildConfigs, callsPerStep, defaultForm, disMode } from '../../../../src-renderer/src/lib/runs/config-build';
import { configDiff } from '../../../../src-renderer/src/lib/runs/config-diff';
import { parseRunConfig } from '../../../../src-shared/method/run-config';

describe('run setup → configs', () => {
  it('a TRM+DIS pair shares data, seed, backbone and optimiser settings, and keeps each recursion', () => {
    const [trm, dis] = buildConfigs(defaultForm());
    expect(trm?.method).toBe('trm');
    expect(dis?.method).toBe('dis');
    expect(trm?.data).toEqual(dis?.data);
    expect(trm?.seed).toBe(dis?.seed);
    expect([trm?.model.hidden, trm?.model.layers, trm?.model.heads]).toEqual([dis?.model.hidden, dis?.model.layers, dis?.model.heads]);
    expect([trm?.model.T, trm?.model.n, trm?.model.Nsup]).toEqual([3, 4, 16]);
    expect([dis?.model.T, dis?.model.n, dis?.model.Nsup]).toEqual([1, 2, 6]);
    // the differences are what the methods are: recursion, halting, optimiser kind, EMA, mode-free defaults
    const paths = configDiff(trm, dis).map((d) => d.path);
    expect(paths).not.toContain('data.canvas');
    expect(paths).not.toContain('optimizer.lr');
    expect(paths).toContain('model.Nsup');
  });

  it('produces configs that pass the run-config schema and a CPU-sized default', () => {
    for (const c of buildConfigs(defaultForm())) {
      expect(parseRunConfig(c)).toEqual(c);
      expect(c.model.preset).toBe('tiny');
      expect(c.data.canvas).toBe(8);
      expect(c.budget.optimizerSteps).toBeLessThanOrEqual(600);
      expect(c.workers).toBe(0);
    }
    expect(buildConfigs({ ...defaultForm(), method: 'dis', workers: 2 })[0]?.workers).toBe(2);
  });

  it('records the DIS mode: code, paper, or custom for a mix', () => {
    expect(buildConfigs({ ...defaultForm(), method: 'dis' })[0]?.mode).toBe('code');
    expect(buildConfigs({ ...defaultForm(), method: 'dis', disOptions: DIS_PAPER })[0]?.mode).toBe('paper');
    expect(disMode({ ...DIS_PAPER, stepWeights: 'uniform' })).toBe('custom');
  });

  it('refuses a setting outside the schema with the field named', () => {
    expect(() => buildConfigs({ ...defaultForm(), canvas: 31 })).toThrow(/data\.canvas/);
    // a canvas smaller than the generated grids is refused here, not when the queued run starts
    const family = { kind: 'family', family: 'recolour', tasks: 4, minSide: 3, maxSide: 6, difficulty: 1, seed: 0 } as const;
    expect(() => buildConfigs({ ...defaultForm(), source: family, canvas: 5 })).toThrow(/data\.canvas: the 5×5 canvas cannot hold the generated grids \(max side 6\)/);
    expect(buildConfigs({ ...defaultForm(), source: family, canvas: 6 })).toHaveLength(2);
  });

  it('a recipe fills the form; the pair keeps its shared backbone and each run records its changes from the recipe', () => {
    const f = applyRecipe(defaultForm(), 'arc-agi');
    expect(f).toMatchObject({ recipe: 'arc-agi', method: 'pair', preset: 'full', hidden: 512, canvas: 30, augmentations: 1000, translate: true, emaDecay: 0.999 });
    expect(f.trm).toEqual({ T: 3, n: 4, Nsup: 16 });
    expect(f.dis).toEqual({ T: 1, n: 2, Nsup: 6 });
    const [trm, dis] = buildConfigs({ ...f, source: { kind: 'family', family: 'recolour', tasks: 4, minSide: 3, maxSide: 6, difficulty: 1, seed: 0 } });
    expect(trm?.recipe?.changes).toEqual([]);
    // DIS's own recipe is the compact size; the pair's shared full backbone is recorded as a change.
    expect(dis?.recipe?.changes.map((c) => c.path)).toEqual(expect.arrayContaining(['model.hidden', 'model.layers', 'model.preset', 'model.puzzleEmbDim']));
    // A one-method recipe switches a pair to its method; mixer and positions come with it.
    const s = applyRecipe(defaultForm(), 'sudoku-extreme');
    expect(s).toMatchObject({ method: 'trm', mixer: 'mlp_t', posEncodings: 'none' });
    expect(buildConfigs(s)[0]?.recipe?.changes).toEqual([]);
    expect(applyRecipe(s, null).recipe).toBeNull();
  });

  it('counts network calls per step as the methods do', () => {
    expect(callsPerStep('trm', { T: 3, n: 6, Nsup: 16 })).toEqual({ calls: 21, grad: 7, forwardEquivalents: 35 });
    expect(callsPerStep('dis', { T: 1, n: 2, Nsup: 6 }).calls).toBe(3);
    // HRM T2 n2: 6 calls of its inner forward (2 with gradient) + 6 for the continue target.
    expect(callsPerStep('hrm', { T: 2, n: 2, Nsup: 16 })).toEqual({ calls: 12, grad: 2, forwardEquivalents: 16 });
  });

  it('builds an HRM run with its own recursion, both level sizes and the attention mixer, alone (no pair)', () => {
    const f = { ...defaultForm(), method: 'hrm' as const, hLayers: 2, mixer: 'mlp_t' as const, hrm: { T: 3, n: 2, Nsup: 8 } };
    const [c, ...rest] = buildConfigs(f);
    expect(rest).toEqual([]);
    expect(c?.method).toBe('hrm');
    expect(c?.model).toMatchObject({ layers: 1, hLayers: 2, T: 3, n: 2, Nsup: 8, mixer: 'attention', puzzleEmbLen: 1 });
    expect(c?.halting.enabled).toBe(true);
    // TRM and DIS runs carry no hLayers.
    expect(buildConfigs(defaultForm()).every((x) => x.model.hLayers === undefined)).toBe(true);
    // The ARC recipe has an HRM setting: the authors' 4 + 4 blocks at the full size.
    const r = applyRecipe({ ...defaultForm(), method: 'hrm' }, 'arc-agi');
    expect(r).toMatchObject({ method: 'hrm', layers: 4, hLayers: 4, hidden: 512, hrm: { T: 2, n: 2, Nsup: 16 } });
    expect(buildConfigs(r)[0]?.recipe?.changes).toEqual([]);
  });
});
