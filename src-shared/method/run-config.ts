// The one typed, versioned description of a training run. It is validated wherever it crosses a
// process boundary, saved in the database with the run, and written into every checkpoint.
// Defaults follow the authors' code (docs/method-notes.md); the paper's variants are
// named options. See `defaultRunConfig` for the faithful defaults per method.
import * as v from 'valibot';
import { METHODS, type Method } from './methods';

export const RUN_CONFIG_VERSION = 1;

const int = (min: number, max: number) => v.pipe(v.number(), v.integer(), v.minValue(min), v.maxValue(max));
const num = (min: number, max: number) => v.pipe(v.number(), v.minValue(min), v.maxValue(max));

export const PRESETS = ['tiny', 'small', 'compact', 'full'] as const;
export type Preset = (typeof PRESETS)[number];

/** Network sizes. `full` is the TRM "7M" / DIS-medium backbone; `compact` the DIS paper's 0.8M model. */
export const ModelSchema = v.strictObject({
  preset: v.picklist([...PRESETS, 'custom']),
  /** hidden width D */
  hidden: int(8, 2048),
  /** transformer blocks per network call (`L_layers`; for HRM the low-level network f_L's) */
  layers: int(1, 8),
  /** HRM only: blocks of the high-level network f_H (`H_layers`); absent for TRM and DIS, which
   * have one shared network */
  hLayers: v.optional(int(1, 8)),
  heads: int(1, 32),
  /** SwiGLU expansion; inner width I = 256·ceil(round(expansion·D·2/3)/256) */
  expansion: num(0.5, 16),
  /** puzzle-embedding prefix length (positions), 16 in the authors' configs */
  puzzleEmbLen: int(0, 64),
  /** puzzle-embedding width; 0 disables the per-puzzle table */
  puzzleEmbDim: int(0, 2048),
  ropeTheta: num(1, 1e7),
  /** token mixer of each block: self-attention, or TRM's `mlp_t` (a SwiGLU over the sequence axis,
   * the authors' Sudoku-Extreme setting). Optional so configs saved before it existed still parse. */
  mixer: v.optional(v.picklist(['attention', 'mlp_t']), 'attention'),
  /** TRM's `pos_encodings`: RoPE in attention, a learned table added to the input (×1/√2), or none */
  posEncodings: v.optional(v.picklist(['rope', 'learned', 'none']), 'rope'),
  /** outer cycles T (`H_cycles`): the first T−1 run without gradient */
  T: int(1, 16),
  /** latent updates per cycle n (`L_cycles`) */
  n: int(1, 32),
  /** deep-supervision steps N_sup (`halt_max_steps`) */
  Nsup: int(1, 64),
});
export type ModelConfig = v.InferOutput<typeof ModelSchema>;

/** DIS options. The defaults are the official code's behaviour (docs/method-notes.md#dis); others are the paper's. */
export const DisSchema = v.strictObject({
  /** what is fed as x from step 2 on: the previous step's argmax (code) or the original input (paper) */
  xSource: v.picklist(['prediction', 'original']),
  /** target generator Φ: reveal path from input to label (code), masking of y* (paper), random replacement, or the constraint-aware programmable one (N-Queens/Sudoku) */
  targets: v.picklist(['reveal', 'mask', 'random', 'programmable']),
  /** which positions the reveal path may switch: every input≠label position incl. label-PAD (code), or only supervised label positions */
  eligibility: v.picklist(['code', 'label-only']),
  /** per-step loss weights: all 1 (code) or linearly increasing (paper) */
  stepWeights: v.picklist(['uniform', 'linear']),
});
export type DisOptions = v.InferOutput<typeof DisSchema>;

export const HaltingSchema = v.strictObject({
  /** Q-head halting with the q_halt BCE loss (TRM); DIS always runs N_sup steps */
  enabled: v.boolean(),
  /** probability per row per step of drawing a minimum depth U{2..N_sup} */
  exploreProb: num(0, 1),
});

