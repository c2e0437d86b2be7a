// A lab RunConfig → the authors' configuration keys for its method, plus every lab option that has no
// equivalent in their code (reported, never silently dropped).
//
// TRM: hydra overrides of pretrain.py (config/cfg_pretrain.yaml + config/arch/trm.yaml); keys that
// are not in those yaml files need hydra's "+" prefix. HRM: the same pretrain.py with arch=hrm
// (config/arch/hrm.yaml; see authors-repos.ts). DIS: the same dotted names, set on the dataclass
// PretrainConfig of train_arc_tiny_corrupt.py by the generated launcher (that script has no
// command-line parsing of its own).
import type { Method } from '../../../src-shared/method/methods';
import type { RunConfig } from '../../../src-shared/method/run-config';

export interface Override {
  key: string;
  value: string | number | boolean | string[];
  /** hydra needs "+key=value" for a key the yaml config does not declare (pretrain.py: TRM and HRM) */
  add?: boolean;
  /** why this value (shown as a comment in the script) */
  why?: string;
}

export interface TrainSplitStats {
  totalGroups: number;
  meanPuzzleExamples: number;
}

export interface MappedRun {
  overrides: Override[];
  /** lab options the authors' code cannot express, one sentence each */
  unsupported: string[];
  /** informative notes (rounding of epochs, kept defaults) */
  notes: string[];
  epochs: number;
  evalIntervalEpochs: number;
  /** optimizer steps the authors' loop will run: int(epochs · groups · mean / batch) */
  authorsTotalSteps: number;
}

/** The exported dataset's path, run name and checkpoint folder as the script passes them. */
export interface RunPaths {
  dataPath: string;
  runName: string;
  checkpointPath: string;
}

/**
 * Steps → epochs. The authors count training in epochs of their sampler (one version of every group
 * per epoch, ≈ total_groups · mean_puzzle_examples examples) and stop at
 * int(epochs · total_groups · mean_puzzle_examples / global_batch_size) steps; eval_interval (epochs)
 * must divide epochs.
 */
export function stepsToEpochs(steps: number, evalEverySteps: number, batch: number, s: TrainSplitStats): { epochs: number; evalEpochs: number; totalSteps: number } {
  const perEpoch = s.totalGroups * s.meanPuzzleExamples;
  if (!(perEpoch > 0)) throw new Error('the exported train split holds no examples');
  const base = Math.max(1, Math.ceil((steps * batch) / perEpoch));
  // As many evaluations as the lab run would make (at least the final one), each after the same
  // number of epochs; epochs is rounded up to a multiple of that, overshooting by under one interval.
  const evals = evalEverySteps === 0 ? 1 : Math.max(1, Math.min(base, Math.round(steps / evalEverySteps)));
  const evalEpochs = Math.ceil(base / evals);
  const epochs = evalEpochs * evals;
  return { epochs, evalEpochs, totalSteps: Math.floor((epochs * perEpoch) / batch) };
}

/** TRM and HRM train with the TRM authors' hydra-configured pretrain.py; DIS with its own script. */
export const viaPretrain = (method: Method): boolean => method !== 'dis';

