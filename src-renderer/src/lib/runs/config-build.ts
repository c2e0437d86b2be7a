// The run-setup form as plain data, and the RunConfigs it stands for. A TRM+DIS pair shares the
// data, seed, backbone (hidden/layers/heads), canvas, budget and optimiser settings; each method
// keeps its own recursion (T, n, N_sup) and its faithful defaults for everything else. HRM runs alone
// (its backbone is two networks: `layers` blocks of f_L and `hLayers` of f_H).
import { canvasFor } from '../../../../src-shared/method/canvas-fit';
import { trainCallsPerStep, trainForwardEquivalentsPerStep } from '../../../../src-shared/method/compute';
import type { Method } from '../../../../src-shared/method/methods';
import { RECIPES, recipeConfig, withRecipe } from '../../../../src-shared/method/recipes';
import { DIS_CODE, DIS_PAPER, disMode } from '../../../../src-shared/method/dis-mode';
import {
  HRM_PRESET_LAYERS,
  PRESET_SIZES,
  defaultRunConfig,
  parseRunConfig,
  type DataSource,
  type DisOptions,
  type Preset,
  type RecipeId,
  type RunConfig,
} from '../../../../src-shared/method/run-config';

export type SetupMethod = Method | 'pair';

export interface Recursion {
  T: number;
  n: number;
  Nsup: number;
}

export type SetupSource =
  | { kind: 'family'; family: string; tasks: number; minSide: number; maxSide: number; difficulty: number; seed: number }
  | { kind: 'library'; taskIds: string[] }
  | { kind: 'dataset'; datasetId: string };

export interface SetupForm {
  /** the authors' recipe the form started from (applyRecipe), or null for the lab's quick-start values */
  recipe: RecipeId | null;
  method: SetupMethod;
  name: string;
  preset: Preset | 'custom';
  hidden: number;
  layers: number;
  heads: number;
  /** HRM: blocks of the high-level network f_H (`layers` are then f_L's) */
  hLayers: number;
  /** token mixer: attention, or TRM's MLP over the sequence (`mlp_t`) */
  mixer: 'attention' | 'mlp_t';
  posEncodings: 'rope' | 'learned' | 'none';
  trm: Recursion;
  dis: Recursion;
  /** HRM: T = H_cycles, n = L_cycles */
  hrm: Recursion;
  disOptions: DisOptions;
  source: SetupSource;
  canvas: number;
  augmentations: number;
  /** random translation of the training examples on the canvas (the authors' default for ARC) */
  translate: boolean;
  steps: number;
  evalInterval: number;
  evalAugmentations: number;
  batchSize: number;
  lr: number;
  warmup: number;
  /** TRM evaluates with an EMA of the weights (warmed-up decay, the same rule as the CLI); the live
   * weights are evaluated too */
  emaDecay: number;
  snapshotInterval: number;
  probes: number;
  seed: number;
  /** data-parallel worker threads on single-threaded backends (0 = auto, 1 = one engine) */
  workers: number;
}

// The DIS presets and the mode rule live below the transports (the CLI and the service use them too).
export { DIS_CODE, DIS_PAPER, disMode };

/**
 * Defaults that train something visible on a 2-core CPU in a few minutes: the tiny preset
 * (D = 64, one layer), 8 small recolour tasks on an 8×8 canvas (grids ≤ 6 plus the EOS marker),
 * 400 optimizer steps with a 50-step warm-up at lr 1e-3 (the authors' 1e-4 with a 2000-step
 * warm-up is tuned for 100k-step GPU runs and would barely move here), batch 32.
 */
