// The TRM network (docs/method-notes.md#network), shared by TRM and DIS. Names follow the paper and the code:
// x (the scaled input embedding), z_H (the answer state "y"), z_L (the reasoning state "z"),
// T outer cycles of n latent updates, one shared `net`.
//
//   x    = √D · (concat(puzzle_prefix, tok_emb(inputs)) [+ step_emb[s] at every position, DIS])
//   net(h, inj) = L_layers post-norm blocks applied to h + inj
//   block: h ← RMSNorm(h + Attn(h)); h ← RMSNorm(h + SwiGLU(h))   (no gain, no biases)
//   mixer 'mlp_t' (TRM's Sudoku setting): the attention is replaced by a SwiGLU over the sequence
//     axis: hᵀ ← RMSNorm(hᵀ + SwiGLU_t(hᵀ)) with hᵀ = [B, D, L], so that norm runs over positions
//   posEncodings: 'rope' in the attention; 'learned' x = √D·0.707106781·(concat(...) + pos_emb);
//     'none' neither
//   cycle: n × z_L ← net(z_L, z_H + x), then z_H ← net(z_H, z_L)
//   heads: logits = lm_head(z_H)[prefix dropped], (q_halt, q_continue) = q_head(z_H[:, 0])
//
// Every op is on the fast wasm path (see ../ops): separate Wq/Wk/Wv and W_gate/W_up matrices (the
// same parameter count as the fused qkv [D,3D] and gate_up [D,2I] of the reference), weights stored
// [in, out] so products need no transpose, one-hot-matmul embeddings.
import * as tf from '@tensorflow/tfjs';
import { swigluWidth, type ModelConfig } from '../../../src-shared/method/run-config';
import type { Rng } from '../../../src-shared/prng';
import { CallCounter } from '../counters';
import { attention } from '../ops/attention';
import { embed } from '../ops/embedding';
import { linear, matMul2d } from '../ops/matmul';
import { rmsNorm } from '../ops/rmsnorm';
import { applyRope, disposeRope, ropeTables, type RopeTables } from '../ops/rope';
import { swiglu } from '../ops/swiglu';
import { useSharedIdentityOnWasm } from '../ops/wasm-identity';
import { lecunNormal, truncNormal } from './init';

/** Everything that fixes the network's shapes. */
export interface NetSpec {
  hidden: number;
  layers: number;
  heads: number;
  expansion: number;
  puzzleEmbLen: number;
  puzzleEmbDim: number;
  ropeTheta: number;
  vocab: number;
  /** grid tokens per example (900 for a 30×30 canvas) */
  seqLen: number;
  /** rows of the DIS step-index table (N_sup + 2), 0 for TRM */
  stepRows: number;
  /** token mixer (default 'attention') */
  mixer?: 'attention' | 'mlp_t';
  /** positional encoding (default 'rope') */
  posEncodings?: 'rope' | 'learned' | 'none';
}

export function netSpec(model: ModelConfig, vocab: number, seqLen: number, method: 'trm' | 'dis'): NetSpec {
  return {
    hidden: model.hidden,
    layers: model.layers,
    heads: model.heads,
    expansion: model.expansion,
    puzzleEmbLen: model.puzzleEmbLen,
    puzzleEmbDim: model.puzzleEmbDim,
    ropeTheta: model.ropeTheta,
    vocab,
    seqLen,
    stepRows: method === 'dis' ? model.Nsup + 2 : 0,
    mixer: model.mixer,
    posEncodings: model.posEncodings,
  };
}

export type Weights = Record<string, tf.Tensor>;

/** Trainable parameter shapes, in a fixed order (init draws and checkpoints follow it). */
export function parameterShapes(spec: NetSpec): Array<[string, number[]]> {
  const D = spec.hidden;
  const I = swigluWidth(D, spec.expansion);
  const L = spec.puzzleEmbLen + spec.seqLen;
  const shapes: Array<[string, number[]]> = [['embed_tokens', [spec.vocab, D]]];
  if (spec.posEncodings === 'learned') shapes.push(['embed_pos', [L, D]]);
  if (spec.stepRows > 0) shapes.push(['step_embed', [spec.stepRows, D]]);
  for (let l = 0; l < spec.layers; l++) {
    if (spec.mixer === 'mlp_t') {
      // SwiGLU over the sequence axis: width L = prefix + grid, inner width from L like the block MLP's.
      const It = swigluWidth(L, spec.expansion);
      shapes.push([`layers.${l}.t_gate`, [L, It]], [`layers.${l}.t_up`, [L, It]], [`layers.${l}.t_down`, [It, L]]);
    } else {
      for (const w of ['wq', 'wk', 'wv', 'wo']) shapes.push([`layers.${l}.${w}`, [D, D]]);
    }
    shapes.push([`layers.${l}.w_gate`, [D, I]], [`layers.${l}.w_up`, [D, I]], [`layers.${l}.w_down`, [I, D]]);
  }
  shapes.push(['lm_head', [D, spec.vocab]], ['q_head.w', [D, 2]], ['q_head.b', [2]]);
  return shapes;
}

