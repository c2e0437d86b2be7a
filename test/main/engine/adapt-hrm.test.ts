// Adaptation and inference on an HRM checkpoint: rows learned under the frozen two-level network, its
// calls counted per HRM's recursion, Q-ranked voting, qHalt and qContinue per refinement step.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { adaptTask } from '../../../src-main/engine/adaptation/adapt-task';
import { findAdaptation } from '../../../src-main/engine/adaptation/store';
import { latestCheckpoint, readCheckpointMeta } from '../../../src-main/engine/checkpoint-io';
import { runInference } from '../../../src-main/engine/infer';
import { generateTasks } from '../../../src-shared/generators';
import { useWasm } from './helpers';
import { arcConfig, finishedOf, runJob, tempRunDir } from './trainer-fixtures';
import { stepBoundedFile } from '../../step-bounded';

// Bounded by optimizer steps and fixed work, not seconds (see test/step-bounded.ts).
stepBoundedFile();

let checkpoint = '';

beforeAll(async () => {
  await useWasm();
  const dir = await tempRunDir();
  expect(finishedOf(await runJob(arcConfig('hrm', 6, { T: 2, n: 2, Nsup: 3 }), dir)).status).toBe('completed');
  checkpoint = (await latestCheckpoint(dir))!.path;
});

describe('an HRM checkpoint in the playground, the vote view and adaptation', () => {
  it('infers with HRM’s recursion (6 calls a step), showing the halting and continue values of every step', async () => {
    const task = generateTasks('recolour', { count: 1, minSide: 2, maxSide: 3, difficulty: 1, seed: 4 })[0]!;
    const r = await runInference({ checkpointDir: checkpoint, task, testIndex: 0, augmentations: 2 });
    expect(r.steps).toHaveLength(3);
    for (const s of r.steps) {
      expect(s.qHalt).toBeGreaterThan(0);
      expect(s.qHalt).toBeLessThan(1);
      expect(s.qContinue).toBeGreaterThan(0);
      expect(s.qContinue).toBeLessThan(1);
    }
    // 3 versions × 3 steps × (T·n + T = 6) calls, none with gradient; one batch of the 3 versions.
    expect(r.calls).toEqual({ grad: 0, noGrad: 3 * 6 });
    expect(r.explanation).toMatchObject({ method: 'hrm', rankBy: 'count-then-q' });
    expect(r.explanation!.versions.every((v) => typeof v.q === 'number')).toBe(true);
  });

  it('learns one row per version under the frozen network and saves it for inference', async () => {
    const task = generateTasks('recolour', { count: 1, minSide: 2, maxSide: 4, difficulty: 1, seed: 11 })[0]!;
    const tensorsBefore = tf.memory().numTensors;
    const r = await adaptTask({ checkpointDir: checkpoint, task, steps: 5, batchSize: 9, augmentations: 2 });
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    expect(r.losses).toHaveLength(5);
    expect(r.losses.every((l) => Number.isFinite(l) && l > 0)).toBe(true);
    const saved = await findAdaptation(checkpoint, await readCheckpointMeta(checkpoint), r.adaptation.fingerprint, true);
    for (let v = 0; v < 3; v++) expect(saved!.rows.subarray(v * 16, (v + 1) * 16).some((x) => x !== 0)).toBe(true);
    expect(r.tests[0]!.explanation).toMatchObject({ method: 'hrm', rankBy: 'count-then-q' });
    const inf = await runInference({ checkpointDir: checkpoint, task, testIndex: 0, augmentations: 2 });
    expect(inf.embedding).toBe('adapted');
    expect(inf.votes).toEqual(r.tests[0]!.result);
  });
});
