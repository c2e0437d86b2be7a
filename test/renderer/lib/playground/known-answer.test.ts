import { describe, expect, it } from 'vitest';
import { answerStates, scoredTask } from '../../../../src-renderer/src/lib/playground/known-answer';
import type { Task } from '../../../../src-shared/puzzle/types';

const opened: Task = { id: 't', train: [{ input: [[1]], output: [[2]] }], test: [{ input: [[1, 1]], output: [[2, 2]] }, { input: [[3]] }] };

describe('which test outputs still answer their inputs in the playground', () => {
  it('keeps the known answer while the test input is unchanged', () => {
    expect(answerStates(opened, opened)).toEqual(['known', 'none']);
    expect(scoredTask(opened, opened)).toEqual(opened);
  });

  it('drops the old output once its input is edited: no known answer', () => {
    const edited: Task = { ...opened, test: [{ input: [[1, 5]], output: [[2, 2]] }, opened.test[1]!] };
    expect(answerStates(edited, opened)).toEqual(['none', 'none']);
    expect(scoredTask(edited, opened).test[0]).toEqual({ input: [[1, 5]] });
  });

  it('scores against an output the user drew', () => {
    const drawn: Task = { ...opened, test: [{ input: [[1, 5]], output: [[2, 5]] }, { input: [[3]], output: [[4]] }] };
    expect(answerStates(drawn, opened)).toEqual(['drawn', 'drawn']);
    expect(scoredTask(drawn, opened)).toEqual(drawn);
  });
});