export const OptimizerSchema = v.strictObject({
  /** 'adam-atan2' = the fused kernel TRM uses; 'adam-atan2-lucidrains' = lucidrains'
   * `adam-atan2-pytorch` (the DIS N-Queens script: a = 1.27, the bias corrections inside the atan2) */
  kind: v.picklist(['adam-atan2', 'adam-atan2-lucidrains', 'adamw']),
  lr: num(0, 1),
  beta1: num(0, 1),
  beta2: num(0, 1),
  weightDecay: num(0, 10),
  /** AdamW epsilon (unused by AdamATan2) */
  eps: num(0, 1),
  /** AdamATan2 output scale a: 1 in the `adam-atan2` package, 1.27 in lucidrains' version */
  atan2Scale: num(0, 10),
  /** lucidrains' AdamATan2 denominator scale b (1 in that package). Optional so older configs parse. */
  atan2B: v.optional(num(0, 10), 1),
  /** sign-SGD on the touched puzzle-embedding rows */
  puzzleEmbLr: num(0, 10),
  puzzleEmbWeightDecay: num(0, 10),
  /** linear warm-up steps, then constant LR (lr_min_ratio = 1 in every config) */
  warmupSteps: int(0, 1_000_000),
  /** exponential moving average of the weights, used for evaluation and inference when on */
  ema: v.boolean(),
  emaDecay: num(0, 1),
  /** warm the decay up as min(emaDecay, (1+t)/(10+t)) (the lab's rule, see engine/optim/ema.ts);
   * false = the authors' constant decay. Optional, absent = false: configs saved before it existed
   * keep the rule they were trained with. */
  emaWarmup: v.optional(v.boolean(), false),
});
export type OptimizerConfig = v.InferOutput<typeof OptimizerSchema>;

/** Where training data come from. The service or the CLI turns this into concrete tasks for the engine. */
export const DataSourceSchema = v.variant('kind', [
  v.strictObject({
    kind: v.literal('family'),
    /** id of a built-in ARC-style task family (src-shared/generators) */
    family: v.string(),
    /** number of generated tasks */
    tasks: int(1, 100_000),
    /** grid side range and difficulty knob of the family */
    minSide: int(1, 30),
    maxSide: int(1, 30),
    difficulty: int(1, 5),
    seed: int(0, 2 ** 31 - 1),
  }),
  v.strictObject({ kind: v.literal('nqueens'), n: int(4, 30), train: int(1, 100_000), test: int(1, 100_000), seed: int(0, 2 ** 31 - 1) }),
  v.strictObject({ kind: v.literal('sudoku'), train: int(1, 100_000), test: int(1, 100_000), difficulty: int(1, 5), seed: int(0, 2 ** 31 - 1) }),
  /** tasks from the library, by id (the service resolves them) */
  v.strictObject({ kind: v.literal('library'), taskIds: v.pipe(v.array(v.string()), v.minLength(1)) }),
  /** a whole imported dataset from the library */
  v.strictObject({ kind: v.literal('dataset'), datasetId: v.string() }),
  /** tasks read from an ARC file or folder (CLI) */
  v.strictObject({ kind: v.literal('file'), path: v.string() }),
]);
export type DataSource = v.InferOutput<typeof DataSourceSchema>;

export const DataSchema = v.strictObject({
  source: DataSourceSchema,
  /** augmented versions per task besides the original (dihedral + colour permutation, dedup by content) */
  augmentations: int(0, 1000),
  /** random translation of train examples on the canvas (one example per version stays at the origin);
   * on by default for ARC-style sources, as the authors' ARC builder always translates the training
   * split (docs/method-notes.md#augmentation). N-Queens and Sudoku boards are never translated. */
  translate: v.boolean(),
  /** also train on the test pairs of tasks (never for evaluation tasks; the authors do it for non-eval subsets) */
  trainOnTestPairs: v.boolean(),
  /** ARC canvas side: 30 as in the authors' code (900 tokens); smaller canvases (e.g. 10 for ≤9×9
   * grids, 100 tokens) make tiny CPU runs fast with the same EOS/PAD rules. N-Queens/Sudoku ignore it. */
  canvas: int(2, 30),
});
export type DataConfig = v.InferOutput<typeof DataSchema>;

