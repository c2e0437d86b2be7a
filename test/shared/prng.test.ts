import { describe, expect, it } from 'vitest';
import { Rng } from '../../src-shared/prng';

describe('the seeded PRNG', () => {
  it('gives the same stream for the same seed and different streams for nearby seeds', () => {
    const a = new Rng(7);
    const b = new Rng(7);
    const c = new Rng(8);
    const sa = Array.from({ length: 20 }, () => a.nextUint32());
    expect(Array.from({ length: 20 }, () => b.nextUint32())).toEqual(sa);
    const sc = Array.from({ length: 20 }, () => c.nextUint32());
    expect(sc.filter((v, i) => v === sa[i]).length).toBe(0);
  });

  it('continues the identical stream from a saved state, after any number of draws', () => {
    const r = new Rng(123);
    for (let i = 0; i < 1000; i++) r.nextUint32();
    const saved = r.state();
    expect(saved.every((w) => Number.isInteger(w) && w >= 0 && w <= 0xffffffff)).toBe(true);
    const next = Array.from({ length: 50 }, () => r.float());
    const restored = new Rng(saved);
    expect(Array.from({ length: 50 }, () => restored.float())).toEqual(next);
  });

  it('draws integers in the inclusive range with every value reachable and roughly uniform', () => {
    const r = new Rng(1);
    const counts = new Array(6).fill(0);
    for (let i = 0; i < 6000; i++) counts[r.int(2, 7) - 2]++;
    for (const c of counts) expect(c).toBeGreaterThan(850);
    expect(() => r.int(3, 2)).toThrow(/lo <= hi/);
  });

  it('shuffles into a permutation and forks independent generators deterministically', () => {
    const r = new Rng(5);
    const p = r.permutation(50);
    expect([...p].sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    const f1 = new Rng(9).fork();
    const f2 = new Rng(9).fork();
    expect(f1.nextUint32()).toBe(f2.nextUint32());
  });

  it('rejects a malformed state and a non-finite seed', () => {
    expect(() => new Rng([1, 2, 3] as unknown as [number, number, number, number])).toThrow(/four uint32/);
    expect(() => new Rng(Number.NaN)).toThrow(/finite/);
  });
});
