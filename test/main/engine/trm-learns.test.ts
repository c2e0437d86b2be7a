// TRM really learns (see learning-fixtures.ts for the task set and the measured margins).
import { beforeAll, describe, expect, it } from 'vitest';
import { stepBoundedFile } from '../../step-bounded';
import { useWasm } from './helpers';
import { finalEval, tinyRecolourRun } from './learning-fixtures';

// Bounded by optimizer steps and fixed work, not seconds (see test/step-bounded.ts).
stepBoundedFile();
beforeAll(useWasm);

describe('learning on a tiny recolour task set (4 tasks × 3 pairs, 4×4 canvas)', () => {
  it('TRM tiny (T=2, n=2, N_sup=4, Q-halting) reaches ≥ 0.9 train exact accuracy and pass@1 within 200 optimizer steps', async () => {
    const report = await finalEval(tinyRecolourRun('trm', 200, { T: 2, n: 2, Nsup: 4 }));
    expect(report.perStep[3]!.exactAccuracy).toBeGreaterThanOrEqual(0.9);
    expect(report.passAt1).toBeGreaterThanOrEqual(0.9);
    // The augmented versions' predictions, de-augmented, agree with the original's: 3 votes for one grid.
    const unanimous = report.tasks.filter((t) => t.votes[0] === 3).length / report.tasks.length;
    expect(unanimous).toBeGreaterThanOrEqual(0.8);
    expect(report.callsPerExample).toBe(2 * 3 * 4);
  });
});