export function defaultForm(): SetupForm {
  const trm = defaultRunConfig('trm', 'tiny');
  const dis = defaultRunConfig('dis', 'tiny');
  const hrm = defaultRunConfig('hrm', 'tiny');
  return {
    recipe: null,
    method: 'pair',
    name: 'recolour tiny',
    preset: 'tiny',
    ...pick(PRESET_SIZES.tiny),
    hLayers: HRM_PRESET_LAYERS.tiny.hLayers,
    mixer: trm.model.mixer,
    posEncodings: trm.model.posEncodings,
    trm: { T: trm.model.T, n: trm.model.n, Nsup: trm.model.Nsup },
    dis: { T: dis.model.T, n: dis.model.n, Nsup: dis.model.Nsup },
    hrm: { T: hrm.model.T, n: hrm.model.n, Nsup: hrm.model.Nsup },
    disOptions: { ...DIS_CODE },
    source: { kind: 'family', family: 'recolour', tasks: 8, minSide: 3, maxSide: 6, difficulty: 1, seed: 0 },
    canvas: 8,
    augmentations: 4,
    translate: trm.data.translate,
    steps: 400,
    evalInterval: 100,
    evalAugmentations: 2,
    batchSize: 32,
    lr: 1e-3,
    warmup: 50,
    emaDecay: trm.optimizer.emaDecay,
    snapshotInterval: 50,
    probes: 2,
    seed: 0,
    workers: 0,
  };
}

/**
 * The form filled from a recipe (null = back to the quick-start values): method (kept when the recipe
 * has it), sizes, recursion, data and training settings. The data source stays the user's unless the
 * recipe brings its own (N-Queens, Sudoku). Editing fields afterwards is recorded as changes.
 */
export function applyRecipe(f: SetupForm, id: RecipeId | null): SetupForm {
  if (id === null) return { ...defaultForm(), source: f.source, method: f.method };
  const r = RECIPES[id];
  const pairable = r.methods.includes('trm') && r.methods.includes('dis');
  const method: SetupMethod = f.method === 'pair' ? (pairable ? 'pair' : r.methods[0]!) : r.methods.includes(f.method) ? f.method : r.methods[0]!;
  const main = recipeConfig(id, method === 'pair' ? 'trm' : method);
  const rec = (m: Method): Recursion => {
    if (!r.methods.includes(m)) return f[m];
    const c = recipeConfig(id, m).model;
    return { T: c.T, n: c.n, Nsup: c.Nsup };
  };
  return {
    ...f,
    recipe: id,
    method,
    name: r.label,
    preset: main.model.preset,
    ...pick(main.model),
    mixer: main.model.mixer,
    posEncodings: main.model.posEncodings,
    hLayers: main.model.hLayers ?? f.hLayers,
    trm: rec('trm'),
    dis: rec('dis'),
    hrm: rec('hrm'),
    disOptions: { ...main.dis },
    canvas: main.data.canvas,
    augmentations: main.data.augmentations,
    translate: main.data.translate,
    steps: main.budget.optimizerSteps,
    evalInterval: main.eval.interval,
    evalAugmentations: main.eval.augmentations,
    batchSize: main.batchSize,
    lr: main.optimizer.lr,
    warmup: main.optimizer.warmupSteps,
    emaDecay: main.optimizer.emaDecay,
    snapshotInterval: main.snapshotInterval,
    probes: main.probes,
    seed: main.seed,
    workers: main.workers,
  };
}

function pick(s: { hidden: number; layers: number; heads: number }) {
  return { hidden: s.hidden, layers: s.layers, heads: s.heads };
}

function dataSource(s: SetupSource): DataSource {
  if (s.kind === 'family') return { ...s };
  if (s.kind === 'library') return { kind: 'library', taskIds: [...s.taskIds] };
  return { kind: 'dataset', datasetId: s.datasetId };
}

