// `puzzle-lab train`: a headless training run. Builds a RunConfig from the method's faithful defaults
// (defaultRunConfig) plus flags, validates it, resolves the tasks and hands the job to the engine.
// Progress goes to a one-line bar on a terminal, or as one JSON object per line with --json.

import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { EtaRange } from '../../../src-shared/api/contract';
import { RECIPES, recipeConfig, withRecipe } from '../../../src-shared/method/recipes';
import { METHODS, type Method } from '../../../src-shared/method/methods';
import { BACKENDS, defaultRunConfig, parseRunConfig, presetSizes, PRESETS, RECIPE_IDS, type Preset, type RecipeId, type RunConfig } from '../../../src-shared/method/run-config';
import { disMode } from '../../../src-shared/method/dis-mode';
import { getFamily } from '../../../src-shared/generators';
import { resolveDataDir } from '../../service/data-dir';
import { bool, num, str, UsageError, type CommandSpec, type FlagSpec, type ParsedArgs } from '../../command-line/args';
import type { Io } from '../io';
import { followInLab, readRunLink } from '../run-in-lab';

const flags: Record<string, FlagSpec> = {
  method: { type: 'string', help: 'training method', choices: METHODS, defaultText: 'dis' },
  preset: { type: 'string', help: 'network size', choices: PRESETS, defaultText: 'compact' },
  recipe: { type: 'string', help: 'start from one of the authors\' per-task recipes (docs/recipes.md); the run records what the flags change', choices: RECIPE_IDS },
  config: { type: 'string', arg: 'FILE', help: 'start from a RunConfig JSON file instead of the defaults (flags still apply)' },
  name: { type: 'string', arg: 'TEXT', help: 'run name' },
  // data
  family: { type: 'string', arg: 'ID', help: 'train on a built-in family (see `puzzle-lab families`)', defaultText: 'recolour' },
  nqueens: { type: 'int', arg: 'N', help: 'train on N-Queens boards of side N' },
  sudoku: { type: 'boolean', help: 'train on generated Sudoku' },
  file: { type: 'string', arg: 'PATH', help: 'train on an ARC file or folder (demonstrations train, test pairs evaluate)' },
  tasks: { type: 'int', arg: 'N', help: 'family: tasks to generate; N-Queens/Sudoku: training puzzles' },
  'test-puzzles': { type: 'int', arg: 'N', help: 'N-Queens/Sudoku: test puzzles', defaultText: 'tasks/4' },
  'min-side': { type: 'int', arg: 'N', help: 'family: smallest grid side' },
  'max-side': { type: 'int', arg: 'N', help: 'family: largest grid side' },
  difficulty: { type: 'int', arg: '1-5', help: 'family/Sudoku difficulty' },
  'data-seed': { type: 'int', arg: 'N', help: 'seed of the generated puzzles', defaultText: '0' },
  canvas: { type: 'int', arg: 'N', help: 'ARC canvas side (30 = the authors; 10 makes ≤9×9 tasks fast)' },
  augmentations: { type: 'int', arg: 'N', help: 'augmented versions per task' },
  translate: { type: 'boolean', help: 'random translation of ARC training examples on the canvas (--no-translate to turn off)', defaultText: 'on for ARC sources, as the authors' },
  'train-on-test': { type: 'boolean', help: 'also train on the test pairs' },
  // model
  hidden: { type: 'int', arg: 'D', help: 'hidden width (sets preset to custom)' },
  layers: { type: 'int', arg: 'N', help: 'transformer blocks per call (custom; HRM: the low-level network f_L\'s)' },
  'h-layers': { type: 'int', arg: 'N', help: 'HRM: blocks of the high-level network f_H (custom)' },
  heads: { type: 'int', arg: 'N', help: 'attention heads (custom)' },
  T: { type: 'int', arg: 'N', help: 'outer cycles T (H_cycles)' },
  n: { type: 'int', arg: 'N', help: 'latent updates per cycle n (L_cycles)' },
  nsup: { type: 'int', arg: 'N', help: 'supervision steps N_sup' },
  mixer: { type: 'string', help: 'token mixer of each block (mlp_t = TRM\'s MLP over the sequence)', choices: ['attention', 'mlp_t'] },
  'pos-encodings': { type: 'string', help: 'positional encoding', choices: ['rope', 'learned', 'none'] },
  // DIS options
  targets: { type: 'string', help: 'DIS target generator', choices: ['reveal', 'mask', 'random', 'programmable'] },
  eligibility: { type: 'string', help: 'DIS reveal-path positions', choices: ['code', 'label-only'] },
  'x-source': { type: 'string', help: 'DIS input from step 2 on', choices: ['prediction', 'original'] },
  'step-weights': { type: 'string', help: 'DIS per-step loss weights', choices: ['uniform', 'linear'] },
  halting: { type: 'boolean', help: 'Q-head halting (TRM, HRM)' },
  // optimisation
  steps: { type: 'int', arg: 'N', help: 'optimizer steps' },
  batch: { type: 'int', arg: 'N', help: 'batch size' },
  lr: { type: 'number', arg: 'X', help: 'learning rate' },
  warmup: { type: 'int', arg: 'N', help: 'linear warm-up steps' },
  optimizer: { type: 'string', help: 'optimizer', choices: ['adam-atan2', 'adam-atan2-lucidrains', 'adamw'] },
  ema: { type: 'boolean', help: 'EMA of the weights for evaluation' },
  // evaluation and bookkeeping
  'eval-interval': { type: 'int', arg: 'N', help: 'evaluate every N steps (0 = only at the end)' },
  'eval-augmentations': { type: 'int', arg: 'N', help: 'augmented versions per test pair for voting' },
  'eval-max-tasks': { type: 'int', arg: 'N', help: 'cap on evaluated tasks (0 = all)' },
  'checkpoint-interval': { type: 'int', arg: 'N', help: 'checkpoint every N steps (0 = at the end and at evals)' },
  seed: { type: 'int', arg: 'N', help: 'run seed (initialisation, data order, target paths)' },
  backend: { type: 'string', help: 'TensorFlow.js backend', choices: BACKENDS },
  workers: { type: 'int', arg: 'N', help: 'data-parallel worker threads on a single-threaded backend (wasm, cpu), 1-8; 0 = auto: workers or threaded kernels, whichever pays for the model (the run says which and why)', defaultText: '0' },
  'data-dir': { type: 'string', arg: 'DIR', help: 'the lab to train in (the app and `serve` use the same default)', defaultText: '$PUZZLE_LAB_DATA_DIR or ~/.puzzle-lab' },
  out: { type: 'string', arg: 'DIR', help: 'also export the run (config, checkpoints) to this folder when it ends' },
  resume: { type: 'boolean', help: 'continue the paused run exported to --out, from its newest checkpoint' },
  json: { type: 'boolean', help: 'one JSON line per lab event of the run instead of a progress bar' },
};