export const EvalSchema = v.strictObject({
  /** evaluate every this many optimizer steps (and at the end); 0 = only at the end */
  interval: int(0, 10_000_000),
  /** augmented versions per task at test time (voting); the authors use ≈1000 */
  augmentations: int(0, 1000),
  /** clear votes per evaluation (recommended) instead of accumulating across evaluations as the reference does */
  clearVotes: v.boolean(),
  /** cap on evaluated tasks (0 = all) so that periodic evaluation stays cheap */
  maxTasks: int(0, 100_000),
});

export const BudgetSchema = v.strictObject({
  /** optimizer steps (one per supervision step, as in both codes) */
  optimizerSteps: int(1, 100_000_000),
  /** optional cap on fresh trajectories (examples started); 0 = none */
  trajectories: int(0, 1_000_000_000),
});

/** The authors' per-task recipes (src-shared/method/recipes.ts), apart from the model-size presets. */
export const RECIPE_IDS = ['arc-agi', 'sudoku-extreme', 'sudoku-extreme-att', 'maze', 'dis-nqueens'] as const;
export type RecipeId = (typeof RECIPE_IDS)[number];

/** Which recipe a run started from, and every field the user changed from it (values as JSON text). */
export const RecipeRecordSchema = v.strictObject({
  id: v.picklist(RECIPE_IDS),
  changes: v.array(v.strictObject({ path: v.pipe(v.string(), v.maxLength(200)), recipe: v.pipe(v.string(), v.maxLength(100_000)), value: v.pipe(v.string(), v.maxLength(100_000)) })),
});
export type RecipeRecord = v.InferOutput<typeof RecipeRecordSchema>;

/** Where a run's weights came from when they were not trained in the lab (an imported PyTorch checkpoint). */
export const ProvenanceSchema = v.strictObject({
  kind: v.literal('pytorch-checkpoint'),
  /** the file as the user named it (a path, or an upload's name) */
  file: v.string(),
  sha256: v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/)),
  step: int(0, 1_000_000_000),
  format: v.picklist(['torch-zip', 'safetensors']),
  /** `arch.name` of the authors' all_config.yaml */
  archName: v.nullable(v.string()),
  /** the all_config.yaml that was read, or null */
  allConfig: v.nullable(v.string()),
  importedAt: v.string(),
  /** what was assumed or left out on import */
  notes: v.array(v.string()),
});
export type Provenance = v.InferOutput<typeof ProvenanceSchema>;

export const BACKENDS = ['auto', 'tensorflow-gpu', 'webgpu', 'tensorflow', 'wasm', 'cpu'] as const;
export type BackendChoice = (typeof BACKENDS)[number];

export const RunConfigSchema = v.strictObject({
  version: v.literal(RUN_CONFIG_VERSION),
  name: v.pipe(v.string(), v.maxLength(200)),
  method: v.picklist(METHODS),
  /** "code" = faithful to the authors' code; "paper" and "custom" mark changed options */
  mode: v.picklist(['code', 'paper', 'custom']),
  model: ModelSchema,
  dis: DisSchema,
  halting: HaltingSchema,
  optimizer: OptimizerSchema,
  data: DataSchema,
  batchSize: int(1, 4096),
  budget: BudgetSchema,
  eval: EvalSchema,
  /** per-step prediction snapshots of the probe puzzles every this many steps (0 = only at evals) */
  snapshotInterval: int(0, 10_000_000),
  /** number of probe puzzles (fixed for the run) */
  probes: int(0, 64),
  /** checkpoint every this many steps (0 = only at the end and at evals) */
  checkpointInterval: int(0, 10_000_000),
  seed: int(0, 2 ** 31 - 1),
  backend: v.picklist(BACKENDS),
  /** data-parallel worker threads per optimizer step on a single-threaded backend (wasm, cpu): each
   * computes the gradient of its share of the batch rows with its own engine. 0 = auto (the engine
   * picks workers or threaded kernels per shape, src-main/engine/cores.ts); 1 = one engine. Optional,
   * so configs saved before it existed still parse (as 1, what they ran with). */
  workers: v.optional(int(0, 8), 1),
  /** rows per micro-batch of a step: 'auto' splits the batch only when its estimated memory exceeds the
   * backend's limit (src-main/engine/memory-estimate.ts); a number caps the rows per micro-batch. The
   * gradient is the full batch's either way. Optional, so configs saved before it existed still parse. */
  microBatch: v.optional(v.union([v.literal('auto'), int(1, 4096)]), 'auto'),
  /** the recipe the run started from and what was changed from it; absent = no recipe */
  recipe: v.optional(RecipeRecordSchema),
  /** set on runs imported from outside the lab (src-main/pipeline/import-checkpoint.ts); absent on trained runs */
  provenance: v.optional(ProvenanceSchema),
});
export type RunConfig = v.InferOutput<typeof RunConfigSchema>;

