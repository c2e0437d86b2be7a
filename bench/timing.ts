// Timing helpers for the benchmark: medians of repeated runs (this machine is shared and noisy, so
// single runs are not trusted — a busy 2-core machine moves single timings by 2× and more).

export interface Timing {
  medianMs: number;
  minMs: number;
  reps: number[];
}

/** Run `fn` `warmup` times untimed, then at least `reps` times and for at least `minMs` in total. */
export async function time(fn: () => unknown | Promise<unknown>, reps = 3, warmup = 1, minMs = 0): Promise<Timing> {
  for (let i = 0; i < warmup; i++) await fn();
  const samples: number[] = [];
  const started = performance.now();
  while (samples.length < reps || performance.now() - started < minMs) {
    const t0 = performance.now();
    await fn();
    samples.push(performance.now() - t0);
    if (samples.length >= 50) break;
  }
  const sorted = [...samples].sort((a, b) => a - b);
  return { medianMs: median(sorted), minMs: sorted[0] ?? Number.NaN, reps: samples };
}

export function median(sorted: number[]): number {
  if (sorted.length === 0) return Number.NaN;
  const s = [...sorted].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

export const gflops = (flops: number, ms: number): number => flops / (ms * 1e6);
