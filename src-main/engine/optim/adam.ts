// The two weight optimizers, both with decoupled weight decay, betas (β1, β2), per-parameter step t
// (a parameter whose gradient is null this step is skipped entirely, as torch skips grad = None: the
// DIS Q-head stays at its initial values).
// All three share p ← p·(1 − lr·wd); m ← β1·m + (1−β1)·g; v ← β2·v + (1−β2)·g² and differ in the step:
//   'adam-atan2' (docs/method-notes.md#optimizer, the fused CUDA kernel of the `adam-atan2` package, used by TRM):
//     p ← p − (lr/(1−β1ᵗ))·atan2(m, √v/√(1−β2ᵗ))     (no epsilon; the first bias correction scales the
//     step size outside the atan2, so early updates are up to ~27% larger than the form below)
//   'adam-atan2-lucidrains' (`adam-atan2-pytorch`, the DIS N-Queens script; a = 1.27, b = 1):
//     p ← p − lr·a·atan2(m/(1−β1ᵗ), b·√(v/(1−β2ᵗ)))
//   'adamw' (torch.optim.AdamW, the DIS code's ARC optimizer): p ← p − lr·(m/(1−β1ᵗ)) / (√v/√(1−β2ᵗ) + eps).
// `atan2Scale` (a) multiplies the kernel's step too; it is 1 there unless the user changes it.
import * as tf from '@tensorflow/tfjs';

export interface AdamSettings {
  kind: 'adam-atan2' | 'adam-atan2-lucidrains' | 'adamw';
  beta1: number;
  beta2: number;
  weightDecay: number;
  /** AdamW only */
  eps: number;
  /** AdamATan2 kinds: the output scale a */
  atan2Scale: number;
  /** lucidrains' AdamATan2 only: the scale b of the denominator (1 in that package); default 1 */
  atan2B?: number;
}

export interface AdamSlotState {
  t: Record<string, number>;
  m: Record<string, Float32Array>;
  v: Record<string, Float32Array>;
}

export class AdamOptimizer {
  private readonly m = new Map<string, tf.Variable>();
  private readonly v = new Map<string, tf.Variable>();
  private readonly t = new Map<string, number>();

  constructor(readonly settings: AdamSettings) {}

  private slot(map: Map<string, tf.Variable>, name: string, like: tf.Tensor): tf.Variable {
    let s = map.get(name);
    if (!s) {
      const zeros = tf.zerosLike(like);
      s = tf.variable(zeros, false);
      zeros.dispose(); // the variable holds its own reference
      map.set(name, s);
    }
    return s;
  }

  /** One update of every parameter with a gradient, at learning rate lr. */
  step(params: ReadonlyArray<[string, tf.Variable]>, grads: Record<string, tf.Tensor | null>, lr: number): void {
    const { kind, beta1, beta2, weightDecay, eps, atan2Scale } = this.settings;
    const b = this.settings.atan2B ?? 1;
    for (const [name, p] of params) {
      const g = grads[name];
      if (!g) continue;
      const t = (this.t.get(name) ?? 0) + 1;
      this.t.set(name, t);
      const m = this.slot(this.m, name, p);
      const v = this.slot(this.v, name, p);
      tf.tidy(() => {
        const decayed = tf.mul(p, 1 - lr * weightDecay);
        const m1 = tf.add(tf.mul(m, beta1), tf.mul(g, 1 - beta1));
        const v1 = tf.add(tf.mul(v, beta2), tf.mul(tf.square(g), 1 - beta2));
        const bc1 = 1 - Math.pow(beta1, t);
        const vHatSqrt = tf.div(tf.sqrt(v1), Math.sqrt(1 - Math.pow(beta2, t)));
        let update: tf.Tensor;
        if (kind === 'adam-atan2') update = tf.mul(tf.atan2(m1, vHatSqrt), (lr / bc1) * atan2Scale);
        else if (kind === 'adam-atan2-lucidrains') update = tf.mul(tf.atan2(tf.div(m1, bc1), tf.mul(vHatSqrt, b)), lr * atan2Scale);
        else update = tf.mul(tf.div(tf.div(m1, bc1), tf.add(vHatSqrt, eps)), lr);
        m.assign(m1);
        v.assign(v1);
        p.assign(tf.sub(decayed, update));
      });
    }
  }

  /** Async: on WebGPU a synchronous read-back is not possible in Node (it needs an OffscreenCanvas). */
  async state(): Promise<AdamSlotState> {
    const out: AdamSlotState = { t: {}, m: {}, v: {} };
    for (const [name, t] of this.t) {
      out.t[name] = t;
      out.m[name] = (await this.m.get(name)!.data()) as Float32Array;
      out.v[name] = (await this.v.get(name)!.data()) as Float32Array;
    }
    return out;
  }

  restore(state: AdamSlotState, params: ReadonlyArray<[string, tf.Variable]>): void {
    for (const [name, p] of params) {
      const t = state.t[name];
      if (t === undefined) continue;
      const m = state.m[name];
      const v = state.v[name];
      if (!m || !v || m.length !== p.size || v.length !== p.size) {
        throw new Error(`optimizer state for ${name} is missing or does not match the parameter's ${p.size} values`);
      }
      this.t.set(name, t);
      assignValues(this.slot(this.m, name, p), m);
      assignValues(this.slot(this.v, name, p), v);
    }
  }

  dispose(): void {
    for (const s of [...this.m.values(), ...this.v.values()]) s.dispose();
    this.m.clear();
    this.v.clear();
  }
}

/** variable ← values, without leaving the temporary tensor behind. */
export function assignValues(variable: tf.Variable, values: Float32Array): void {
  const t = tf.tensor(values, variable.shape);
  variable.assign(t);
  t.dispose();
}
