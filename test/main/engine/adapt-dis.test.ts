// Adaptation under DIS's own loss: N_sup steps per trajectory against the reveal frames, the step
// table, re-feeding of the previous argmax. A tiny DIS checkpoint (barely trained) is enough to check
// the contract: rows learned under the frozen network, saved, found again by inference, DIS voting.
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
  expect(finishedOf(await runJob(arcConfig('dis', 9, { Nsup: 3 }), dir)).status).toBe('completed');
  checkpoint = (await latestCheckpoint(dir))!.path;
});

describe('adapting a DIS checkpoint', () => {
  it('learns one row per version under the DIS loss and votes count-then-first', async () => {
    const task = generateTasks('recolour', { count: 1, minSide: 2, maxSide: 4, difficulty: 1, seed: 11 })[0]!;
    const seen: Array<{ step: number; total: number; loss: number }> = [];
    const tensorsBefore = tf.memory().numTensors;
    const r = await adaptTask({ checkpointDir: checkpoint, task, steps: 7, batchSize: 9, augmentations: 2 }, (p) => seen.push(p));
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    // 7 steps = two full trajectories of N_sup = 3 and the first step of a third.
    expect(seen.map((p) => p.step)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(seen.every((p) => p.total === 7 && Number.isFinite(p.loss) && p.loss > 0)).toBe(true);
    expect(r.losses).toEqual(seen.map((p) => p.loss));
    expect(r.adaptation).toMatchObject({ versions: 3, steps: 7, optimizer: 'sign-sgd', mode: 'embedding' });
    const saved = await findAdaptation(checkpoint, await readCheckpointMeta(checkpoint), r.adaptation.fingerprint, true);
    // Every row was in every batch (3 versions × 3 pairs = one batch of 9): each moved off zero by sign steps.
    expect(saved!.rows.length).toBe(3 * 16);
    for (let v = 0; v < 3; v++) expect(saved!.rows.subarray(v * 16, (v + 1) * 16).some((x) => x !== 0)).toBe(true);
    const e = r.tests[0]!.explanation;
    expect(e).toMatchObject({ method: 'dis', rankBy: 'count-then-first' });
    expect(e.versions).toHaveLength(3);
    expect(e.versions.every((v) => v.q === undefined)).toBe(true);
    expect(e.candidates.every((c) => c.meanQ === undefined)).toBe(true);
    const inf = await runInference({ checkpointDir: checkpoint, task, testIndex: 0, augmentations: 2 });
    expect(inf.embedding).toBe('adapted');
    expect(inf.votes).toEqual(r.tests[0]!.result);
  });
});
