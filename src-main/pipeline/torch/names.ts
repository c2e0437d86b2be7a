// The authors' parameter names (TinyRecursiveModels `TinyRecursiveReasoningModel_ACTV1`, and
// Deep-Improvement-Supervision's `…_ACTV5`, which adds `timestep_embed`) and how they map onto the
// lab's. pretrain.py saves `ACTLossHead(model).state_dict()`, so keys read `model.inner.<name>`, with
// `_orig_mod.` in front when the model was torch.compile'd. Weights of nn.Linear are [out, in]; the lab
// stores [in, out] (see engine/model/trm.ts), so every linear is transposed, and the fused qkv and
// gate_up projections are split into the lab's separate matrices (same values, same order). TRM's
// MLP-mixer (`mlp_t: true`) replaces a block's self_attn by `mlp_t`, a SwiGLU over the sequence axis
// (width L = puzzle_emb_len + seq_len): its gate_up [2·I_t, L] splits into t_gate|t_up [L, I_t] and its
// down [L, I_t] becomes t_down [I_t, L]. Learned positions are `embed_pos.embedding_weight` [L, D],
// taken as is (an embedding table, not a linear).
// HRM (sapientinc/HRM `HierarchicalReasoningModel_ACTV1`) has the same heads and embeddings and two
// block stacks, `L_level.layers.<i>` (f_L) and `H_level.layers.<i>` (f_H); the lab names its blocks
// exactly so (`L_level.layers.<i>.wq` …), while TRM's one stack is the lab's `layers.<i>.…`.

/** The wrappers pretrain.py and torch.compile put in front of the model's own names, outermost first. */
const WRAPPERS = ['_orig_mod.', 'model.', '_orig_mod.', 'inner.'];

/** A key without the wrapper prefixes (`_orig_mod.model.inner.lm_head.weight` → `lm_head.weight`). */
export function canonicalKey(key: string): string {
  let k = key;
  for (const w of WRAPPERS) if (k.startsWith(w)) k = k.slice(w.length);
  return k;
}

export type KeyRole =
  | { role: 'embed_tokens' }
  | { role: 'lm_head' }
  | { role: 'q_head.weight' }
  | { role: 'q_head.bias' }
  | { role: 'puzzle_emb' }
  | { role: 'H_init' }
  | { role: 'L_init' }
  | { role: 'timestep_embed' }
  /** a block's weights: `level` L is TRM's/DIS's only stack and HRM's f_L, H is HRM's f_H */
  | { role: 'qkv'; level: BlockLevel; layer: number }
  | { role: 'o_proj'; level: BlockLevel; layer: number }
  | { role: 'gate_up'; level: BlockLevel; layer: number }
  | { role: 'down'; level: BlockLevel; layer: number }
  /** MLP-mixer over the sequence (TRM's `mlp_t: true`): a SwiGLU whose width is the sequence length */
  | { role: 't_gate_up'; level: BlockLevel; layer: number }
  | { role: 't_down'; level: BlockLevel; layer: number }
  /** learned positional table (`pos_encodings: learned`) */
  | { role: 'embed_pos' }
  /** RoPE caches (non-persistent in the authors' code; ignored when present) */
  | { role: 'rope-cache' }
  | { role: 'unknown' };

export type BlockLevel = 'L' | 'H';

const LAYER = /^(L|H)_level\.layers\.(\d+)\.(.+)$/;

export function keyRole(canonical: string): KeyRole {
  switch (canonical) {
    case 'embed_tokens.embedding_weight':
      return { role: 'embed_tokens' };
    case 'lm_head.weight':
      return { role: 'lm_head' };
    case 'q_head.weight':
      return { role: 'q_head.weight' };
    case 'q_head.bias':
      return { role: 'q_head.bias' };
    case 'puzzle_emb.weights':
      return { role: 'puzzle_emb' };
    case 'H_init':
      return { role: 'H_init' };
    case 'L_init':
      return { role: 'L_init' };
    case 'timestep_embed.embedding_weight':
      return { role: 'timestep_embed' };
    case 'embed_pos.embedding_weight':
      return { role: 'embed_pos' };
    case 'rotary_emb.cos_cached':
    case 'rotary_emb.sin_cached':
      return { role: 'rope-cache' };
  }
  const m = LAYER.exec(canonical);
  if (m) {
    const level = m[1] as BlockLevel;
    const layer = Number(m[2]);
    switch (m[3]) {
      case 'self_attn.qkv_proj.weight':
        return { role: 'qkv', level, layer };
      case 'self_attn.o_proj.weight':
        return { role: 'o_proj', level, layer };
      case 'mlp.gate_up_proj.weight':
        return { role: 'gate_up', level, layer };
      case 'mlp.down_proj.weight':
        return { role: 'down', level, layer };
      case 'mlp_t.gate_up_proj.weight':
        return { role: 't_gate_up', level, layer };
      case 'mlp_t.down_proj.weight':
        return { role: 't_down', level, layer };
    }
  }
  return { role: 'unknown' };
}

/** [rows, cols] row-major → [cols, rows] row-major. */
export function transpose(a: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(a.length);
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    for (let c = 0; c < cols; c++) out[c * rows + r] = a[base + c] as number;
  }
  return out;
}

/** Rows [from, from + count) of a row-major [*, cols] matrix, transposed to [cols, count]. */
export function rowsTransposed(a: Float32Array, cols: number, from: number, count: number): Float32Array {
  return transpose(a.subarray(from * cols, (from + count) * cols), count, cols);
}

/** The authors' key a lab parameter comes from (for error messages and the writer). */
export function authorsKeyOf(labName: string): string {
  if (labName === 'embed_tokens') return 'embed_tokens.embedding_weight';
  if (labName === 'step_embed') return 'timestep_embed.embedding_weight';
  if (labName === 'embed_pos') return 'embed_pos.embedding_weight';
  if (labName === 'lm_head') return 'lm_head.weight';
  if (labName === 'q_head.w') return 'q_head.weight';
  if (labName === 'q_head.b') return 'q_head.bias';
  // TRM/DIS's one stack `layers.<i>` is the authors' L_level; HRM's blocks carry their level already.
  const m = /^(?:(L|H)_level\.)?layers\.(\d+)\.(\w+)$/.exec(labName);
  if (m) {
    const p = `${m[1] ?? 'L'}_level.layers.${m[2]}.`;
    switch (m[3]) {
      case 'wq':
      case 'wk':
      case 'wv':
        return `${p}self_attn.qkv_proj.weight`;
      case 'wo':
        return `${p}self_attn.o_proj.weight`;
      case 'w_gate':
      case 'w_up':
        return `${p}mlp.gate_up_proj.weight`;
      case 'w_down':
        return `${p}mlp.down_proj.weight`;
      case 't_gate':
      case 't_up':
        return `${p}mlp_t.gate_up_proj.weight`;
      case 't_down':
        return `${p}mlp_t.down_proj.weight`;
    }
  }
  return labName;
}
