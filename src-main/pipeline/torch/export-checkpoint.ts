// A lab checkpoint as the authors' state_dict (issue 11, point 7): the inverse of the import mapping
// (names.ts): [in, out] matrices transposed back to nn.Linear's [out, in], wq|wk|wv fused into
// qkv_proj, w_gate|w_up into gate_up_proj, the step table as DIS's timestep_embed, the puzzle table as
// puzzle_emb.weights, TRM's MLP-mixer as `mlp_t` (t_gate|t_up fused into its gate_up_proj), learned
// positions as embed_pos, keys under `model.inner.` as pretrain.py saves them. HRM's two stacks are
// written as the authors' H_level/L_level (the lab already names its HRM blocks so). The inference weights are
// exported (the EMA shadow when the run kept one, as pretrain.py saves its EMA copy). Written with
// writeTorchStateDict, so torch.load reads it and importCheckpoint reads it back to the same values.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { swigluWidth } from '../../../src-shared/method/run-config';
import { readCheckpoint, readCheckpointMeta } from '../../engine/checkpoint-io';
import { blockPrefixes, isTwoLevel, netSpec, parameterShapes } from '../../engine/model/trm';
import { parseMeta, type CheckpointMeta } from '../../engine/checkpoint-state';
import { transpose } from './names';
import { writeTorchStateDict, type TorchTensorEntry, type WriteTorchOptions } from './torch-writer';

export interface LabStateDict {
  meta: CheckpointMeta;
  /** authors' keys without the wrapper prefix (e.g. `L_level.layers.0.mlp.down_proj.weight`) */
  entries: TorchTensorEntry[];
}

