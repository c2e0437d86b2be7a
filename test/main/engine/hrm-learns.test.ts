// HRM really learns (the task set of learning-fixtures.ts, as trm-learns and dis-learns).
import { beforeAll, describe, expect, it } from 'vitest';
import { stepBoundedFile } from '../../step-bounded';
import { useWasm } from './helpers';
import { finalEval, tinyRecolourRun } from './learning-fixtures';

// Bounded by optimizer steps and fixed work, not seconds (see test/step-bounded.ts).
stepBoundedFile();
beforeAll(useWasm);

describe('learning on a tiny recolour task set (4 tasks × 3 pairs, 4×4 canvas)', () => {
  it('HRM tiny (1 + 1 blocks, T=2, n=2, N_sup=4, Q-halting with the continue target) reaches ≥ 0.9 train exact accuracy and pass@1 within 200 optimizer steps', async () => {
    const report = await finalEval(tinyRecolourRun('hrm', 200, { T: 2, n: 2, Nsup: 4 }));
    expect(report.perStep[3]!.exactAccuracy).toBeGreaterThanOrEqual(0.9);
    expect(report.passAt1).toBeGreaterThanOrEqual(0.9);
    // Evaluation runs all N_sup steps of one inner forward each: (T·n + T)·N_sup = 6·4 calls, no continue target.
    expect(report.callsPerExample).toBe(6 * 4);
  });
});
