// The authors' per-task recipes as named starting points, apart from the model-size presets (a preset
// sizes the network; a recipe is a whole training setting from one of the authors' commands). Each
// recipe cites where its values come from; docs/recipes.md has the table. A run started from a recipe
// records its id and every field changed from it (RunConfig.recipe), so "ARC-AGI recipe, lr changed"
// stays visible in the run.
//
// Budgets: the authors count epochs; the lab counts optimizer steps. Steps are computed with their
// formula int(epochs · groups · mean examples per puzzle / global batch) for their dataset sizes
// (docs/method-notes.md#schedule-and-ema), and the evaluation interval as steps per `eval_interval` epochs.
import { defaultRunConfig, parseRunConfig, PRESET_SIZES, type DataSource, type RecipeId, type RecipeRecord, type RunConfig } from './run-config';

export type Method = 'trm' | 'dis';

export interface Recipe {
  id: RecipeId;
  label: string;
  /** the methods the authors ran it with */
  methods: readonly Method[];
  /** file and command the values come from */
  source: string;
  /** one line on what it is and where the lab cannot follow it */
  summary: string;
  /** whether the recipe fixes the data (N-Queens, Sudoku); otherwise the caller's source is used */
  fixesData: boolean;
  build(method: Method, data: DataSource): RunConfig;
}

const steps = (epochs: number, examplesPerEpoch: number, batch: number): number => Math.floor((epochs * examplesPerEpoch) / batch);

/** TRM at the full size with the options the Sudoku and Maze commands share. */
function trmPuzzleRecipe(data: DataSource, T: number, n: number, mixer: 'attention' | 'mlp_t', pos: 'rope' | 'none'): RunConfig {
  const c = defaultRunConfig('trm', 'full');
  const total = steps(50_000, 1000, 768);
  return {
    ...c,
    model: { ...c.model, T, n, mixer, posEncodings: pos },
    optimizer: { ...c.optimizer, lr: 1e-4, weightDecay: 1.0, puzzleEmbLr: 1e-4, puzzleEmbWeightDecay: 1.0, ema: true },
    data: { ...c.data, source: data },
    budget: { ...c.budget, optimizerSteps: total },
    eval: { ...c.eval, interval: steps(5_000, 1000, 768) },
  };
}

const SUDOKU: DataSource = { kind: 'sudoku', train: 1000, test: 1000, difficulty: 5, seed: 0 };

