// What network a state_dict is, from its shapes, the authors' all_config.yaml beside it, and what the
// user confirms. Shapes fix hidden, layers, expansion (SwiGLU width), vocab, the puzzle table (rows ×
// width) and, for DIS, the step table. They cannot fix the number of heads (qkv is [3D, D] for any
// head count), T, n, N_sup (loop counts), the puzzle-prefix length or the sequence length (RoPE has no
// table): those come from all_config.yaml, the user, or a stated default, and `unresolved` lists what
// is still missing. The token mixer is in the keys (`self_attn` or TRM's `mlp_t`), and so are learned
// positions (`embed_pos`); both also fix the sequence length (their width is puzzle_emb_len + seq_len).
// RoPE and no positions leave no key (the RoPE caches are not saved): all_config.yaml's pos_encodings,
// the user, or RoPE by default. Shapes that fit no TRM/DIS network, and HRM, are refused with the key
// at fault.
import type { CheckpointOverrides, ImportedArchitecture, ValueSource } from '../../../src-shared/api/contract';
import { swigluWidth } from '../../../src-shared/method/run-config';
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
    /** attention blocks have qkv/o, MLP-mixer blocks tGateUp/tDown */
    layers: Array<{ qkv: string | null; o: string | null; tGateUp: string | null; tDown: string | null; gateUp: string; down: string }>;
    /** learned positions (embed_pos), or null */
    pos: string | null;
  };
  /** SwiGLU width of the MLP-mixer (0 for attention) */
  innerT: number;
  /** puzzle_emb_len + seq_len */
  totalLen: number;
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
  type LayerRole = 'qkv' | 'o_proj' | 'gate_up' | 'down' | 't_gate_up' | 't_down';
  const layerKeys = new Map<number, Partial<Record<LayerRole, TensorEntry>>>();
  const notes: string[] = [];
  let ropeCache: string | null = null;
  for (const [key, entry] of sd.entries) {
    const role: KeyRole = keyRole(canonicalKey(key));
    switch (role.role) {
      case 'unknown':
        fail(`key ${key} is not a parameter of the authors' TRM (ACTV1) or DIS (ACTV5) model`);
        break;
      case 'hrm':
        fail(`key ${key} belongs to an HRM model (H_level); the lab imports TRM (ACTV1) and DIS (ACTV5) checkpoints`);
        break;
      case 'rope-cache':
        ropeCache = key;
        break;
      case 'qkv':
      case 'o_proj':
      case 'gate_up':
      case 'down':
      case 't_gate_up':
      case 't_down': {
        const l = layerKeys.get(role.layer) ?? {};
        if (l[role.role]) fail(`key ${key} appears twice (after removing the _orig_mod./model./inner. prefixes)`);
        l[role.role] = entry;
        layerKeys.set(role.layer, l);
        break;
      }
      default:
        if (byRole.has(role.role)) fail(`key ${key} appears twice (after removing the _orig_mod./model./inner. prefixes)`);
        byRole.set(role.role, entry);
    }
  }
  if (cfg?.pos_encodings !== undefined && !['rope', 'learned', 'none'].includes(cfg.pos_encodings)) {
    fail(`${cfg.file} sets arch.pos_encodings: ${cfg.pos_encodings}; the authors' code knows rope, learned and none`);
  }

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
  // The mixer: block 0's keys say which; every block must have the same (the authors' Block has one or the other).
  const first = layerKeys.get(0);
  const mixer: 'attention' | 'mlp_t' = first?.t_gate_up || first?.t_down ? 'mlp_t' : 'attention';
  const mixerKey = mixer === 'mlp_t' ? 'mlp_t.gate_up_proj.weight' : 'self_attn.qkv_proj.weight';
  if (layerIds.length === 0) fail('missing key L_level.layers.0.self_attn.qkv_proj.weight (no transformer blocks)');
  layerIds.forEach((id, i) => {
    if (id !== i) fail(`missing key L_level.layers.${i}.${mixerKey} (blocks must be numbered 0..${layerIds.length - 1})`);
  });
  if (cfg?.mlp_t !== undefined && cfg.mlp_t !== (mixer === 'mlp_t')) {
    fail(`${cfg.file} says arch.mlp_t: ${cfg.mlp_t}, but block 0 has ${mixer === 'mlp_t' ? 'mlp_t (the MLP-mixer)' : 'self_attn (attention)'} keys`);
  }
  const posEntry = byRole.get('embed_pos') ?? null;
  // The sequence length L = puzzle_emb_len + seq_len is in the mixer's and the position table's shapes.
  let totalLen = 0;
  let totalLenKey = '';
  const fixLen = (len: number, key: string): void => {
    if (totalLen > 0 && len !== totalLen) fail(`key ${key} spans ${len} positions, but key ${totalLenKey} spans ${totalLen}`);
    totalLen = len;
    totalLenKey = key;
  };
  if (posEntry) {
    if (posEntry.shape.length !== 2 || posEntry.shape[1] !== hidden) fail(`key ${posEntry.key} has shape ${fmt(posEntry.shape)}, expected [puzzle_emb_len + seq_len, ${hidden}]`);
    fixLen(posEntry.shape[0] as number, posEntry.key);
  }
  let inner = -1;
  let innerT = 0;
  const layers = layerIds.map((l) => {
    const k = layerKeys.get(l) ?? {};
    const p = `L_level.layers.${l}.`;
    const get = (r: LayerRole, name: string): TensorEntry => k[r] ?? fail(`missing key ${p}${name}`);
    const other = mixer === 'mlp_t' ? (k.qkv ?? k.o_proj) : (k.t_gate_up ?? k.t_down);
    if (other) fail(`key ${other.key}: block ${l} mixes ${mixer === 'mlp_t' ? 'attention into an MLP-mixer (mlp_t) network' : 'an MLP-mixer (mlp_t) into an attention network'}; every block of the authors' model has the same mixer`);
    let qkv: TensorEntry | null = null;
    let oP: TensorEntry | null = null;
    let tGu: TensorEntry | null = null;
    let tDown: TensorEntry | null = null;
    if (mixer === 'attention') {
      qkv = get('qkv', 'self_attn.qkv_proj.weight');
      expect(qkv, [3 * hidden, hidden], 'fused q, k, v of hidden each; grouped-query attention does not occur in TRM/DIS');
      oP = get('o_proj', 'self_attn.o_proj.weight');
      expect(oP, [hidden, hidden], 'hidden × hidden');
    } else {
      tGu = get('t_gate_up', 'mlp_t.gate_up_proj.weight');
      if (tGu.shape.length !== 2 || (tGu.shape[0] as number) % 2 !== 0) fail(`key ${tGu.key} has shape ${fmt(tGu.shape)}, expected [2·I_t, puzzle_emb_len + seq_len]`);
      fixLen(tGu.shape[1] as number, tGu.key);
      const It = (tGu.shape[0] as number) / 2;
      if (innerT === 0) innerT = It;
      else if (It !== innerT) fail(`key ${tGu.key}: MLP-mixer width ${It} differs from block 0's ${innerT}`);
      tDown = get('t_down', 'mlp_t.down_proj.weight');
      expect(tDown, [totalLen, innerT], 'sequence length × MLP-mixer width');
    }
    const gu = get('gate_up', 'mlp.gate_up_proj.weight');
    if (gu.shape.length !== 2 || gu.shape[1] !== hidden || (gu.shape[0] as number) % 2 !== 0) fail(`key ${gu.key} has shape ${fmt(gu.shape)}, expected [2·I, ${hidden}]`);
    const I = (gu.shape[0] as number) / 2;
    if (inner < 0) inner = I;
    else if (I !== inner) fail(`key ${gu.key}: SwiGLU width ${I} differs from block 0's ${inner}`);
    const down = get('down', 'mlp.down_proj.weight');
    expect(down, [hidden, inner], 'hidden × SwiGLU width');
    return { qkv: qkv?.key ?? null, o: oP?.key ?? null, tGateUp: tGu?.key ?? null, tDown: tDown?.key ?? null, gateUp: gu.key, down: down.key };
  });
  const sources: Record<string, Source> = { hidden: 'shapes', layers: 'shapes', vocab: 'shapes', expansion: 'shapes', mixer: 'shapes' };
  // One expansion sizes both SwiGLUs (the block's over hidden, the mixer's over L).
  const fits = (e: number): boolean => swigluWidth(hidden, e) === inner && (mixer === 'attention' || swigluWidth(totalLen, e) === innerT);
  let expansion = expansionFor(hidden, inner);
  if (expansion !== null && !fits(expansion)) {
    expansion = null;
    for (let e = 0.5; e <= 16 && expansion === null; e += 0.125) if (fits(e)) expansion = e;
  }
  if (cfg?.expansion !== undefined && fits(cfg.expansion)) {
    expansion = cfg.expansion;
    sources['expansion'] = 'all_config.yaml';
  }
  if (expansion === null) {
    fail(
      mixer === 'mlp_t'
        ? `keys ${layers[0]?.gateUp} and ${layers[0]?.tGateUp}: SwiGLU widths ${inner} (over hidden ${hidden}) and ${innerT} (over ${totalLen} positions) fit no one expansion of the authors' formula 256·ceil(round(e·width·2/3)/256)`
        : `key ${layers[0]?.gateUp}: SwiGLU width ${inner} fits no expansion of the authors' formula 256·ceil(round(e·${hidden}·2/3)/256)`,
    );
  }

  // Positions: learned ones have a table; RoPE and none have no key, so all_config.yaml, the user, or RoPE.
  let posEncodings: 'rope' | 'learned' | 'none';
  const cfgPos = cfg?.pos_encodings as 'rope' | 'learned' | 'none' | undefined;
  if (posEntry) {
    posEncodings = 'learned';
    sources['posEncodings'] = 'shapes';
    if (cfgPos !== undefined && cfgPos !== 'learned') fail(`${cfg?.file} says arch.pos_encodings: ${cfgPos}, but the checkpoint has key ${posEntry.key} (learned positions)`);
    if (o.posEncodings !== undefined && o.posEncodings !== 'learned') fail(`key ${posEntry.key} is a learned position table; positional encoding ${o.posEncodings} cannot be chosen for it`);
  } else {
    const pos = o.posEncodings ?? cfgPos;
    if (pos === 'learned') fail(`missing key embed_pos.embedding_weight (${o.posEncodings !== undefined ? 'learned positions were chosen' : `${cfg?.file} says arch.pos_encodings: learned`})`);
    if (o.posEncodings !== undefined) {
      posEncodings = o.posEncodings;
      sources['posEncodings'] = 'user';
    } else if (cfgPos !== undefined) {
      posEncodings = cfgPos;
      sources['posEncodings'] = 'all_config.yaml';
    } else if (ropeCache !== null) {
      posEncodings = 'rope';
      sources['posEncodings'] = 'shapes';
    } else {
      posEncodings = 'rope';
      sources['posEncodings'] = 'default';
      if (mixer === 'attention') notes.push("RoPE and no positional encoding leave no key in the weights; RoPE (the authors' default) is assumed. Choose none if the run had arch.pos_encodings=none.");
    }
  }

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
  if (heads === null && mixer === 'attention') unresolved.push('heads');
  if (T === null) unresolved.push('T');
  if (n === null) unresolved.push('n');
  if (Nsup === null) unresolved.push('Nsup');
  if (method === 'dis' && step && Nsup !== null && (step.shape[0] as number) !== Nsup + 2) {
    fail(`key ${step.key} has ${step.shape[0]} rows, but N_sup ${Nsup} (${sources['Nsup']}) needs N_sup + 2 = ${Nsup + 2}`);
  }
  if (mixer === 'attention' && heads !== null && (hidden % heads !== 0 || (posEncodings === 'rope' && (hidden / heads) % 2 !== 0))) {
    fail(`${heads} heads (${sources['heads']}) do not fit hidden ${hidden}: the head dimension must be a whole${posEncodings === 'rope' ? ', even' : ''} number${posEncodings === 'rope' ? ' (RoPE)' : ''}`);
  }
  if (mixer === 'mlp_t' && heads === null) {
    sources['heads'] = 'default';
    notes.push('The MLP-mixer (mlp_t) has no attention, so the number of heads does not matter; 1 is recorded.');
  }

  let encKind: EncodingKind;
  if (vocab === 12) encKind = 'arc';
  else if (vocab === 11) encKind = 'sudoku';
  else if (vocab === 3) encKind = 'nqueens';
  else return fail(`key ${embed.key}: vocabulary ${vocab} matches no puzzle kind the lab encodes (ARC 12, Sudoku 11, N-Queens 3)`);
  const userSide = encKind === 'arc' ? o.canvas : encKind === 'nqueens' ? o.side : undefined;
  const sideFlag = encKind === 'arc' ? 'canvas' : 'side';

  let puzzleEmbLen: number;
  if (o.puzzleEmbLen !== undefined) {
    puzzleEmbLen = o.puzzleEmbLen;
    sources['puzzleEmbLen'] = 'user';
  } else if (cfg?.puzzle_emb_len !== undefined) {
    puzzleEmbLen = cfg.puzzle_emb_len === 0 ? Math.ceil(puzzleEmbDim / hidden) : cfg.puzzle_emb_len;
    sources['puzzleEmbLen'] = 'all_config.yaml';
  } else if (totalLen > 0 && userSide !== undefined) {
    // L is in the weights and the user gave the grid: the prefix is what is left.
    puzzleEmbLen = totalLen - getEncoding(encKind, userSide).seqLen;
    sources['puzzleEmbLen'] = 'shapes';
    if (puzzleEmbLen < 0) fail(`key ${totalLenKey} spans ${totalLen} positions, fewer than the ${getEncoding(encKind, userSide).seqLen} tokens of ${sideFlag} ${userSide}`);
  } else {
    puzzleEmbLen = 16;
    sources['puzzleEmbLen'] = 'default';
    notes.push('The puzzle-prefix length is not in the weights; 16 is used (the default of the authors\' TRM and DIS code).');
  }
  if (puzzleEmbDim > puzzleEmbLen * hidden) fail(`key ${puzzle?.key}: width ${puzzleEmbDim} exceeds puzzle_emb_len · hidden = ${puzzleEmbLen * hidden}`);

  let side: number;
  if (totalLen > 0) {
    // The sequence length is in the weights: the grid is what the prefix leaves.
    const seqLen = totalLen - puzzleEmbLen;
    const s = encKind === 'sudoku' ? 9 : Math.round(Math.sqrt(Math.max(0, seqLen)));
    let fitsGrid = false;
    try {
      fitsGrid = s >= 1 && getEncoding(encKind, s).seqLen === seqLen;
    } catch {
      fitsGrid = false;
    }
    if (!fitsGrid) {
      fail(`key ${totalLenKey} spans ${totalLen} positions: minus the puzzle prefix of ${puzzleEmbLen} (${sources['puzzleEmbLen']}) that leaves ${seqLen} tokens, which is no ${encKind} grid${sources['puzzleEmbLen'] === 'default' ? ' (give the prefix length, --puzzle-emb-len, or the grid)' : ''}`);
    }
    if (userSide !== undefined && userSide !== s) fail(`key ${totalLenKey} spans ${totalLen} positions, a ${s}×${s} grid after the prefix of ${puzzleEmbLen}, not the ${sideFlag} ${userSide} given`);
    side = s;
    sources['seqLen'] = 'shapes';
  } else if (encKind === 'arc') {
    side = o.canvas ?? 30;
    sources['seqLen'] = o.canvas !== undefined ? 'user' : 'default';
    if (o.canvas === undefined) notes.push('Vocabulary 12 is the ARC tokenisation; the sequence length is not in the weights (RoPE has no table): the authors\' 30×30 canvas (900 tokens) is used.');
  } else if (encKind === 'sudoku') {
    side = 9;
    sources['seqLen'] = 'default';
  } else {
    side = o.side ?? 8;
    sources['seqLen'] = o.side !== undefined ? 'user' : 'default';
    if (o.side === undefined) notes.push('Vocabulary 3 is the N-Queens tokenisation; the board side is not in the weights: 8 is used.');
  }
  const enc = getEncoding(encKind, side);
  const ropeTheta = o.ropeTheta ?? cfg?.rope_theta ?? 10000;
  sources['ropeTheta'] = o.ropeTheta !== undefined ? 'user' : cfg?.rope_theta !== undefined ? 'all_config.yaml' : 'default';

  return {
    method,
    archName,
    hidden,
    layers: layers.length,
    heads: heads ?? (mixer === 'mlp_t' ? 1 : 0),
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
    mixer,
    posEncodings,
    innerT,
    totalLen: puzzleEmbLen + enc.seqLen,
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
      pos: posEntry?.key ?? null,
    },
  };
}
