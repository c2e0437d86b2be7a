// DIS really learns (see learning-fixtures.ts for the task set and the measured margins).
import { beforeAll, describe, expect, it } from 'vitest';
import { stepBoundedFile } from '../../step-bounded';
import { useWasm } from './helpers';
import { finalEval, tinyRecolourRun } from './learning-fixtures';

// Bounded by optimizer steps and fixed work, not seconds (see test/step-bounded.ts).
stepBoundedFile();
beforeAll(useWasm);

describe('learning on a tiny recolour task set (4 tasks × 3 pairs, 4×4 canvas)', () => {
  it('DIS tiny (T=1, n=2, N_sup=6) reaches ≥ 0.5 train exact accuracy at its last step within 400 optimizer steps', async () => {
    const report = await finalEval(tinyRecolourRun('dis', 400, { T: 1, n: 2, Nsup: 6 }));
    expect(report.perStep).toHaveLength(6);
    expect(report.perStep[5]!.exactAccuracy).toBeGreaterThanOrEqual(0.5);
    expect(report.callsPerExample).toBe(18);
  });
});