/** SwiGLU inner width of the TRM code: 256·ceil(round(expansion·D·2/3)/256). */
export function swigluWidth(hidden: number, expansion: number): number {
  return 256 * Math.ceil(Math.round((expansion * hidden * 2) / 3) / 256);
}

export const PRESET_SIZES: Record<Preset, Pick<ModelConfig, 'hidden' | 'layers' | 'heads' | 'expansion' | 'puzzleEmbDim'>> = {
  tiny: { hidden: 64, layers: 1, heads: 4, expansion: 4, puzzleEmbDim: 64 },
  small: { hidden: 128, layers: 1, heads: 4, expansion: 4, puzzleEmbDim: 128 },
  compact: { hidden: 256, layers: 1, heads: 8, expansion: 4, puzzleEmbDim: 256 },
  full: { hidden: 512, layers: 2, heads: 8, expansion: 4, puzzleEmbDim: 512 },
};

/**
 * HRM's level sizes per preset (L_layers, H_layers). `full` is the authors' ARC model
 * (config/arch/hrm_v1.yaml: 4 + 4 blocks at hidden 512, 27,276,290 parameters at 900 tokens).
 */
export const HRM_PRESET_LAYERS: Record<Preset, { layers: number; hLayers: number }> = {
  tiny: { layers: 1, hLayers: 1 },
  small: { layers: 1, hLayers: 1 },
  compact: { layers: 2, hLayers: 2 },
  full: { layers: 4, hLayers: 4 },
};

/** A preset's size fields for a method (HRM's presets also fix f_H's blocks). */
export function presetSizes(method: Method, preset: Preset): Pick<ModelConfig, 'hidden' | 'layers' | 'heads' | 'expansion' | 'puzzleEmbDim' | 'hLayers'> {
  return method === 'hrm' ? { ...PRESET_SIZES[preset], ...HRM_PRESET_LAYERS[preset] } : PRESET_SIZES[preset];
}

/**
 * The faithful defaults of each method (docs/method-notes.md#trm and #dis; HRM: docs/method-notes.md#hrm), at a preset.
 * TRM: T=3, n=4 (the official ARC command; docs/method-notes.md#choices), N_sup=16, Q-halting, AdamATan2, EMA.
 * DIS: T=1, n=2, N_sup=6, no halting, AdamW, reveal-path targets, prediction re-feeding.
 * HRM (sapientinc/HRM config/arch/hrm_v1.yaml, config/cfg_pretrain.yaml): H_cycles T=2, L_cycles
 * n=2, N_sup=16, Q-halting with the continue target, AdamATan2 without EMA, a one-position puzzle
 * prefix (puzzle_emb_ndim = hidden), batch 768.
 */
