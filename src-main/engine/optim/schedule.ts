// Learning-rate schedule (docs/method-notes.md#schedule-and-ema): linear warm-up lr·t/warmup for t < warmup (t = optimizer
// step, from 1), then constant — the reference's cosine has lr_min_ratio = 1 in every config.
export function learningRate(baseLr: number, warmupSteps: number, t: number): number {
  if (!Number.isInteger(t) || t < 1) throw new Error(`optimizer step must be an integer ≥ 1, got ${t}`);
  return t < warmupSteps ? (baseLr * t) / warmupSteps : baseLr;
}