export function countParameters(spec: NetSpec): number {
  return parameterShapes(spec).reduce((sum, [, s]) => sum + s.reduce((a, b) => a * b, 1), 0);
}

function usesRope(spec: NetSpec): boolean {
  return (spec.posEncodings ?? 'rope') === 'rope' && spec.mixer !== 'mlp_t';
}

function validateSpec(spec: NetSpec): void {
  if (spec.mixer !== 'mlp_t' && spec.hidden % spec.heads !== 0) throw new Error(`hidden ${spec.hidden} is not divisible by heads ${spec.heads}`);
  if (usesRope(spec) && (spec.hidden / spec.heads) % 2 !== 0) throw new Error(`head dimension ${spec.hidden / spec.heads} must be even for RoPE`);
  if (spec.puzzleEmbDim > 0 && spec.puzzleEmbLen === 0) {
    throw new Error('model.puzzleEmbDim > 0 needs model.puzzleEmbLen ≥ 1 prefix positions to carry the puzzle vector');
  }
  if (spec.puzzleEmbDim > spec.puzzleEmbLen * spec.hidden) {
    throw new Error(`puzzleEmbDim ${spec.puzzleEmbDim} exceeds puzzleEmbLen·hidden = ${spec.puzzleEmbLen * spec.hidden}`);
  }
}

/** Initial values of every parameter and buffer (docs/method-notes.md#initialisation), drawn from `rng`. */
export function initialValues(spec: NetSpec, rng: Rng): { params: Record<string, Float32Array>; buffers: Record<string, Float32Array> } {
  validateSpec(spec);
  const D = spec.hidden;
  const params: Record<string, Float32Array> = {};
  for (const [name, shape] of parameterShapes(spec)) {
    const n = shape.reduce((a, b) => a * b, 1);
    if (name === 'embed_tokens' || name === 'step_embed' || name === 'embed_pos') params[name] = truncNormal(n, 1 / Math.sqrt(D), rng);
    else if (name === 'q_head.w') params[name] = new Float32Array(n); // weight 0 …
    else if (name === 'q_head.b') params[name] = new Float32Array([-5, -5]); // … bias −5: sigmoid ≈ 0.0067, "don't halt"
    else params[name] = lecunNormal(shape[0] as number, shape[1] as number, rng);
  }
  // Fixed random start states, never trained (saved in checkpoints).
  const buffers = { H_init: truncNormal(D, 1, rng), L_init: truncNormal(D, 1, rng) };
  return { params, buffers };
}

/**
 * The network with its weights. `weights` may be tf.Variables (training) or plain tensors (an EMA
 * copy for evaluation); `withWeights` gives a view on other weights that shares the buffers.
 */
export class TrmNet {
  readonly headDim: number;
  readonly totalLen: number;

  private constructor(
    readonly spec: NetSpec,
    readonly weights: Weights,
    readonly hInit: tf.Tensor1D,
    readonly lInit: tf.Tensor1D,
    /** null unless the attention uses RoPE */
    readonly rope: RopeTables | null,
    readonly counter: CallCounter,
  ) {
    this.headDim = spec.hidden / spec.heads;
    this.totalLen = spec.puzzleEmbLen + spec.seqLen;
  }

  /** A network whose trainable weights are tf.Variables holding `params`. */
  static create(spec: NetSpec, params: Record<string, Float32Array>, buffers: Record<string, Float32Array>, counter = new CallCounter()): TrmNet {
    validateSpec(spec);
    const weights: Weights = {};
    for (const [name, shape] of parameterShapes(spec)) {
      const values = params[name];
      if (!values) throw new Error(`missing parameter ${name}`);
      if (values.length !== shape.reduce((a, b) => a * b, 1)) {
        throw new Error(`parameter ${name} holds ${values.length} values, expected shape [${shape.join(', ')}]`);
      }
      const initial = tf.tensor(values, shape);
      weights[name] = tf.variable(initial, true, undefined, 'float32');
      initial.dispose(); // the variable keeps its own reference to the data

    }
    const hInit = buffers['H_init'];
    const lInit = buffers['L_init'];
    if (!hInit || !lInit || hInit.length !== spec.hidden || lInit.length !== spec.hidden) {
      throw new Error(`H_init/L_init must be vectors of length ${spec.hidden}`);
    }
    const rope = usesRope(spec) ? ropeTables(spec.puzzleEmbLen + spec.seqLen, spec.hidden / spec.heads, spec.ropeTheta) : null;
    return new TrmNet(spec, weights, tf.tensor1d(hInit), tf.tensor1d(lInit), rope, counter);
  }

