// After the user edits a test input in the playground, the old output no longer answers it: the
// task sent for inference drops that output ("no known answer"), unless the user also drew a new
// output, which then is the known answer. Pure, so the rule is tested directly.
import { gridsEqual } from '../../../../src-shared/puzzle/grid';
import type { Task } from '../../../../src-shared/puzzle/types';

export type AnswerState = 'known' | 'none' | 'drawn';

/** For each test pair: the opened output still answers it ('known'), no answer ('none'), or the user drew one ('drawn'). */
export function answerStates(task: Task, opened: Task | null): AnswerState[] {
  return task.test.map((p, i) => {
    const o = opened?.test[i];
    if (p.output === undefined) return 'none';
    if (!o) return 'drawn';
    const inputSame = gridsEqual(p.input, o.input);
    const outputSame = o.output !== undefined && gridsEqual(p.output, o.output);
    if (inputSame) return outputSame ? 'known' : 'drawn';
    return outputSame ? 'none' : 'drawn';
  });
}

/** The task to score against: test outputs that no longer answer their edited input are dropped. */
export function scoredTask(task: Task, opened: Task | null): Task {
  const states = answerStates(task, opened);
  return {
    ...task,
    test: task.test.map((p, i) => (states[i] === 'none' ? { input: p.input } : p)),
  };
}
