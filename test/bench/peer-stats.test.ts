// The pure parts of the bench's PyTorch comparison: per-round ratios, spread, the machine's peak,
// the targets and finding an interpreter with torch.
import { describe, expect, it } from 'vitest';
import { cpuPeak, findTorch, fmtSpread, roundRatios, spread, targetFor, verdict } from '../../bench/peer-stats';
import { pythonCandidates } from '../../bench/peer';

describe('interleaved ratios', () => {
  it('divides the medians of each round, never one side\'s best by the other\'s worst', () => {
    const lab = [
      [100, 300, 200],
      [50, 60],
    ];
    const torch = [
      [100, 100, 100],
      [10, 30],
    ];
    expect(roundRatios(lab, torch)).toEqual([2, 2.75]);
    expect(() => roundRatios(lab, [[1]])).toThrow(/2 rounds against 1/);
  });

  it('reports median, range and the number of rounds, and says when there is nothing', () => {
    const s = spread([2, 1.5, 3, Number.NaN]);
    expect(s).toEqual({ median: 2, min: 1.5, max: 3, n: 3 });
    expect(fmtSpread(s, 2, '×')).toBe('2.00× (1.50–3.00, 3 rounds)');
    expect(fmtSpread(spread([4]), 1)).toBe('4.0 (1 round)');
    expect(fmtSpread(spread([]))).toBe('—');
  });
});

describe('targets of issue #16', () => {
  it('are 3× for tiny at 80 tokens and 2× elsewhere, judged on the median ratio', () => {
    expect(targetFor('tiny', 80)).toBe(3);
    expect(targetFor('tiny', 916)).toBe(2);
    expect(targetFor('compact', 80)).toBe(2);
    expect(verdict(spread([1.9, 2.5, 1.8]), 2)).toBe('met (≤2×)');
    expect(verdict(spread([2.1, 1.5, 2.2]), 2)).toBe('NOT met (>2×)');
    expect(verdict(spread([]), 2)).toBe('not measured');
  });

  it('is not judged on a machine busier than its cores', () => {
    expect(verdict(spread([0.4]), 2, { avg: 14.2, cores: 2 })).toBe('not judged: load 14.2 on 2 cores (would read met (≤2×))');
    expect(verdict(spread([2.5]), 2, { avg: 1.5, cores: 2 })).toBe('NOT met (>2×)');
  });
});

describe('the machine peak', () => {
  const cpu = (flags: string, mhz = '2450.000') => `processor\t: 0\nmodel name\t: AMD EPYC\ncpu MHz\t\t: ${mhz}\nflags\t\t: fpu sse sse2 ${flags}\n\nprocessor\t: 1\nflags\t\t: avx512f fma avx2\n`;
  it('counts FLOP per cycle from the first processor\'s vector extensions', () => {
    expect(cpuPeak(cpu('avx avx2 fma'), 2)).toMatchObject({ gflops: 2 * 32 * 2.45 });
    expect(cpuPeak(cpu('avx avx2 fma avx512f'), 2)!.gflops).toBeCloseTo(2 * 64 * 2.45);
    expect(cpuPeak(cpu('avx'), 4)!.gflops).toBeCloseTo(4 * 16 * 2.45);
    expect(cpuPeak(cpu('avx avx2 fma'), 2)!.how).toBe('2 cores × 32 fp32 FLOP/cycle (AVX2+FMA) × 2.45 GHz');
  });
  it('is unknown without a clock or flags', () => {
    expect(cpuPeak('processor : 0\n', 2)).toBeNull();
    expect(cpuPeak(cpu('avx2 fma', 'n/a'), 2)).toBeNull();
  });
});

describe('finding PyTorch', () => {
  it('takes the first interpreter that imports torch and explains every failure otherwise', async () => {
    const probe = async (p: string) => (p === '/usr/bin/python3' ? { ok: true, detail: '1.13.1' } : { ok: false, detail: "No module named 'torch'" });
    expect(await findTorch(['python3', '/usr/bin/python3'], probe)).toEqual({ python: '/usr/bin/python3', version: '1.13.1' });
    const none = await findTorch(['python3'], probe);
    expect(none).toEqual({ reason: expect.stringMatching(/no Python with torch \(python3: No module named 'torch'\); install Debian's python3-torch/) });
  });
  it('tries PUZZLE_LAB_PYTHON first, then python3 and /usr/bin/python3, once each', () => {
    expect(pythonCandidates({ PUZZLE_LAB_PYTHON: '/opt/py' })).toEqual(['/opt/py', 'python3', '/usr/bin/python3']);
    expect(pythonCandidates({})).toEqual(['python3', '/usr/bin/python3']);
  });
});
