// What network a state_dict is, from its shapes, the authors' all_config.yaml beside it, and what the
// user confirms. Shapes fix hidden, layers, expansion (SwiGLU width), vocab, the puzzle table (rows ×
// width) and, for DIS, the step table. They cannot fix the number of heads (qkv is [3D, D] for any
// head count), T, n, N_sup (loop counts), the puzzle-prefix length or the sequence length (RoPE has no
// table): those come from all_config.yaml, the user, or a stated default, and `unresolved` lists what
// is still missing. Shapes that fit no TRM/DIS network, and variants this build does not run
// (MLP-mixer `mlp_t`, learned or no positional encodings, HRM), are refused with the key at fault.
import type { CheckpointOverrides, ImportedArchitecture, ValueSource } from '../../../src-shared/api/contract';
import { swigluWidth } from '../../../src-shared/engine/run-config';
import { getEncoding, type EncodingKind } from '../../../src-shared/puzzle/tokens';
import type { AuthorsConfig } from './all-config';
import { canonicalKey, keyRole, type KeyRole } from './names';
import type { StateDictFile, TensorEntry } from './state-dict';

export interface ImportOverrides extends CheckpointOverrides {
  ropeTheta?: number;
}

export type Source = ValueSource;

export interface Architecture extends ImportedArchitecture {
  /** file key of each role (for reading the weights) */
  keys: {
    embed: string;
    lmHead: string;
    qW: string;
    qB: string;
    hInit: string;
    lInit: string;
    puzzle: string | null;
    step: string | null;
    layers: Array<{ qkv: string; o: string; gateUp: string; down: string }>;
  };
}

export class ArchitectureError extends Error {
  constructor(file: string, why: string) {
    super(`${file}: ${why}`);
    this.name = 'ArchitectureError';
  }
}

const fmt = (s: readonly number[]): string => `[${s.join(', ')}]`;

/** The smallest expansion (in steps of 1/256·… via the authors' formula) whose SwiGLU width is `inner`. */
export function expansionFor(hidden: number, inner: number): number | null {
  if (swigluWidth(hidden, 4) === inner) return 4; // the authors' setting, preferred when it fits
  for (let e = 0.5; e <= 16; e += 0.125) if (swigluWidth(hidden, e) === inner) return e;
  return null;
}