  static init(spec: NetSpec, rng: Rng, counter = new CallCounter()): TrmNet {
    const { params, buffers } = initialValues(spec, rng);
    return TrmNet.create(spec, params, buffers, counter);
  }

  /**
   * A view computing with other weights (e.g. the EMA shadow) and optionally its own call counter
   * (evaluation counts apart from training); buffers are shared, so only the owner disposes.
   */
  withWeights(weights: Weights, counter: CallCounter = this.counter): TrmNet {
    return new TrmNet(this.spec, weights, this.hInit, this.lInit, this.rope, counter);
  }

  /** Trainable weights in parameterShapes order. */
  trainable(): Array<[string, tf.Tensor]> {
    return parameterShapes(this.spec).map(([name]) => [name, this.w(name)]);
  }

  /** The fixed start states, saved with the weights and never trained. */
  buffers(): Array<[string, tf.Tensor]> {
    return [
      ['H_init', this.hInit],
      ['L_init', this.lInit],
    ];
  }

  parameterCount(): number {
    return countParameters(this.spec);
  }

  dispose(): void {
    for (const t of Object.values(this.weights)) t.dispose();
    this.hInit.dispose();
    this.lInit.dispose();
    if (this.rope) disposeRope(this.rope);
  }

  private w(name: string): tf.Tensor {
    const t = this.weights[name];
    if (!t) throw new Error(`TrmNet: no weight ${name}`);
    return t;
  }

  /**
   * x = √D · (concat(puzzle_prefix, tok_emb(tokens)) [+ step_emb[stepIds]]), [B, P+S, D].
   * tokens: int32 [B, S]; puzzleRows: [B, puzzleEmbDim] (right-padded to P·D, so with
   * puzzleEmbDim = D only prefix slot 0 carries it) or null when there is no table;
   * stepIds: int32 [B] rows of the DIS step table, added to every position before the scaling.
   */
  inputEmbedding(tokens: tf.Tensor2D, puzzleRows: tf.Tensor2D | null, stepIds: tf.Tensor1D | null = null): tf.Tensor3D {
    const { hidden: D, puzzleEmbLen: P, puzzleEmbDim: E, seqLen: S } = this.spec;
    const B = tokens.shape[0];
    if (tokens.shape[1] !== S) throw new Error(`inputEmbedding: expected ${S} tokens per row, got ${tokens.shape[1]}`);
    const parts: tf.Tensor[] = [];
    if (P > 0) {
      let prefix: tf.Tensor;
      if (E > 0) {
        if (!puzzleRows || puzzleRows.shape[0] !== B || puzzleRows.shape[1] !== E) {
          throw new Error(`inputEmbedding: puzzle rows must be [${B}, ${E}]`);
        }
        const padded = E < P * D ? tf.concat([puzzleRows, tf.zeros([B, P * D - E])], 1) : puzzleRows;
        prefix = tf.reshape(padded, [B, P, D]);
      } else {
        prefix = tf.zeros([B, P, D]);
      }
      parts.push(prefix);
    }
    parts.push(embed(tokens, this.w('embed_tokens') as tf.Tensor2D));
    let x = parts.length === 1 ? (parts[0] as tf.Tensor) : tf.concat(parts, 1);
    if (stepIds) {
      if (this.spec.stepRows === 0) throw new Error('inputEmbedding: this network has no step table (TRM)');
      x = tf.add(x, tf.reshape(embed(stepIds, this.w('step_embed') as tf.Tensor2D), [B, 1, D]));
    }
    // The reference's learned positions: 0.707106781·(embedding + pos) "to maintain forward variance".
    if (this.spec.posEncodings === 'learned') x = tf.mul(tf.add(x, this.w('embed_pos')), 0.707106781);
    return tf.mul(x, Math.sqrt(D)) as tf.Tensor3D;
  }

  /** z_H = H_init, z_L = L_init broadcast to B rows and every position. */
  initialCarry(B: number): { zH: tf.Tensor3D; zL: tf.Tensor3D } {
    const shape: [number, number, number] = [B, this.totalLen, this.spec.hidden];
    return { zH: tf.broadcastTo(this.hInit, shape) as tf.Tensor3D, zL: tf.broadcastTo(this.lInit, shape) as tf.Tensor3D };
  }

