// Compute accounting (docs/method-notes.md#compute-accounting): network calls and FLOPs per supervision step, per training
// trajectory and per inference, so that the lab can put the measured counts next to the predicted
// ones (the paper's "18 vs 336" claim) and the benchmark can turn timings into achieved GFLOPS.
import { swigluWidth, type ModelConfig } from './run-config';

/** Calls of `net` per supervision step: T·(n+1), of which (T−1)(n+1) run without gradient. */
export function callsPerStep(T: number, n: number): { total: number; grad: number; noGrad: number } {
  const grad = n + 1;
  const noGrad = (T - 1) * (n + 1);
  return { total: grad + noGrad, grad, noGrad };
}

/** Forward-equivalent calls per supervision step in training: no-grad calls + 3 × grad calls (forward + ≈2× backward). */
export function forwardEquivalentsPerStep(T: number, n: number): number {
  const c = callsPerStep(T, n);
  return c.noGrad + 3 * c.grad;
}

/** Calls per training trajectory (at most, for TRM with halting) and per inference of one augmented copy. */
export function callsPerTrajectory(T: number, n: number, Nsup: number): { grad: number; noGrad: number; total: number } {
  const c = callsPerStep(T, n);
  return { grad: c.grad * Nsup, noGrad: c.noGrad * Nsup, total: c.total * Nsup };
}

/**
 * Forward FLOPs of one call for one example: L·[2·S·(4D² + 3·D·I) + 4·S²·D] . With TRM's
 * `mlp_t` mixer the attention part is a SwiGLU over the S positions for each of the D channels:
 * L·[2·D·3·S·I_t + 2·S·3·D·I] with I_t the SwiGLU width of S.
 */
export function flopsPerCall(model: Pick<ModelConfig, 'hidden' | 'layers' | 'expansion'> & { mixer?: ModelConfig['mixer'] }, seqLen: number): number {
  const D = model.hidden;
  const I = swigluWidth(D, model.expansion);
  const S = seqLen;
  if (model.mixer === 'mlp_t') return model.layers * (2 * D * 3 * S * swigluWidth(S, model.expansion) + 2 * S * 3 * D * I);
  return model.layers * (2 * S * (4 * D * D + 3 * D * I) + 4 * S * S * D);
}

/** Output-head FLOPs per supervision step and example: 2·S·D·V. */
export function headFlops(hidden: number, seqLen: number, vocab: number): number {
  return 2 * seqLen * hidden * vocab;
}

/** Training FLOPs of one optimizer step for a batch of B examples (forward + backward of the grad calls). */
export function trainStepFlops(model: ModelConfig, seqLen: number, vocab: number, batch: number): number {
  const perCall = flopsPerCall(model, seqLen);
  return batch * (forwardEquivalentsPerStep(model.T, model.n) * perCall + 3 * headFlops(model.hidden, seqLen, vocab));
}

/**
 * Predicted cost ratio of two methods per training example (trajectory), in forward-equivalents:
 * e.g. TRM T=3, n=6, N_sup=16 (35·16 = 560) against DIS T=1, n=2, N_sup=6 (9·6 = 54).
 */
export function trajectoryForwardEquivalents(T: number, n: number, Nsup: number): number {
  return forwardEquivalentsPerStep(T, n) * Nsup;
}