export function defaultRunConfig(method: Method, preset: Preset = 'compact'): RunConfig {
  if (method === 'hrm') return defaultHrmConfig(preset);
  const sizes = PRESET_SIZES[preset];
  const trm = method === 'trm';
  return {
    version: RUN_CONFIG_VERSION,
    name: `${method.toUpperCase()} ${preset}`,
    method,
    mode: 'code',
    model: {
      preset,
      ...sizes,
      puzzleEmbLen: 16,
      ropeTheta: 10000,
      mixer: 'attention',
      posEncodings: 'rope',
      T: trm ? 3 : 1,
      n: trm ? 4 : 2,
      Nsup: trm ? 16 : 6,
    },
    dis: { xSource: 'prediction', targets: 'reveal', eligibility: 'code', stepWeights: 'uniform' },
    halting: { enabled: trm, exploreProb: 0.1 },
    optimizer: {
      kind: trm ? 'adam-atan2' : 'adamw',
      lr: 1e-4,
      beta1: 0.9,
      beta2: 0.95,
      weightDecay: 0.1,
      eps: 1e-8,
      atan2Scale: 1,
      atan2B: 1,
      puzzleEmbLr: 1e-2,
      puzzleEmbWeightDecay: 0.1,
      warmupSteps: 2000,
      ema: trm,
      emaDecay: 0.999,
      emaWarmup: true,
    },
    data: {
      source: { kind: 'family', family: 'recolour', tasks: 8, minSide: 3, maxSide: 6, difficulty: 1, seed: 0 },
      augmentations: 8,
      translate: true,
      trainOnTestPairs: false,
      canvas: 30,
    },
    batchSize: trm ? 768 : 512,
    budget: { optimizerSteps: 100_000, trajectories: 0 },
    eval: { interval: 10_000, augmentations: 8, clearVotes: true, maxTasks: 0 },
    snapshotInterval: 1000,
    probes: 4,
    checkpointInterval: 5000,
    seed: 0,
    backend: 'auto',
    workers: 0,
    microBatch: 'auto',
  };
}

function defaultHrmConfig(preset: Preset): RunConfig {
  const base = defaultRunConfig('trm', preset);
  return {
    ...base,
    name: `HRM ${preset}`,
    method: 'hrm',
    // HRM's puzzle vector is one position wide: ceil(puzzle_emb_ndim / hidden) = 1.
    model: { ...base.model, ...HRM_PRESET_LAYERS[preset], puzzleEmbLen: 1, T: 2, n: 2, Nsup: 16 },
    halting: { enabled: true, exploreProb: 0.1 },
    optimizer: { ...base.optimizer, kind: 'adam-atan2', lr: 1e-4, beta1: 0.9, beta2: 0.95, weightDecay: 0.1, puzzleEmbLr: 1e-2, puzzleEmbWeightDecay: 0.1, warmupSteps: 2000, ema: false },
    batchSize: 768,
  };
}

/** The rules between fields that the schema alone cannot state; null when the config is consistent. */
export function runConfigProblem(c: RunConfig): { path: string; message: string } | null {
  if (c.method === 'hrm') {
    if (c.model.hLayers === undefined) return { path: 'model.hLayers', message: 'HRM needs the high-level network\'s block count (H_layers)' };
    if (c.model.mixer === 'mlp_t') return { path: 'model.mixer', message: 'HRM has no MLP token mixer (the authors\' HRM blocks always attend)' };
    if (c.model.posEncodings === 'none') return { path: 'model.posEncodings', message: 'HRM positions are rope or learned (the authors\' HRM has no position-free variant)' };
  } else if (c.model.hLayers !== undefined) {
    return { path: 'model.hLayers', message: `${c.method.toUpperCase()} has one shared network; hLayers is HRM's` };
  }
  return null;
}

/** Parse untrusted input into a RunConfig, with an error that names the offending field. */
export function parseRunConfig(input: unknown): RunConfig {
  const r = v.safeParse(RunConfigSchema, input);
  if (r.success) {
    const problem = runConfigProblem(r.output);
    if (problem) throw new Error(`invalid run config at ${problem.path}: ${problem.message}`);
    return r.output;
  }
  const issue = r.issues[0];
  const path = issue?.path?.map((p) => String(p.key)).join('.') ?? '(root)';
  throw new Error(`invalid run config at ${path}: ${issue?.message ?? 'unknown error'}`);
}
