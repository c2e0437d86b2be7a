import { describe, expect, it } from 'vitest';
import type { EvalReport, TaskEvalResult } from '../../../../src-shared/method/protocol';
import { countVerdicts, evalNear, solveTable } from '../../../../src-renderer/src/lib/compare/solve-table';

const t = (taskId: string, passAt2: boolean, passAt1 = passAt2): TaskEvalResult => ({ taskId, testIndex: 0, top: [], votes: [], passAt1, passAt2 });
const report = (step: number, tasks: TaskEvalResult[]): EvalReport => ({ step, passAt1: 0, passAt2: 0, passAtK: {}, perStep: [], tasks, callsPerExample: 1 });

describe('per-puzzle solve table', () => {
  it('sorts puzzles into both / only A / only B / neither', () => {
    const rows = solveTable(report(10, [t('a', true), t('b', true), t('c', false), t('d', false), t('e', true)]), report(10, [t('a', true), t('b', false), t('c', true), t('d', false)]), 'passAt2');
    expect(Object.fromEntries(rows.map((r) => [r.taskId, r.verdict]))).toEqual({ a: 'both', b: 'onlyA', c: 'onlyB', d: 'neither', e: null });
    expect(countVerdicts(rows)).toEqual({ both: 1, onlyA: 1, onlyB: 1, neither: 1 });
  });

  it('uses the chosen metric', () => {
    const rows = solveTable(report(1, [t('a', true, false)]), report(1, [t('a', true, true)]), 'passAt1');
    expect(rows[0]?.verdict).toBe('onlyB');
  });

  it('finds the evaluation nearest to a step', () => {
    expect(evalNear([report(100, []), report(300, [])], 260)?.step).toBe(300);
    expect(evalNear([], 5)).toBeNull();
  });
});
