import { render, screen } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { EvalReport } from '../../../../src-shared/method/protocol';
import { parseSubmission } from '../../../../src-shared/puzzle/submission';
import ExportSubmission from '../../../../src-renderer/src/lib/runs/ExportSubmission.svelte';
import { toasts } from '../../../../src-renderer/src/lib/stores/toasts.svelte';

const saved = vi.hoisted(() => [] as Array<{ name: string; content: unknown }>);
vi.mock('../../../../src-renderer/src/lib/ui/format', async (importOriginal) => ({
  ...(await importOriginal<object>()),
  download: (name: string, content: unknown) => void saved.push({ name, content }),
}));

const report: EvalReport = {
  step: 300,
  passAt1: 0.5,
  passAt2: 0.5,
  passAtK: {},
  perStep: [],
  tasks: [
    { taskId: 'a', testIndex: 0, top: [[[1]], [[2]]], votes: [4, 2], passAt1: true, passAt2: true },
    { taskId: 'b', testIndex: 0, top: [], votes: [], passAt1: false, passAt2: false },
  ],
  callsPerExample: 3,
};

describe('exporting an evaluation from the run view', () => {
  it('saves the ranked answers as submission.json and says which test input holds a placeholder', async () => {
    render(ExportSubmission, { report, runName: 'TRM / ARC-1 eval' });
    await userEvent.setup().click(screen.getByRole('button', { name: 'Export submission.json' }));
    expect(saved).toHaveLength(1);
    expect(saved[0]!.name).toBe('TRM_ARC-1_eval-step300-submission.json');
    expect(parseSubmission(saved[0]!.content as string)).toEqual({ a: [{ attempt_1: [[1]], attempt_2: [[2]] }], b: [{ attempt_1: [[0]], attempt_2: [[0]] }] });
    expect(toasts.items.at(-1)?.text).toBe('submission.json of step 300: 2 tasks, 2 test inputs; 1 test input(s) had no usable answer and hold [[0]] (b test 1)');
  });
});