export const spec: CommandSpec = {
  name: 'train',
  summary:
    'Train a TRM, DIS or HRM model on built-in puzzles or an ARC file/folder, as a run of the lab (it shows in the app).\n' +
    'With no lab running on the data directory the run trains here (Ctrl-C pauses it with a checkpoint, twice cancels);\n' +
    'with the app or `serve` running there, it is queued in that lab and followed here (Ctrl-C stops following).',
  flags,
  examples: [
    'puzzle-lab train --method dis --preset tiny --family recolour --tasks 8 --canvas 10 --steps 2000 --batch 32',
    'puzzle-lab train --method hrm --preset tiny --family recolour --tasks 8 --canvas 10 --steps 300 --batch 16',
    'puzzle-lab train --method trm --file ../shared/arc/arc-agi_training_challenges.json --canvas 30',
    'puzzle-lab train --method dis --nqueens 8 --tasks 800 --targets programmable --nsup 8',
    'puzzle-lab train --out runs/my-run --resume',
    'puzzle-lab train --recipe sudoku-extreme --steps 2000 --batch 64',
  ],
};

function set<T>(v: T | undefined, apply: (v: T) => void): void {
  if (v !== undefined) apply(v);
}

/** The run configuration the flags describe (validated). */
export async function configFromArgs(args: ParsedArgs): Promise<RunConfig> {
  const recipe = str(args, 'recipe') as RecipeId | undefined;
  const method = (str(args, 'method') ?? (recipe !== undefined ? RECIPES[recipe].methods[0] : 'dis')) as Method;
  const preset = (str(args, 'preset') ?? 'compact') as Preset;
  let c: RunConfig;
  const file = str(args, 'config');
  if (file !== undefined && recipe !== undefined) throw new UsageError('puzzle-lab train: use --config or --recipe, not both (a config file keeps the recipe it records)');
  if (recipe !== undefined) {
    try {
      c = recipeConfig(recipe, method);
    } catch (e) {
      throw new UsageError(`puzzle-lab train: ${(e as Error).message}`);
    }
    if (str(args, 'preset') !== undefined) c.model = { ...c.model, preset, ...presetSizes(c.method, preset) };
  } else if (file !== undefined) {
    let raw: unknown;
    try {
      raw = JSON.parse(await readFile(file, 'utf8'));
    } catch (e) {
      throw new UsageError(`puzzle-lab train: cannot read the run config ${file}: ${(e as Error).message}`);
    }
    c = parseRunConfig(raw);
    if (str(args, 'method') !== undefined && method !== c.method) {
      throw new UsageError(`puzzle-lab train: --method ${method} contradicts the config file's method ${c.method}`);
    }
    if (str(args, 'preset') !== undefined) c.model = { ...c.model, preset, ...presetSizes(c.method, preset) };
  } else {
    c = defaultRunConfig(method, preset);
  }

  // Data source: at most one of --family / --nqueens / --sudoku / --file.
  const chosen = ['family', 'nqueens', 'sudoku', 'file'].filter((k) => k in args.flags && args.flags[k] !== false);
  if (chosen.length > 1) throw new UsageError(`puzzle-lab train: choose one data source, got ${chosen.map((k) => `--${k}`).join(' and ')}`);
  const tasks = num(args, 'tasks');
  const testPuzzles = num(args, 'test-puzzles');
  const dataSeed = num(args, 'data-seed');
  const sideFlags = ['min-side', 'max-side'].filter((k) => k in args.flags);
  const src = c.data.source;
  const nq = num(args, 'nqueens');
  if (nq !== undefined) {
    const train = tasks ?? 800;
    c.data.source = { kind: 'nqueens', n: nq, train, test: testPuzzles ?? Math.max(1, Math.round(train / 4)), seed: dataSeed ?? 0 };
  } else if (bool(args, 'sudoku') === true) {
    const train = tasks ?? 100;
    c.data.source = {
      kind: 'sudoku',
      train,
      test: testPuzzles ?? Math.max(1, Math.round(train / 4)),
      difficulty: num(args, 'difficulty') ?? 3,
      seed: dataSeed ?? 0,
    };
  } else if (str(args, 'file') !== undefined) {
    c.data.source = { kind: 'file', path: path.resolve(str(args, 'file') as string) };
  } else if (str(args, 'family') !== undefined || src.kind === 'family') {
    const id = str(args, 'family') ?? (src.kind === 'family' ? src.family : 'recolour');
    const fam = getFamily(id);
    const base = src.kind === 'family' && src.family === id ? src : { ...fam.defaults, tasks: fam.defaults.count };
    c.data.source = {
      kind: 'family',
      family: id,
      tasks: tasks ?? base.tasks,
      minSide: num(args, 'min-side') ?? base.minSide,
      maxSide: num(args, 'max-side') ?? base.maxSide,
      difficulty: num(args, 'difficulty') ?? base.difficulty,
      seed: dataSeed ?? base.seed,
    };
  }
  if (c.data.source.kind !== 'family' && sideFlags.length > 0) {
    throw new UsageError(`puzzle-lab train: --${sideFlags[0]} applies to --family sources only`);
  }

  set(num(args, 'canvas'), (v) => (c.data.canvas = v));
  set(num(args, 'augmentations'), (v) => (c.data.augmentations = v));
  // ARC-style sources translate by default (the authors' ARC builder); boards have nothing to translate.
  const board = c.data.source.kind === 'nqueens' || c.data.source.kind === 'sudoku';
  if (board && bool(args, 'translate') === true) throw new UsageError('puzzle-lab train: --translate applies to ARC-style sources; N-Queens and Sudoku boards are not translated');
  if (board) c.data.translate = false;
  set(bool(args, 'translate'), (v) => (c.data.translate = v));
  set(bool(args, 'train-on-test'), (v) => (c.data.trainOnTestPairs = v));

  if ('h-layers' in args.flags && c.method !== 'hrm') throw new UsageError(`puzzle-lab train: --h-layers sizes HRM's high-level network; this run's method is ${c.method.toUpperCase()}`);
  const custom = ['hidden', 'layers', 'heads', 'h-layers'].some((k) => k in args.flags);
  if (custom) {
    c.model.preset = 'custom';
    set(num(args, 'hidden'), (v) => {
      c.model.hidden = v;
      c.model.puzzleEmbDim = v;
    });
    set(num(args, 'layers'), (v) => (c.model.layers = v));
    set(num(args, 'heads'), (v) => (c.model.heads = v));
    set(num(args, 'h-layers'), (v) => (c.model.hLayers = v));
  }
  set(num(args, 'T'), (v) => (c.model.T = v));
  set(num(args, 'n'), (v) => (c.model.n = v));
  set(num(args, 'nsup'), (v) => (c.model.Nsup = v));
  set(str(args, 'mixer'), (v) => (c.model.mixer = v as typeof c.model.mixer));
  set(str(args, 'pos-encodings'), (v) => (c.model.posEncodings = v as typeof c.model.posEncodings));

  const dis = { ...c.dis };
  set(str(args, 'targets'), (v) => (dis.targets = v as typeof dis.targets));
  set(str(args, 'eligibility'), (v) => (dis.eligibility = v as typeof dis.eligibility));
  set(str(args, 'x-source'), (v) => (dis.xSource = v as typeof dis.xSource));
  set(str(args, 'step-weights'), (v) => (dis.stepWeights = v as typeof dis.stepWeights));
  if (method !== 'dis' && ['targets', 'eligibility', 'x-source', 'step-weights'].some((k) => k in args.flags)) {
    throw new UsageError(`puzzle-lab train: --targets, --eligibility, --x-source and --step-weights are DIS options; this run's method is ${method.toUpperCase()}`);
  }
  const disFlags = ['targets', 'eligibility', 'x-source', 'step-weights'].some((k) => k in args.flags);
  c.dis = dis;
  set(bool(args, 'halting'), (v) => (c.halting.enabled = v));
  // The mode the run records: the one rule the app's run setup uses (code / paper / custom); a
  // changed halting setting is a custom run whatever the DIS options.
  if (bool(args, 'halting') !== undefined && c.halting.enabled !== defaultRunConfig(c.method).halting.enabled) c.mode = 'custom';
  else if (disFlags && c.method === 'dis') c.mode = disMode(c.dis);

  set(num(args, 'steps'), (v) => (c.budget.optimizerSteps = v));
  set(num(args, 'batch'), (v) => (c.batchSize = v));
  set(num(args, 'lr'), (v) => (c.optimizer.lr = v));
  set(num(args, 'warmup'), (v) => (c.optimizer.warmupSteps = v));
  set(str(args, 'optimizer'), (v) => (c.optimizer.kind = v as typeof c.optimizer.kind));
  set(bool(args, 'ema'), (v) => (c.optimizer.ema = v));
  set(num(args, 'eval-interval'), (v) => (c.eval.interval = v));
  set(num(args, 'eval-augmentations'), (v) => (c.eval.augmentations = v));
  set(num(args, 'eval-max-tasks'), (v) => (c.eval.maxTasks = v));
  set(num(args, 'checkpoint-interval'), (v) => (c.checkpointInterval = v));
  set(num(args, 'seed'), (v) => (c.seed = v));
  set(str(args, 'backend'), (v) => (c.backend = v as typeof c.backend));
  set(num(args, 'workers'), (v) => (c.workers = v));
  set(str(args, 'name'), (v) => (c.name = v));
  // Keep warm-up inside short runs, so that a 200-step smoke run does not train at lr≈0 throughout.
  // An invalid --steps (0 or less) is left for validation to name, not turned into a negative warm-up.
  if (num(args, 'warmup') === undefined && c.budget.optimizerSteps >= 1 && c.optimizer.warmupSteps >= c.budget.optimizerSteps) {
    c.optimizer.warmupSteps = Math.floor(c.budget.optimizerSteps / 10);
  }
  const parsed = parseRunConfig(c);
  // A recipe run (or a config file that records one) keeps the list of fields changed from the recipe.
  const from = recipe ?? parsed.recipe?.id;
  return from !== undefined ? withRecipe(parsed, from) : parsed;
}

