// The pure parts of the PyTorch comparison (bench/peer.ts): per-round ratios of interleaved
// measurements, their spread, the machine's fp32 peak from /proc/cpuinfo, and the target verdict.
import { median } from './timing';

export interface Spread {
  median: number;
  min: number;
  max: number;
  n: number;
}

export function spread(xs: number[]): Spread {
  const finite = xs.filter((x) => Number.isFinite(x));
  if (finite.length === 0) return { median: Number.NaN, min: Number.NaN, max: Number.NaN, n: 0 };
  return { median: median(finite), min: Math.min(...finite), max: Math.max(...finite), n: finite.length };
}

/** "1.83 (1.61–2.10, 3 rounds)"; "—" without data. */
export function fmtSpread(s: Spread, digits = 2, unit = ''): string {
  if (s.n === 0) return '—';
  const f = (x: number) => x.toFixed(digits);
  return s.n === 1 ? `${f(s.median)}${unit} (1 round)` : `${f(s.median)}${unit} (${f(s.min)}–${f(s.max)}, ${s.n} rounds)`;
}

/**
 * Ratio a÷b per round: rounds[i] holds the step times both sides measured in round i (interleaved, so
 * both saw the same load); a round's ratio is the median of a's steps over the median of b's.
 */
export function roundRatios(a: number[][], b: number[][]): number[] {
  if (a.length !== b.length) throw new Error(`roundRatios: ${a.length} rounds against ${b.length}`);
  return a.map((ra, i) => median(ra) / median(b[i]!));
}

export interface CpuPeak {
  gflops: number;
  /** how it was worked out, for the report */
  how: string;
}

/**
 * fp32 peak of the machine: cores × FLOP/cycle × GHz, FLOP/cycle from the vector extensions of the
 * first processor in /proc/cpuinfo (AVX-512 with FMA: 64, AVX2 with FMA: 32, AVX: 16, else 8), the
 * clock from its "cpu MHz" (the current clock, so an estimate). Null when cpuinfo says nothing useful.
 */
export function cpuPeak(cpuinfo: string, cores: number): CpuPeak | null {
  const first = cpuinfo.split(/\n\s*\n/)[0] ?? '';
  const flags = new Set((/^flags\s*:\s*(.*)$/m.exec(first)?.[1] ?? '').split(/\s+/));
  const mhz = Number(/^cpu MHz\s*:\s*([\d.]+)/m.exec(first)?.[1]);
  if (!Number.isFinite(mhz) || mhz <= 0 || flags.size <= 1) return null;
  const fma = flags.has('fma');
  const perCycle = flags.has('avx512f') && fma ? 64 : flags.has('avx2') && fma ? 32 : flags.has('avx') ? 16 : 8;
  const gflops = (cores * perCycle * mhz) / 1000;
  return { gflops, how: `${cores} cores × ${perCycle} fp32 FLOP/cycle (${flags.has('avx512f') && fma ? 'AVX-512+FMA' : flags.has('avx2') && fma ? 'AVX2+FMA' : flags.has('avx') ? 'AVX' : 'SSE'}) × ${(mhz / 1000).toFixed(2)} GHz` };
}

/** The targets (#16): within 2× of PyTorch on two threads; tiny at 80 tokens within 3×. */
export function targetFor(preset: string, tokens: number): number {
  return preset === 'tiny' && tokens <= 80 ? 3 : 2;
}

/**
 * Whether the target is met. A machine busier than its cores (1-minute load average above the core
 * count) is not judged: PyTorch's OpenMP threads collapse under oversubscription, which flatters the lab.
 */
export function verdict(ratio: Spread, target: number, load?: { avg: number; cores: number }): string {
  if (ratio.n === 0) return 'not measured';
  const met = ratio.median <= target ? `met (≤${target}×)` : `NOT met (>${target}×)`;
  if (load && load.avg > load.cores) return `not judged: load ${load.avg.toFixed(1)} on ${load.cores} cores (would read ${met})`;
  return met;
}

/** The first interpreter of `candidates` that imports torch, or why none does. */
export async function findTorch(candidates: string[], probe: (python: string) => Promise<{ ok: boolean; detail: string }>): Promise<{ python: string; version: string } | { reason: string }> {
  const tried: string[] = [];
  for (const python of candidates) {
    const r = await probe(python);
    if (r.ok) return { python, version: r.detail };
    tried.push(`${python}: ${r.detail}`);
  }
  return { reason: `no Python with torch (${tried.join('; ') || 'no interpreter to try'}); install Debian's python3-torch (and libopenblas0-pthread, or torch runs on the reference BLAS)` };
}