export function buildConfig(f: SetupForm, method: Method): RunConfig {
  // Generated ARC grids go up to maxSide; a smaller canvas would only fail when the run starts.
  // (N-Queens and Sudoku boards are encoded at their own size, whatever the canvas.)
  const s = f.source;
  const recipe = f.recipe ? RECIPES[f.recipe] : null;
  if (!recipe?.fixesData && s.kind === 'family' && s.family !== 'nqueens' && s.family !== 'sudoku' && s.maxSide > f.canvas) {
    throw new Error(`data.canvas: the ${f.canvas}×${f.canvas} canvas cannot hold the generated grids (max side ${s.maxSide}); raise the canvas to at least ${canvasFor(s.maxSide)} (the grid plus its end-of-grid marker, the playground's rule too)`);
  }
  const base = f.recipe ? recipeConfig(f.recipe, method, dataSource(f.source)) : defaultRunConfig(method, f.preset === 'custom' ? 'tiny' : f.preset);
  const rec = f[method];
  const cfg: RunConfig = {
    ...base,
    name: `${method.toUpperCase()} · ${f.name}`.slice(0, 200),
    mode: method === 'dis' ? disMode(f.disOptions) : 'code',
    model: {
      ...base.model,
      preset: f.preset,
      hidden: f.hidden,
      layers: f.layers,
      heads: f.heads,
      ...(method === 'hrm' ? { hLayers: f.hLayers } : {}),
      // The token mixer is a TRM/DIS option (hidden for HRM, whose blocks always attend).
      mixer: method === 'hrm' ? 'attention' : f.mixer,
      posEncodings: f.posEncodings,
      puzzleEmbDim: f.preset === 'custom' ? f.hidden : PRESET_SIZES[f.preset].puzzleEmbDim,
      T: rec.T,
      n: rec.n,
      Nsup: rec.Nsup,
    },
    dis: { ...f.disOptions },
    optimizer: { ...base.optimizer, lr: f.lr, warmupSteps: f.warmup, emaDecay: f.emaDecay },
    // A recipe with its own data (N-Queens, Sudoku) keeps it; otherwise the form's source.
    data: { ...base.data, source: recipe?.fixesData ? base.data.source : dataSource(f.source), canvas: f.canvas, augmentations: f.augmentations, translate: f.translate },
    batchSize: f.batchSize,
    budget: { ...base.budget, optimizerSteps: f.steps },
    eval: { ...base.eval, interval: f.evalInterval, augmentations: f.evalAugmentations },
    snapshotInterval: f.snapshotInterval,
    probes: f.probes,
    // checkpoints at the end and at each evaluation are enough for the playground; a recipe keeps its own
    checkpointInterval: f.recipe ? base.checkpointInterval : 0,
    seed: f.seed,
    workers: f.workers,
  };
  const parsed = parseRunConfig(cfg);
  return f.recipe ? withRecipe(parsed, f.recipe) : parsed;
}

/** The configs to queue: one, or the TRM+DIS pair (TRM first). */
export function buildConfigs(f: SetupForm): RunConfig[] {
  if (f.method === 'pair') return [buildConfig(f, 'trm'), buildConfig(f, 'dis')];
  return [buildConfig(f, f.method)];
}

/**
 * Network calls per optimizer step in training. TRM/DIS: T cycles of n latent updates and one answer
 * update, only the last cycle with gradient; HRM: T·n f_L- and T f_H-calls, the last of each with
 * gradient, plus its continue target's second forward (N_sup > 1). Forward equivalents count a
 * call with gradient as 3 (docs/method-notes.md#compute-accounting).
 */
export function callsPerStep(method: Method, r: Recursion): { calls: number; grad: number; forwardEquivalents: number } {
  const c = { method, model: { ...r, hidden: 0, layers: 0, expansion: 0 } };
  const k = trainCallsPerStep(c);
  return { calls: k.total, grad: k.grad, forwardEquivalents: trainForwardEquivalentsPerStep(c) };
}

export function callsText(method: Method, r: Recursion): string {
  const c = callsPerStep(method, r);
  return `${c.calls} network calls per step (${c.grad} with gradient${method === 'hrm' ? ', the continue target included' : ''}) = ${c.forwardEquivalents} forward equivalents`;
}