  /** The attention mixer: RMSNorm(h + Attn(h)), RoPE on q and k when the net uses it. */
  private attend(h: tf.Tensor3D, p: string): tf.Tensor3D {
    const [B, L, D] = h.shape;
    const H = this.spec.heads;
    const dh = this.headDim;
    const rope = this.rope;
    const heads = (w: string): tf.Tensor4D => tf.reshape(linear(h, this.w(p + w) as tf.Tensor2D), [B, L, H, dh]) as tf.Tensor4D;
    const toBH = (t: tf.Tensor4D): tf.Tensor3D => tf.reshape(tf.transpose(t, [0, 2, 1, 3]), [B * H, L, dh]) as tf.Tensor3D;
    const q = toBH(rope ? applyRope(heads('wq'), rope) : heads('wq'));
    const k = toBH(rope ? applyRope(heads('wk'), rope) : heads('wk'));
    const v = toBH(heads('wv'));
    const o = tf.reshape(tf.transpose(tf.reshape(attention(q, k, v), [B, H, L, dh]), [0, 2, 1, 3]), [B, L, D]);
    return rmsNorm(tf.add(h, linear(o, this.w(p + 'wo') as tf.Tensor2D))) as tf.Tensor3D;
  }

  /** TRM's mlp_t mixer: on hᵀ [B, D, L], RMSNorm(hᵀ + SwiGLU_t(hᵀ)) (the norm runs over positions), back to [B, L, D]. */
  private mixPositions(h: tf.Tensor3D, p: string): tf.Tensor3D {
    const ht = tf.transpose(h, [0, 2, 1]) as tf.Tensor3D;
    const gate = linear(ht, this.w(p + 't_gate') as tf.Tensor2D);
    const up = linear(ht, this.w(p + 't_up') as tf.Tensor2D);
    const mixed = linear(swiglu(gate, up), this.w(p + 't_down') as tf.Tensor2D);
    return tf.transpose(rmsNorm(tf.add(ht, mixed)), [0, 2, 1]) as tf.Tensor3D;
  }

  private block(h: tf.Tensor3D, l: number): tf.Tensor3D {
    const p = `layers.${l}.`;
    let out = this.spec.mixer === 'mlp_t' ? this.mixPositions(h, p) : this.attend(h, p);
    const gate = linear(out, this.w(p + 'w_gate') as tf.Tensor2D);
    const up = linear(out, this.w(p + 'w_up') as tf.Tensor2D);
    const mlp = linear(swiglu(gate, up), this.w(p + 'w_down') as tf.Tensor2D);
    out = rmsNorm(tf.add(out, mlp)) as tf.Tensor3D;
    return out;
  }

  /** net(h, inj): h + inj, then the L_layers blocks. One counted call. */
  net(h: tf.Tensor3D, inj: tf.Tensor3D): tf.Tensor3D {
    this.counter.record();
    useSharedIdentityOnWasm();
    let out = tf.add(h, inj) as tf.Tensor3D;
    for (let l = 0; l < this.spec.layers; l++) out = this.block(out, l);
    return out;
  }

  /**
   * One outer cycle: n × z_L ← net(z_L, z_H + x), then z_H ← net(z_H, z_L).
   * Also returns z_H as it entered the H-update (unchanged by the L-updates): the paper's z_H^n,
   * the "reference" state of the guidance readout ℓ_u (docs/method-notes.md#guidance).
   */
  cycle(zH: tf.Tensor3D, zL: tf.Tensor3D, x: tf.Tensor3D, n: number): { zH: tf.Tensor3D; zL: tf.Tensor3D; zHBefore: tf.Tensor3D } {
    let z = zL;
    for (let i = 0; i < n; i++) z = this.net(z, tf.add(zH, x) as tf.Tensor3D);
    return { zH: this.net(zH, z), zL: z, zHBefore: zH };
  }

  /** lm_head(z_H) with the prefix positions dropped: [B, S, vocab]. */
  logits(zH: tf.Tensor3D): tf.Tensor3D {
    const [B] = zH.shape;
    const all = linear(zH, this.w('lm_head') as tf.Tensor2D);
    return tf.slice(all, [0, this.spec.puzzleEmbLen, 0], [B, this.spec.seqLen, this.spec.vocab]) as tf.Tensor3D;
  }

  /** q_head(z_H[:, 0]): [B, 2] = (q_halt, q_continue). */
  qHead(zH: tf.Tensor3D): tf.Tensor2D {
    const [B, , D] = zH.shape;
    const first = tf.reshape(tf.slice(zH, [0, 0, 0], [B, 1, D]), [B, D]) as tf.Tensor2D;
    return tf.add(matMul2d(first, this.w('q_head.w') as tf.Tensor2D), this.w('q_head.b')) as tf.Tensor2D;
  }
}