export function mapRunConfig(c: RunConfig, stats: TrainSplitStats, paths: RunPaths, kind: 'arc' | 'board'): MappedRun {
  const pretrain = viaPretrain(c.method);
  const hrm = c.method === 'hrm';
  const o: Override[] = [];
  const unsupported: string[] = [];
  const notes: string[] = [];
  const add = (key: string, value: Override['value'], extra: Partial<Override> = {}) => o.push({ key, value, ...extra });

  if (hrm) add('arch', 'hrm', { why: 'HierarchicalReasoningModel_ACTV1 + ACTLossHead (Q-halt and Q-continue losses)' });
  else if (pretrain) add('arch', 'trm', { why: 'TinyRecursiveReasoningModel_ACTV1 + ACTLossHead' });
  add('data_paths', [paths.dataPath]);
  if (kind === 'board') add('evaluators', [], { why: 'the ARC evaluator needs identifiers/test_puzzles of an ARC dataset' });
  else if (pretrain && c.eval.clearVotes) {
    add('evaluators', "[{name: 'arc@ARC', aggregated_voting: False}]", { why: 'the lab clears votes per evaluation (eval.clearVotes); the ARC evaluator accumulates them by default' });
  }
  if (!pretrain && c.eval.clearVotes && kind === 'arc') {
    unsupported.push('eval.clearVotes = true: train_arc_tiny_corrupt.py passes no options to the ARC evaluator, which accumulates votes across evaluations (aggregated_voting=True)');
  }

  // --- architecture ---
  const m = c.model;
  add('arch.hidden_size', m.hidden);
  add('arch.num_heads', m.heads);
  add('arch.expansion', m.expansion);
  if (hrm) {
    add('arch.H_layers', m.hLayers ?? m.layers, { why: 'f_H blocks' });
    add('arch.L_layers', m.layers, { why: 'f_L blocks' });
  } else add('arch.L_layers', m.layers);
  add('arch.H_cycles', m.T, { why: 'T' });
  add('arch.L_cycles', m.n, { why: 'n' });
  add('arch.halt_max_steps', m.Nsup, { why: 'N_sup' });
  add('arch.puzzle_emb_ndim', m.puzzleEmbDim);
  if (hrm) {
    // HRM has no puzzle_emb_len setting: its prefix is ceil(puzzle_emb_ndim / hidden_size) positions.
    const prefix = Math.ceil(m.puzzleEmbDim / m.hidden);
    if (m.puzzleEmbLen !== prefix) unsupported.push(`model.puzzleEmbLen = ${m.puzzleEmbLen}: HRM's puzzle prefix is always ceil(puzzle_emb_ndim / hidden_size) = ${prefix} position(s)`);
  } else add('arch.puzzle_emb_len', m.puzzleEmbLen);
  add('arch.pos_encodings', m.posEncodings);
  if (!hrm) add('arch.mlp_t', m.mixer === 'mlp_t', { why: m.mixer === 'mlp_t' ? "TRM's MLP-mixer over the sequence instead of attention" : 'the lab network uses attention' });
  if (m.ropeTheta !== 10000) add('arch.rope_theta', m.ropeTheta, { add: pretrain });
  notes.push('arch.forward_dtype keeps the authors\' default bfloat16; the lab computes in float32 (add arch.forward_dtype=float32 to match its numerics)');

  // --- halting / method options ---
  if (pretrain) {
    add('arch.halt_exploration_prob', c.halting.exploreProb);
    if (!c.halting.enabled) unsupported.push('halting.enabled = false: pretrain.py always trains the Q-halting head (ACTLossHead) and halts early in training');
  } else {
    if (c.halting.enabled) unsupported.push('halting.enabled = true: the DIS code (ACTV5 + ACTLossHeadV4) never trains a halting head; it always runs N_sup steps');
    if (c.dis.xSource !== 'prediction') unsupported.push(`dis.xSource = ${c.dis.xSource}: the DIS code always feeds the previous step's prediction as x from step 2 on`);
    if (c.dis.targets !== 'reveal') unsupported.push(`dis.targets = ${c.dis.targets}: the DIS code only has the reveal path from input to label (batch_corrupt_linear_path_v2)`);
    if (c.dis.eligibility !== 'code') unsupported.push(`dis.eligibility = ${c.dis.eligibility}: the DIS code lets every input≠label position switch`);
    if (c.dis.stepWeights !== 'uniform') unsupported.push(`dis.stepWeights = ${c.dis.stepWeights}: the DIS code weights every step's loss by 1`);
  }

  // --- optimizer ---
  const opt = c.optimizer;
  if (pretrain && opt.kind !== 'adam-atan2') unsupported.push(`optimizer.kind = ${opt.kind}: pretrain.py always uses AdamATan2`);
  if (!pretrain && opt.kind !== 'adamw') unsupported.push(`optimizer.kind = ${opt.kind}: train_arc_tiny_corrupt.py always uses torch.optim.AdamW`);
  if (opt.kind === 'adam-atan2' && pretrain && opt.atan2Scale !== 1) unsupported.push(`optimizer.atan2Scale = ${opt.atan2Scale}: the adam-atan2 package has no output scale (it is 1)`);
  if (!pretrain && opt.eps !== 1e-8) unsupported.push(`optimizer.eps = ${opt.eps}: train_arc_tiny_corrupt.py uses AdamW's default eps 1e-8`);
  add('lr', opt.lr);
  add('lr_min_ratio', 1.0, { why: 'constant LR after warm-up, as the lab' });
  add('lr_warmup_steps', opt.warmupSteps);
  add('beta1', opt.beta1);
  add('beta2', opt.beta2);
  add('weight_decay', opt.weightDecay);
  add('puzzle_emb_lr', opt.puzzleEmbLr);
  add('puzzle_emb_weight_decay', opt.puzzleEmbWeightDecay);
  add('ema', opt.ema);
  add('ema_rate', opt.emaDecay);

  // --- schedule ---
  add('global_batch_size', c.batchSize);
  const { epochs, evalEpochs, totalSteps } = stepsToEpochs(c.budget.optimizerSteps, c.eval.interval, c.batchSize, stats);
  add('epochs', epochs, { why: `≈ ${c.budget.optimizerSteps} lab optimizer steps; their loop stops at ${totalSteps}` });
  add('eval_interval', evalEpochs, { why: c.eval.interval === 0 ? 'the lab evaluates only at the end' : `≈ every ${c.eval.interval} lab steps` });
  add('checkpoint_every_eval', true);
  add('seed', c.seed);
  add('run_name', paths.runName, { add: pretrain });
  add('checkpoint_path', paths.checkpointPath, { add: pretrain });
  const perIteration = evalEpochs * stats.totalGroups * stats.meanPuzzleExamples;
  if (perIteration < c.batchSize) {
    unsupported.push(
      `eval.interval = ${c.eval.interval} steps: one evaluation interval (${evalEpochs} epochs ≈ ${Math.round(perIteration)} examples) holds less than one batch of ${c.batchSize}, ` +
        'and their sampler drops partial batches, so no training step would run; evaluate less often',
    );
  }
  notes.push(
    `budget: ${c.budget.optimizerSteps} optimizer steps at batch ${c.batchSize} = ${epochs} epochs of the authors' sampler ` +
      `(${stats.totalGroups} groups × ${stats.meanPuzzleExamples.toFixed(4)} examples per epoch); their run stops after ${totalSteps} steps`,
  );

  // --- lab options without an equivalent ---
  if (c.budget.trajectories > 0) unsupported.push(`budget.trajectories = ${c.budget.trajectories}: the authors' loop has no trajectory cap, only epochs`);
  if (c.checkpointInterval > 0) unsupported.push(`checkpointInterval = ${c.checkpointInterval} steps: the authors checkpoint at evaluations only (checkpoint_every_eval)`);
  if (c.eval.maxTasks > 0) unsupported.push(`eval.maxTasks = ${c.eval.maxTasks}: the authors' evaluation always covers the whole test split`);
  if (kind === 'arc' && c.eval.augmentations !== c.data.augmentations) {
    unsupported.push(`eval.augmentations = ${c.eval.augmentations}: the authors evaluate every version in the test split (${c.data.augmentations} augmentations here, from data.augmentations)`);
  }
  if (c.snapshotInterval > 0 || c.probes > 0) unsupported.push('snapshotInterval / probes: the lab\'s probe filmstrips have no counterpart in the authors\' code');
  if (c.backend !== 'auto' || c.workers > 1) unsupported.push(`backend = ${c.backend}, workers = ${c.workers}: lab execution settings; torchrun runs one process per GPU instead`);
  if (kind === 'arc' && c.data.canvas !== 30) unsupported.push(`data.canvas = ${c.data.canvas}: the authors' ARC pipeline is fixed to a 30×30 canvas (900 tokens); the data were exported on 30×30`);
  if (!pretrain && c.mode !== 'code') notes.push(`the run's mode is "${c.mode}"; only options the DIS code has are exported`);
  return { overrides: o, unsupported, notes, epochs, evalIntervalEpochs: evalEpochs, authorsTotalSteps: totalSteps };
}

