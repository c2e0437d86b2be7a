// A task's identity by content: sha256 over its pairs in a fixed key order, never its id. Two
// generations of "recolour-s0-0" with other sizes differ; a renamed copy of a task does not.
import { createHash } from 'node:crypto';
import type { Task } from '../../src-shared/puzzle/types';

export function taskFingerprint(task: Task): string {
  const body = {
    train: task.train.map((p) => [p.input, p.output]),
    test: task.test.map((p) => [p.input, p.output ?? null]),
  };
  return createHash('sha256').update(JSON.stringify(body)).digest('hex');
}
