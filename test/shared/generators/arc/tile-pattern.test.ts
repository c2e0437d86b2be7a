import { describe, expect, it } from 'vitest';
import { tilePattern } from '../../../../src-shared/generators/arc/tile-pattern';
import { allPairs, dims, forEveryTask, get } from './harness';

describe('tile-pattern', () => {
  it('repeats the input the same a×b times in every pair, plainly or mirrored', () => {
    forEveryTask(tilePattern, (task) => {
      const factors = new Set<string>();
      let modes = new Set(['plain', 'mirror']);
      for (const { input, output } of allPairs(task)) {
        const [h, w] = dims(input);
        const [oh, ow] = dims(output);
        expect(oh % h).toBe(0);
        expect(ow % w).toBe(0);
        factors.add(`${oh / h}x${ow / w}`);
        const fits = (mirror: boolean): boolean => output.every((row, r) => row.every((v, c) => {
          const tr = Math.floor(r / h);
          const tc = Math.floor(c / w);
          const sr = mirror && tr % 2 === 1 ? h - 1 - (r % h) : r % h;
          const sc = mirror && tc % 2 === 1 ? w - 1 - (c % w) : c % w;
          return v === get(input, sr, sc);
        }));
        modes = new Set([...modes].filter((m) => fits(m === 'mirror')));
      }
      expect(factors.size).toBe(1);
      expect([...factors][0]).not.toBe('1x1');
      expect(modes.size).toBeGreaterThan(0);
    });
  });
});