export function inferArchitecture(sd: StateDictFile, cfg: AuthorsConfig | null, o: ImportOverrides = {}): Architecture {
  const file = sd.file;
  const fail = (why: string): never => {
    throw new ArchitectureError(file, why);
  };
  const byRole = new Map<string, TensorEntry>();
  const layerKeys = new Map<number, Partial<Record<'qkv' | 'o_proj' | 'gate_up' | 'down', TensorEntry>>>();
  const notes: string[] = [];
  for (const [key, entry] of sd.entries) {
    const role: KeyRole = keyRole(canonicalKey(key));
    switch (role.role) {
      case 'unknown':
        fail(`key ${key} is not a parameter of the authors' TRM (ACTV1) or DIS (ACTV5) model`);
        break;
      case 'hrm':
        fail(`key ${key} belongs to an HRM model (H_level); the lab imports TRM (ACTV1) and DIS (ACTV5) checkpoints`);
        break;
      case 'mlp_t':
        fail(`key ${key}: this checkpoint uses TRM's MLP-mixer variant (arch.mlp_t: true), which this build cannot run yet`);
        break;
      case 'embed_pos':
        fail(`key ${key}: this checkpoint uses learned positional embeddings (pos_encodings: learned); this build runs RoPE models only`);
        break;
      case 'rope-cache':
        break;
      case 'qkv':
      case 'o_proj':
      case 'gate_up':
      case 'down': {
        const l = layerKeys.get(role.layer) ?? {};
        l[role.role] = entry;
        layerKeys.set(role.layer, l);
        break;
      }
      default:
        if (byRole.has(role.role)) fail(`key ${key} appears twice (after removing the _orig_mod./model./inner. prefixes)`);
        byRole.set(role.role, entry);
    }
  }
  if (cfg?.mlp_t === true) fail(`${cfg.file} sets arch.mlp_t: true (the MLP-mixer variant), which this build cannot run yet`);
  if (cfg?.pos_encodings !== undefined && cfg.pos_encodings !== 'rope') fail(`${cfg.file} sets arch.pos_encodings: ${cfg.pos_encodings}; this build runs RoPE models only`);

  const need = (role: string, authorsName: string): TensorEntry => byRole.get(role) ?? fail(`missing key ${authorsName} (model.inner.${authorsName} in a pretrain.py checkpoint)`);
  const embed = need('embed_tokens', 'embed_tokens.embedding_weight');
  if (embed.shape.length !== 2) fail(`key ${embed.key} has shape ${fmt(embed.shape)}, expected [vocab, hidden]`);
  const [vocab, hidden] = embed.shape as [number, number];
  const expect = (e: TensorEntry, shape: number[], what: string): void => {
    if (e.shape.length !== shape.length || e.shape.some((s, i) => s !== shape[i])) fail(`key ${e.key} has shape ${fmt(e.shape)}, expected ${fmt(shape)} (${what})`);
  };
  const lmHead = need('lm_head', 'lm_head.weight');
  expect(lmHead, [vocab, hidden], 'vocab × hidden, as embed_tokens');
  const qW = need('q_head.weight', 'q_head.weight');
  expect(qW, [2, hidden], '2 × hidden');
  const qB = need('q_head.bias', 'q_head.bias');
  expect(qB, [2], 'the Q-head bias');
  const hInit = need('H_init', 'H_init');
  expect(hInit, [hidden], 'a hidden-sized start state');
  const lInit = need('L_init', 'L_init');
  expect(lInit, [hidden], 'a hidden-sized start state');

  const layerIds = [...layerKeys.keys()].sort((a, b) => a - b);
  if (layerIds.length === 0) fail('missing key L_level.layers.0.self_attn.qkv_proj.weight (no transformer blocks)');
  layerIds.forEach((id, i) => {
    if (id !== i) fail(`missing key L_level.layers.${i}.self_attn.qkv_proj.weight (blocks must be numbered 0..${layerIds.length - 1})`);
  });
  let inner = -1;
  const layers = layerIds.map((l) => {
    const k = layerKeys.get(l) ?? {};
    const p = `L_level.layers.${l}.`;
    const get = (r: 'qkv' | 'o_proj' | 'gate_up' | 'down', name: string): TensorEntry => k[r] ?? fail(`missing key ${p}${name}`);
    const qkv = get('qkv', 'self_attn.qkv_proj.weight');
    expect(qkv, [3 * hidden, hidden], 'fused q, k, v of hidden each; grouped-query attention does not occur in TRM/DIS');
    const oP = get('o_proj', 'self_attn.o_proj.weight');
    expect(oP, [hidden, hidden], 'hidden × hidden');
    const gu = get('gate_up', 'mlp.gate_up_proj.weight');
    if (gu.shape.length !== 2 || gu.shape[1] !== hidden || (gu.shape[0] as number) % 2 !== 0) fail(`key ${gu.key} has shape ${fmt(gu.shape)}, expected [2·I, ${hidden}]`);
    const I = (gu.shape[0] as number) / 2;
    if (inner < 0) inner = I;
    else if (I !== inner) fail(`key ${gu.key}: SwiGLU width ${I} differs from block 0's ${inner}`);
    const down = get('down', 'mlp.down_proj.weight');
    expect(down, [hidden, inner], 'hidden × SwiGLU width');
    return { qkv: qkv.key, o: oP.key, gateUp: gu.key, down: down.key };
  });
  const sources: Record<string, Source> = { hidden: 'shapes', layers: 'shapes', vocab: 'shapes', expansion: 'shapes' };
  let expansion = expansionFor(hidden, inner);
  if (cfg?.expansion !== undefined && swigluWidth(hidden, cfg.expansion) === inner) {
    expansion = cfg.expansion;
    sources['expansion'] = 'all_config.yaml';
  }
  if (expansion === null) fail(`key ${layers[0]?.gateUp}: SwiGLU width ${inner} fits no expansion of the authors' formula 256·ceil(round(e·${hidden}·2/3)/256)`);

  // Checks against all_config.yaml where it states what the shapes also say.
  if (cfg?.hidden_size !== undefined && cfg.hidden_size !== hidden) fail(`${cfg.file} says hidden_size ${cfg.hidden_size}, but key ${embed.key} is ${fmt(embed.shape)}`);
  if (cfg?.L_layers !== undefined && cfg.L_layers !== layers.length) fail(`${cfg.file} says L_layers ${cfg.L_layers}, but the checkpoint has ${layers.length} block(s)`);

  const puzzle = byRole.get('puzzle_emb') ?? null;
  let puzzleRows = 0;
  let puzzleEmbDim = 0;
  if (puzzle) {
    if (puzzle.shape.length !== 2) fail(`key ${puzzle.key} has shape ${fmt(puzzle.shape)}, expected [puzzle ids, width]`);
    [puzzleRows, puzzleEmbDim] = puzzle.shape as [number, number];
    if (cfg?.puzzle_emb_ndim !== undefined && cfg.puzzle_emb_ndim !== puzzleEmbDim) fail(`${cfg.file} says puzzle_emb_ndim ${cfg.puzzle_emb_ndim}, but key ${puzzle.key} is ${fmt(puzzle.shape)}`);
  } else if (cfg?.puzzle_emb_ndim !== undefined && cfg.puzzle_emb_ndim > 0) {
    fail(`missing key puzzle_emb.weights (${cfg.file} says puzzle_emb_ndim ${cfg.puzzle_emb_ndim})`);
  }

  // Method: the user, then arch.name, then the keys (a step table means DIS).
  const step = byRole.get('timestep_embed') ?? null;
  let method: 'trm' | 'dis';
  const archName = cfg?.archName ?? null;
  if (o.method) {
    method = o.method;
    sources['method'] = 'user';
  } else if (archName !== null) {
    if (/ACTV5$/.test(archName)) method = 'dis';
    else if (/ACTV1$/.test(archName) && /recursive_reasoning\.trm@/.test(archName)) method = 'trm';
    else return fail(`${cfg?.file}: arch.name ${archName} is not TRM (…trm@TinyRecursiveReasoningModel_ACTV1) or DIS (…trm@TinyRecursiveReasoningModel_ACTV5)`);
    sources['method'] = 'all_config.yaml';
  } else {
    method = step ? 'dis' : 'trm';
    sources['method'] = 'shapes';
    if (step) notes.push("timestep_embed is present, so this is taken for a DIS (ACTV5) model; the DIS repository's TRM baseline also carries an unused step table: import it with method TRM if that is what it is.");
  }
  if (method === 'dis' && !step) fail('missing key timestep_embed.embedding_weight (a DIS/ACTV5 model has a step-index table)');
  if (step) {
    if (step.shape.length !== 2 || step.shape[1] !== hidden || (step.shape[0] as number) < 3) fail(`key ${step.key} has shape ${fmt(step.shape)}, expected [N_sup + 2, ${hidden}]`);
    if (method === 'trm') notes.push(`timestep_embed (${fmt(step.shape)}) is not used by TRM (ACTV1) and is left out.`);
  }

  const pick = (name: 'T' | 'n' | 'Nsup' | 'heads', user: number | undefined, fromCfg: number | undefined, fromShapes?: number): number | null => {
    if (user !== undefined) {
      sources[name] = 'user';
      return user;
    }
    if (fromCfg !== undefined) {
      sources[name] = 'all_config.yaml';
      return fromCfg;
    }
    if (fromShapes !== undefined) {
      sources[name] = 'shapes';
      return fromShapes;
    }
    return null;
  };
  const unresolved: Architecture['unresolved'] = [];
  const T = pick('T', o.T, cfg?.H_cycles);
  const n = pick('n', o.n, cfg?.L_cycles);
  const Nsup = pick('Nsup', o.Nsup, cfg?.halt_max_steps, method === 'dis' && step ? (step.shape[0] as number) - 2 : undefined);
  const heads = pick('heads', o.heads, cfg?.num_heads);
  if (heads === null) unresolved.push('heads');
  if (T === null) unresolved.push('T');
  if (n === null) unresolved.push('n');
  if (Nsup === null) unresolved.push('Nsup');
  if (method === 'dis' && step && Nsup !== null && (step.shape[0] as number) !== Nsup + 2) {
    fail(`key ${step.key} has ${step.shape[0]} rows, but N_sup ${Nsup} (${sources['Nsup']}) needs N_sup + 2 = ${Nsup + 2}`);
  }
  if (heads !== null && (hidden % heads !== 0 || (hidden / heads) % 2 !== 0)) {
    fail(`${heads} heads (${sources['heads']}) do not fit hidden ${hidden}: the head dimension must be a whole, even number (RoPE)`);
  }

  let puzzleEmbLen: number;
  if (o.puzzleEmbLen !== undefined) {
    puzzleEmbLen = o.puzzleEmbLen;
    sources['puzzleEmbLen'] = 'user';
  } else if (cfg?.puzzle_emb_len !== undefined) {
    puzzleEmbLen = cfg.puzzle_emb_len === 0 ? Math.ceil(puzzleEmbDim / hidden) : cfg.puzzle_emb_len;
    sources['puzzleEmbLen'] = 'all_config.yaml';
  } else {
    puzzleEmbLen = 16;
    sources['puzzleEmbLen'] = 'default';
    notes.push('The puzzle-prefix length is not in the weights; 16 is used (the default of the authors\' TRM and DIS code).');
  }
  if (puzzleEmbDim > puzzleEmbLen * hidden) fail(`key ${puzzle?.key}: width ${puzzleEmbDim} exceeds puzzle_emb_len · hidden = ${puzzleEmbLen * hidden}`);

  let encKind: EncodingKind;
  let side: number;
  if (vocab === 12) {
    encKind = 'arc';
    side = o.canvas ?? 30;
    sources['seqLen'] = o.canvas !== undefined ? 'user' : 'default';
    if (o.canvas === undefined) notes.push('Vocabulary 12 is the ARC tokenisation; the sequence length is not in the weights (RoPE has no table): the authors\' 30×30 canvas (900 tokens) is used.');
  } else if (vocab === 11) {
    encKind = 'sudoku';
    side = 9;
    sources['seqLen'] = 'default';
  } else if (vocab === 3) {
    encKind = 'nqueens';
    side = o.side ?? 8;
    sources['seqLen'] = o.side !== undefined ? 'user' : 'default';
    if (o.side === undefined) notes.push('Vocabulary 3 is the N-Queens tokenisation; the board side is not in the weights: 8 is used.');
  } else {
    return fail(`key ${embed.key}: vocabulary ${vocab} matches no puzzle kind the lab encodes (ARC 12, Sudoku 11, N-Queens 3)`);
  }
  const enc = getEncoding(encKind, side);
  const ropeTheta = o.ropeTheta ?? cfg?.rope_theta ?? 10000;
  sources['ropeTheta'] = o.ropeTheta !== undefined ? 'user' : cfg?.rope_theta !== undefined ? 'all_config.yaml' : 'default';

  return {
    method,
    archName,
    hidden,
    layers: layers.length,
    heads: heads ?? 0,
    expansion: expansion as number,
    inner,
    puzzleEmbLen,
    puzzleEmbDim,
    puzzleRows,
    vocab,
    encoding: { kind: encKind, side: enc.side, seqLen: enc.seqLen },
    T: T ?? 0,
    n: n ?? 0,
    Nsup: Nsup ?? 0,
    ropeTheta,
    sources,
    unresolved,
    notes,
    keys: {
      embed: embed.key,
      lmHead: lmHead.key,
      qW: qW.key,
      qB: qB.key,
      hInit: hInit.key,
      lInit: lInit.key,
      puzzle: puzzle?.key ?? null,
      step: method === 'dis' ? (step?.key ?? null) : null,
      layers,
    },
  };
}