function duration(sec: number): string {
  if (!Number.isFinite(sec) || sec < 0) return '?';
  const s = Math.round(sec);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

function metric(m: Record<string, number>, ...names: string[]): number | undefined {
  for (const n of names) if (m[n] !== undefined) return m[n];
  return undefined;
}

/** What a progress line shows: an engine progress event, or a run's summary with its latest metrics. */
export interface Progress {
  step: number;
  totalSteps: number;
  metrics: Record<string, number>;
  examplesPerSec: number;
  /** the lab's one estimate (queueEta, service/eta.ts), as seconds from now; null = not measured yet */
  eta: EtaRange | null;
}

/** An ETA of the lab's estimator: one value once the run's own steps are measured, a range before. */
export function etaLabel(eta: EtaRange | null): string {
  if (eta === null) return '?';
  const hi = Math.max(0, eta.highSec);
  if (eta.known || Math.round(eta.lowSec) >= Math.round(hi)) return duration(hi);
  return `${duration(Math.max(0, eta.lowSec))}–${duration(hi)}`;
}

/** The progress-bar line of a run. */
export function progressLine(e: Progress, width: number): string {
  const frac = e.totalSteps > 0 ? Math.min(1, e.step / e.totalSteps) : 0;
  const loss = metric(e.metrics, 'lm_loss', 'loss');
  const acc = metric(e.metrics, 'token_accuracy', 'accuracy');
  const parts = [
    `step ${e.step}/${e.totalSteps}`,
    loss !== undefined ? `loss ${loss.toFixed(4)}` : '',
    acc !== undefined ? `acc ${acc.toFixed(3)}` : '',
    `${e.examplesPerSec.toFixed(1)} ex/s`,
    `ETA ${etaLabel(e.eta)}`,
  ].filter((p) => p !== '');
  const text = parts.join('  ');
  const barWidth = Math.max(10, Math.min(40, width - text.length - 4));
  const filled = Math.round(frac * barWidth);
  return `▕${'█'.repeat(filled)}${'░'.repeat(barWidth - filled)}▏ ${text}`;
}

/** Flags that may go with --resume (the run continues as it was configured). */
const RESUME_FLAGS = new Set(['resume', 'out', 'data-dir', 'json']);

export async function run(args: ParsedArgs, io: Io): Promise<number> {
  const resume = bool(args, 'resume') === true;
  const out = str(args, 'out');
  const json = bool(args, 'json') === true;
  const dataDir = resolveDataDir(str(args, 'data-dir'));
  if (resume) {
    if (out === undefined) throw new UsageError('puzzle-lab train: --resume needs --out <folder> of the run to continue');
    const extra = Object.keys(args.flags).find((k) => !RESUME_FLAGS.has(k));
    if (extra !== undefined) throw new UsageError(`puzzle-lab train: --resume continues the run as it was configured; drop --${extra}`);
    const { runId } = await readRunLink(out);
    return followInLab({ kind: 'resume', runId }, { dataDir, out, json, io });
  }
  const config = await configFromArgs(args);
  return followInLab({ kind: 'new', config }, { dataDir, out, json, io });
}
