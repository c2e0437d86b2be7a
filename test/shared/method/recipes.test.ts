import { describe, expect, it } from 'vitest';
import { countParameters, netSpec } from '../../../src-main/engine/model/trm';
import { RECIPES, recipeChanges, recipeConfig, withRecipe } from '../../../src-shared/method/recipes';
import { defaultRunConfig, parseRunConfig, RECIPE_IDS } from '../../../src-shared/method/run-config';

describe('the authors’ recipes', () => {
  it('every recipe builds a valid config for each of its methods, cites its source and refuses other methods', () => {
    for (const id of RECIPE_IDS) {
      const r = RECIPES[id];
      expect(r.source.length).toBeGreaterThan(40);
      for (const m of ['trm', 'dis'] as const) {
        if (r.methods.includes(m)) expect(parseRunConfig(recipeConfig(id, m)).method).toBe(m);
        else expect(() => recipeConfig(id, m)).toThrow(new RegExp(`recipe ${id} is a .* recipe; it has no ${m.toUpperCase()} setting`));
      }
    }
  });

  it('Sudoku-Extreme is TRM’s MLP variant: mlp_t, no positions, T 3 / n 6, weight decay 1.0, puzzle-embedding lr 1e-4, 50k epochs of 1000 puzzles', () => {
    const c = recipeConfig('sudoku-extreme', 'trm');
    expect(c.model).toMatchObject({ mixer: 'mlp_t', posEncodings: 'none', hidden: 512, layers: 2, T: 3, n: 6, Nsup: 16 });
    expect(c.optimizer).toMatchObject({ kind: 'adam-atan2', lr: 1e-4, weightDecay: 1.0, puzzleEmbLr: 1e-4, puzzleEmbWeightDecay: 1.0, ema: true });
    expect(c.data.source).toMatchObject({ kind: 'sudoku', train: 1000 });
    // int(50000 · 1000 / 768) steps, evaluation every int(5000 · 1000 / 768)
    expect(c.budget.optimizerSteps).toBe(65_104);
    expect(c.eval.interval).toBe(6_510);
    expect(countParameters(netSpec(c.model, 11, 81, 'trm'))).toBe(5_028_866);
    expect(recipeConfig('sudoku-extreme-att', 'trm').model).toMatchObject({ mixer: 'attention', posEncodings: 'rope' });
  });

  it('Maze uses T 3 / n 4 with weight decay 1.0; ARC-AGI is the faithful default of each method at the authors’ size', () => {
    expect(recipeConfig('maze', 'trm').model).toMatchObject({ T: 3, n: 4, layers: 2 });
    expect(recipeConfig('maze', 'trm').optimizer.weightDecay).toBe(1.0);
    const trm = recipeConfig('arc-agi', 'trm');
    expect(trm.model).toEqual(defaultRunConfig('trm', 'full').model);
    expect(trm.data).toMatchObject({ augmentations: 1000, translate: true, canvas: 30 });
    expect(trm.budget.optimizerSteps).toBe(518_226);
    expect(recipeConfig('arc-agi', 'dis').model).toEqual(defaultRunConfig('dis', 'compact').model);
  });

  it('DIS N-Queens: N_sup 8, D 512, two layers, lucidrains AdamAtan2 with a = 1.27, batch 768', () => {
    const c = recipeConfig('dis-nqueens', 'dis');
    expect(c.model).toMatchObject({ Nsup: 8, hidden: 512, layers: 2, T: 1, n: 2 });
    expect(c.optimizer).toMatchObject({ kind: 'adam-atan2-lucidrains', atan2Scale: 1.27, atan2B: 1, ema: false });
    expect(c.data.source).toEqual({ kind: 'nqueens', n: 8, train: 800, test: 200, seed: 0 });
    expect(c.batchSize).toBe(768);
    expect(c.budget.optimizerSteps).toBe(104_166);
  });

  it('a run records the recipe and exactly the fields changed from it', () => {
    const base = recipeConfig('sudoku-extreme', 'trm');
    const changed = withRecipe({ ...base, name: 'mine', batchSize: 64, optimizer: { ...base.optimizer, lr: 1e-3 } }, 'sudoku-extreme');
    expect(changed.recipe).toEqual({
      id: 'sudoku-extreme',
      changes: [
        { path: 'batchSize', recipe: '768', value: '64' },
        { path: 'optimizer.lr', recipe: '0.0001', value: '0.001' },
      ],
    });
    expect(withRecipe(base, 'sudoku-extreme').recipe?.changes).toEqual([]);
    // On the ARC recipe the data source is the user's (no change); on a recipe with its own data it is one.
    const arc = recipeConfig('arc-agi', 'trm', { kind: 'file', path: '/x' });
    expect(withRecipe(arc, 'arc-agi').recipe?.changes).toEqual([]);
    expect(recipeChanges(base, { ...base, data: { ...base.data, source: { kind: 'sudoku', train: 10, test: 2, difficulty: 1, seed: 0 } } }).map((c) => c.path)).toEqual([
      'data.source.difficulty',
      'data.source.test',
      'data.source.train',
    ]);
    // Saved configs without a recipe still parse.
    const { recipe: _none, ...plain } = changed;
    expect(parseRunConfig(plain).recipe).toBeUndefined();
  });
});
