// The frames of one task pair for display (the lab API's previewTargets and `puzzle-lab targets`).

import type { TargetPreview } from '../../api/contract';
import { Rng } from '../../prng';
import type { Encoding } from '../../puzzle/tokens';
import type { Grid, Task } from '../../puzzle/types';
import type { DisOptions } from '../run-config';
import { getTargetGenerator } from './registry';

export interface PreviewRequest {
  /** a test pair (its output must be known) ... */
  testIndex?: number;
  /** ... or a demonstration pair; the first demonstration when neither is given */
  pairIndex?: number;
  dis: Pick<DisOptions, 'targets' | 'eligibility'>;
  Nsup: number;
  seed: number;
}

function pickPair(task: Task, q: PreviewRequest): { input: Grid; output: Grid; where: string } {
  if (q.testIndex !== undefined && q.pairIndex !== undefined) {
    throw new Error(`task ${task.id}: give either a test index or a pair index, not both`);
  }
  if (q.testIndex !== undefined) {
    const p = task.test[q.testIndex];
    if (p === undefined) throw new Error(`task ${task.id} has ${task.test.length} test pairs; test[${q.testIndex}] does not exist`);
    if (p.output === undefined) throw new Error(`task ${task.id} test[${q.testIndex}] has no known output to build targets towards`);
    return { input: p.input, output: p.output, where: `test[${q.testIndex}]` };
  }
  const i = q.pairIndex ?? 0;
  const p = task.train[i];
  if (p === undefined) throw new Error(`task ${task.id} has ${task.train.length} demonstration pairs; train[${i}] does not exist`);
  return { input: p.input, output: p.output, where: `train[${i}]` };
}

export function previewTargets(task: Task, q: PreviewRequest, encoding: Encoding): TargetPreview {
  const { input, output, where } = pickPair(task, q);
  let x: Int32Array;
  let y: Int32Array;
  try {
    x = encoding.encodeInput(input);
    y = encoding.encodeLabel(output);
  } catch (e) {
    throw new Error(`task ${task.id} ${where}: ${(e as Error).message}`);
  }
  const gen = getTargetGenerator(q.dis.targets);
  const frames = gen.frames(x, y, q.Nsup, new Rng(q.seed), { encoding: encoding.kind, side: encoding.side, vocab: encoding.vocab }, {
    eligibility: q.dis.eligibility,
  });
  return {
    encoding: encoding.kind,
    side: encoding.side,
    input: Array.from(x),
    label: Array.from(y),
    frames: frames.map((f) => Array.from(f)),
  };
}