/** A number as Python's float/int literal (1e-4 → 0.0001, 1e-08 stays exponent with a mantissa dot). */
function pyNumber(v: number): string {
  if (Number.isInteger(v)) return String(v);
  const s = String(v);
  return s.includes('e') && !s.split('e')[0]?.includes('.') ? s.replace('e', '.0e') : s;
}

function quote(s: string): string {
  // Single-quoted for hydra and Python; the shell script wraps each override in double quotes, so a
  // "${HERE}" in a path expands there (the script refuses a folder whose name holds a quote).
  if (/['\\\n"`]/.test(s)) throw new Error(`cannot pass ${JSON.stringify(s)} safely on the authors' command line`);
  return `'${s}'`;
}

/** One override as a command-line argument (without shell quoting): key=value, hydra/Python literals. */
export function renderOverride(ov: Override, method: Method): string {
  const v = ov.value;
  let text: string;
  if (Array.isArray(v)) text = `[${v.map(quote).join(', ')}]`;
  else if (typeof v === 'boolean') text = v ? 'True' : 'False';
  else if (typeof v === 'number') text = pyNumber(v);
  else if (v.startsWith('[') || /^[A-Za-z_][A-Za-z0-9_.@-]*$/.test(v)) text = v;
  else text = quote(v);
  return `${viaPretrain(method) && ov.add === true ? '+' : ''}${ov.key}=${text}`;
}