function concatRows(...parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((a, p) => a + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** The tensors of a lab checkpoint folder under the authors' names and layouts. */
export async function labStateDict(checkpointDir: string): Promise<LabStateDict> {
  const payload = await readCheckpoint(checkpointDir);
  const meta = parseMeta(payload.meta, checkpointDir);
  const m = meta.config.model;
  const spec = netSpec(m, meta.encoding.vocab, meta.encoding.seqLen, meta.config.method);
  const prefix = meta.hasEma ? 'ema/' : 'param/';
  const get = (name: string): Float32Array => {
    const a = payload.arrays[prefix + name] ?? payload.arrays[name];
    if (!(a instanceof Float32Array)) throw new Error(`${checkpointDir}: checkpoint has no array ${prefix}${name}`);
    return a;
  };
  const D = spec.hidden;
  const I = swigluWidth(D, spec.expansion);
  const V = spec.vocab;
  const L = spec.puzzleEmbLen + spec.seqLen;
  const It = swigluWidth(L, spec.expansion);
  // Every lab parameter read here; checked against the lab's own list at the end.
  const used = new Set<string>();
  const take = (name: string): Float32Array => {
    used.add(name);
    return get(name);
  };
  const entries: TorchTensorEntry[] = [{ key: 'embed_tokens.embedding_weight', shape: [V, D], data: take('embed_tokens') }];
  if (spec.posEncodings === 'learned') entries.push({ key: 'embed_pos.embedding_weight', shape: [L, D], data: take('embed_pos') });
  entries.push({ key: 'lm_head.weight', shape: [V, D], data: transpose(take('lm_head'), D, V) });
  entries.push({ key: 'q_head.weight', shape: [2, D], data: transpose(take('q_head.w'), D, 2) });
  entries.push({ key: 'q_head.bias', shape: [2], data: take('q_head.b') });
  if (m.puzzleEmbDim > 0) {
    let table: Float32Array;
    let rows: number;
    if (meta.puzzleTableFile) {
      const bytes = await readFile(path.resolve(checkpointDir, meta.puzzleTableFile.path));
      rows = meta.puzzleTableFile.rows;
      if (bytes.byteLength !== rows * m.puzzleEmbDim * 4) throw new Error(`${checkpointDir}: the puzzle table file has ${bytes.byteLength} bytes, expected ${rows * m.puzzleEmbDim * 4}`);
      const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      table = Float32Array.from({ length: rows * m.puzzleEmbDim }, (_, i) => view.getFloat32(i * 4, true));
    } else {
      rows = meta.versionNames.length;
      const t = payload.arrays['puzzle_table'];
      if (!(t instanceof Float32Array) || t.length !== rows * m.puzzleEmbDim) throw new Error(`${checkpointDir}: checkpoint has no puzzle_table of ${rows}×${m.puzzleEmbDim}`);
      table = t;
    }
    entries.push({ key: 'puzzle_emb.weights', shape: [rows, m.puzzleEmbDim], data: table });
  }
  if (spec.stepRows > 0) entries.push({ key: 'timestep_embed.embedding_weight', shape: [spec.stepRows, D], data: take('step_embed') });
  // [authors' prefix, lab prefix] of every block: TRM/DIS's `layers.<i>.` is the authors' L_level.
  const blocks: Array<[string, string]> = isTwoLevel(spec)
    ? [...blockPrefixes(spec, 'L'), ...blockPrefixes(spec, 'H')].map((p) => [p, p])
    : blockPrefixes(spec, null).map((p, l) => [`L_level.layers.${l}.`, p]);
  for (const [p, lab] of blocks) {
    const w = (n: string): Float32Array => take(`${lab}${n}`);
    if (spec.mixer === 'mlp_t') {
      entries.push({ key: `${p}mlp_t.gate_up_proj.weight`, shape: [2 * It, L], data: concatRows(transpose(w('t_gate'), L, It), transpose(w('t_up'), L, It)) });
      entries.push({ key: `${p}mlp_t.down_proj.weight`, shape: [L, It], data: transpose(w('t_down'), It, L) });
    } else {
      entries.push({ key: `${p}self_attn.qkv_proj.weight`, shape: [3 * D, D], data: concatRows(transpose(w('wq'), D, D), transpose(w('wk'), D, D), transpose(w('wv'), D, D)) });
      entries.push({ key: `${p}self_attn.o_proj.weight`, shape: [D, D], data: transpose(w('wo'), D, D) });
    }
    entries.push({ key: `${p}mlp.gate_up_proj.weight`, shape: [2 * I, D], data: concatRows(transpose(w('w_gate'), D, I), transpose(w('w_up'), D, I)) });
    entries.push({ key: `${p}mlp.down_proj.weight`, shape: [D, I], data: transpose(w('w_down'), I, D) });
  }
  const h = payload.arrays['buffer/H_init'];
  const lI = payload.arrays['buffer/L_init'];
  if (!(h instanceof Float32Array) || !(lI instanceof Float32Array)) throw new Error(`${checkpointDir}: checkpoint has no H_init/L_init buffers`);
  entries.push({ key: 'H_init', shape: [D], data: h }, { key: 'L_init', shape: [D], data: lI });
  // parameterShapes is the lab's own list: every one of its parameters must have been exported.
  const missed = parameterShapes(spec).filter(([name]) => !used.has(name));
  if (missed.length > 0) throw new Error(`internal: the export does not cover the lab parameter(s) ${missed.map(([n]) => n).join(', ')}`);
  return { meta, entries };
}

/** The arch section of all_config.yaml for a lab config (what the importer and the authors' code read). */
export function archYaml(meta: CheckpointMeta): string {
  const m = meta.config.model;
  if (meta.config.method === 'hrm') return hrmArchYaml(meta);
  const dis = meta.config.method === 'dis';
  return [
    '# written by Puzzle Lab beside an exported checkpoint: the network of this state_dict',
    'arch:',
    `  H_cycles: ${m.T}`,
    '  H_layers: 0',
    `  L_cycles: ${m.n}`,
    `  L_layers: ${m.layers}`,
    `  expansion: ${m.expansion}`,
    `  halt_exploration_prob: ${meta.config.halting.exploreProb}`,
    `  halt_max_steps: ${m.Nsup}`,
    `  hidden_size: ${m.hidden}`,
    '  loss:',
    '    loss_type: stablemax_cross_entropy',
    `    name: ${dis ? 'losses@ACTLossHeadV4' : 'losses@ACTLossHead'}`,
    `  mlp_t: ${m.mixer === 'mlp_t'}`,
    `  name: recursive_reasoning.trm@${dis ? 'TinyRecursiveReasoningModel_ACTV5' : 'TinyRecursiveReasoningModel_ACTV1'}`,
    `  num_heads: ${m.heads}`,
    `  pos_encodings: ${m.posEncodings}`,
    `  puzzle_emb_len: ${m.puzzleEmbLen}`,
    `  puzzle_emb_ndim: ${m.puzzleEmbDim}`,
    `  rope_theta: ${m.ropeTheta}`,
    '',
  ].join('\n');
}

/** HRM's arch section (sapientinc/HRM config/arch/hrm_v1.yaml keys): no puzzle_emb_len, no mlp_t. */
function hrmArchYaml(meta: CheckpointMeta): string {
  const m = meta.config.model;
  return [
    '# written by Puzzle Lab beside an exported checkpoint: the network of this state_dict',
    'arch:',
    `  H_cycles: ${m.T}`,
    `  H_layers: ${m.hLayers ?? m.layers}`,
    `  L_cycles: ${m.n}`,
    `  L_layers: ${m.layers}`,
    `  expansion: ${m.expansion}`,
    `  halt_exploration_prob: ${meta.config.halting.exploreProb}`,
    `  halt_max_steps: ${m.Nsup}`,
    `  hidden_size: ${m.hidden}`,
    '  loss:',
    '    loss_type: stablemax_cross_entropy',
    '    name: losses@ACTLossHead',
    '  name: hrm.hrm_act_v1@HierarchicalReasoningModel_ACTV1',
    `  num_heads: ${m.heads}`,
    `  pos_encodings: ${m.posEncodings}`,
    `  puzzle_emb_ndim: ${m.puzzleEmbDim}`,
    `  rope_theta: ${m.ropeTheta}`,
    '',
  ].join('\n');
}

export interface ExportCheckpointOptions extends WriteTorchOptions {
  /** key prefix; default `model.inner.` as pretrain.py saves ACTLossHead(model).state_dict() */
  prefix?: string;
}

/** Writes a lab checkpoint as a torch.save state_dict at `outFile` (e.g. `<checkpoint_path>/step_N`). */
export async function exportLabCheckpoint(checkpointDir: string, outFile: string, options: ExportCheckpointOptions = {}): Promise<{ file: string; keys: string[]; meta: CheckpointMeta }> {
  const { meta, entries } = await labStateDict(checkpointDir);
  const prefix = options.prefix ?? 'model.inner.';
  const keyed = entries.map((e) => ({ ...e, key: prefix + e.key }));
  await writeTorchStateDict(outFile, keyed, options);
  return { file: outFile, keys: keyed.map((e) => e.key), meta };
}

/**
 * The key prefix of a state_dict saved from a torch.compile'd ACTLossHead: what the authors' training
 * scripts save by default and what their `load_checkpoint` loads. Both pretrain.py (TRM, HRM) and
 * train_arc_tiny_corrupt.py (DIS) compile the model BEFORE loading and load strictly, so a file with
 * plain `model.inner.` keys fails there unless DISABLE_COMPILE is set (the export's scripts rewrite the
 * keys for that case).
 */
export const COMPILED_PREFIX = '_orig_mod.model.inner.';

/**
 * The writer export-run takes: the lab checkpoint folder `checkpointDir` as `<dir>/step_N` in the
 * authors' format (N = the checkpoint's optimizer step), keyed as their compiled runs save it, so their
 * training script can start from it with `load_checkpoint`.
 */
export async function writeTorchStep(checkpointDir: string, dir: string): Promise<{ file: string; step: number }> {
  const { step } = await readCheckpointMeta(checkpointDir);
  const { file } = await exportLabCheckpoint(checkpointDir, path.join(dir, `step_${step}`), { prefix: COMPILED_PREFIX });
  return { file, step };
}