export const RECIPES: Record<RecipeId, Recipe> = {
  'arc-agi': {
    id: 'arc-agi',
    label: 'ARC-AGI-1/2 (the authors’ ARC runs)',
    methods: ['trm', 'dis'],
    source:
      'TRM: TinyRecursiveModels README (ARC-AGI-1/2 command: arch.L_layers=2 arch.H_cycles=3 arch.L_cycles=4 ema=True), config/cfg_pretrain.yaml (batch 768, lr 1e-4, puzzle_emb_lr 1e-2, weight decay 0.1, epochs 100000, eval_interval 10000); DIS: Deep-Improvement-Supervision train_arc_tiny_corrupt.py (compact, AdamW, batch 512, epochs 200000, eval_interval 5000)',
    summary: 'The lab’s faithful defaults at the authors’ sizes, 1000 augmented versions per task and translation; budgets are the computed ARC-AGI-1 totals.',
    fixesData: false,
    build(method, data) {
      const c = defaultRunConfig(method, method === 'trm' ? 'full' : 'compact');
      // ARC-AGI-1 totals (the references' epochs × examples ÷ batch): TRM 518,226 steps / 10 evaluations; DIS 1,554,679 / 40.
      const total = method === 'trm' ? 518_226 : 1_554_679;
      const evals = method === 'trm' ? 10 : 40;
      return {
        ...c,
        data: { ...c.data, source: data, augmentations: 1000, translate: true, canvas: 30 },
        budget: { ...c.budget, optimizerSteps: total },
        eval: { ...c.eval, interval: Math.floor(total / evals), augmentations: 1000 },
      };
    },
  },
  'sudoku-extreme': {
    id: 'sudoku-extreme',
    label: 'Sudoku-Extreme, MLP variant (TRM’s best Sudoku setting)',
    methods: ['trm'],
    source:
      'TinyRecursiveModels README, "pretrain_mlp_t_sudoku": arch.mlp_t=True arch.pos_encodings=none arch.L_layers=2 arch.H_cycles=3 arch.L_cycles=6, lr 1e-4, puzzle_emb_lr 1e-4, weight_decay 1.0, puzzle_emb_weight_decay 1.0, epochs 50000, eval_interval 5000, ema=True; data build --subsample-size 1000 --num-aug 1000',
    summary: 'The Sudoku-Extreme files are not shipped; the lab’s generated Sudoku (hardest level, 1000 training puzzles × 1000 augmentations) stands in.',
    fixesData: true,
    build: () => {
      const c = trmPuzzleRecipe(SUDOKU, 3, 6, 'mlp_t', 'none');
      return { ...c, data: { ...c.data, augmentations: 1000, translate: false }, eval: { ...c.eval, augmentations: 0 } };
    },
  },
  'sudoku-extreme-att': {
    id: 'sudoku-extreme-att',
    label: 'Sudoku-Extreme, attention variant',
    methods: ['trm'],
    source: 'TinyRecursiveModels README, "pretrain_att_sudoku": the Sudoku command without arch.mlp_t and arch.pos_encodings (attention with RoPE)',
    summary: 'As the MLP variant, with self-attention and RoPE.',
    fixesData: true,
    build: () => {
      const c = trmPuzzleRecipe(SUDOKU, 3, 6, 'attention', 'rope');
      return { ...c, data: { ...c.data, augmentations: 1000, translate: false }, eval: { ...c.eval, augmentations: 0 } };
    },
  },
  maze: {
    id: 'maze',
    label: 'Maze-Hard 30×30',
    methods: ['trm'],
    source:
      'TinyRecursiveModels README, "pretrain_att_maze30x30": arch.L_layers=2 arch.H_cycles=3 arch.L_cycles=4, lr 1e-4, puzzle_emb_lr 1e-4, weight_decay 1.0, puzzle_emb_weight_decay 1.0, epochs 50000, eval_interval 5000, ema=True (4 GPUs, global batch 768)',
    summary: 'No maze generator in the lab: bring maze tasks as ARC JSON on the 30×30 canvas. Not translated; no colour-permuting augmentation (it would change what the maze cells mean).',
    fixesData: false,
    build: (_method, data) => {
      const c = trmPuzzleRecipe(data, 3, 4, 'attention', 'rope');
      return { ...c, data: { ...c.data, augmentations: 0, translate: false, canvas: 30 }, eval: { ...c.eval, augmentations: 0 } };
    },
  },
  'dis-nqueens': {
    id: 'dis-nqueens',
    label: 'DIS N-Queens (8×8)',
    methods: ['dis'],
    source:
      'Deep-Improvement-Supervision queens/train_arc_tiny_corrupt_queens.py: ACTV5, halt_max_steps 8, H_cycles 1, L_cycles 2, L_layers 2, hidden 512, puzzle_emb_ndim 512, batch 768, epochs 100000, eval_interval 5000, lucidrains AdamAtan2 (a = 1.27), weight decay 0.1, puzzle_emb_lr 1e-2, ema off; data dataset/build_nqueens_dataset.py (800 train / 200 test, 8 dihedral copies)',
    summary: 'The DIS N-Queens script as written (its model is D = 512 with 2 layers, ≈6.8M parameters, although the paper says 0.8M).',
    fixesData: true,
    build: () => {
      const c = defaultRunConfig('dis', 'full');
      const total = steps(100_000, 800, 768);
      return {
        ...c,
        model: { ...c.model, ...PRESET_SIZES.full, T: 1, n: 2, Nsup: 8 },
        optimizer: { ...c.optimizer, kind: 'adam-atan2-lucidrains', atan2Scale: 1.27, atan2B: 1, weightDecay: 0.1, puzzleEmbLr: 1e-2, ema: false },
        data: { ...c.data, source: { kind: 'nqueens', n: 8, train: 800, test: 200, seed: 0 }, augmentations: 8, translate: false },
        batchSize: 768,
        budget: { ...c.budget, optimizerSteps: total },
        eval: { ...c.eval, interval: steps(5_000, 800, 768), augmentations: 0 },
      };
    },
  },
};

/** The recipe's run config for `method`, on `data` unless the recipe fixes its own data. */
export function recipeConfig(id: RecipeId, method: Method, data?: DataSource): RunConfig {
  const r = RECIPES[id];
  if (!r) throw new Error(`unknown recipe ${JSON.stringify(id)}; recipes: ${Object.keys(RECIPES).join(', ')}`);
  if (!r.methods.includes(method)) {
    throw new Error(`recipe ${id} is a ${r.methods.map((m) => m.toUpperCase()).join('/')} recipe; it has no ${method.toUpperCase()} setting`);
  }
  const c = r.build(method, data ?? defaultRunConfig(method).data.source);
  return parseRunConfig({ ...c, name: `${method.toUpperCase()} · ${r.label}`.slice(0, 200) });
}

function flatten(value: unknown, prefix: string, out: Map<string, string>): void {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
    return;
  }
  out.set(prefix, value === undefined ? 'undefined' : JSON.stringify(value));
}

/** Every leaf field where `config` differs from the recipe's config (the name and the record itself aside). */
export function recipeChanges(recipe: RunConfig, config: RunConfig): RecipeRecord['changes'] {
  const a = new Map<string, string>();
  const b = new Map<string, string>();
  flatten({ ...recipe, name: undefined, recipe: undefined }, '', a);
  flatten({ ...config, name: undefined, recipe: undefined }, '', b);
  const paths = [...new Set([...a.keys(), ...b.keys()])].filter((p) => p !== 'name' && p !== 'recipe').sort();
  return paths.filter((p) => a.get(p) !== b.get(p)).map((path) => ({ path, recipe: a.get(path) ?? 'absent', value: b.get(path) ?? 'absent' }));
}

/** `config` with the record of the recipe it started from (diffed against that recipe on the same data). */
export function withRecipe(config: RunConfig, id: RecipeId): RunConfig {
  const base = recipeConfig(id, config.method, config.data.source);
  return parseRunConfig({ ...config, recipe: { id, changes: recipeChanges(base, config) } });
}
