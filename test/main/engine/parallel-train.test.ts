// Real runs of the trainer with config.workers = 2: it trains, writes valid checkpoints (with the
// carry pulled from the workers mid-trajectory), resumes exactly, and leaks no tensors in the trainer thread.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { latestCheckpoint, readCheckpoint } from '../../../src-main/engine/checkpoint-io';
import { parseMeta, restoreModel } from '../../../src-main/engine/checkpoint-state';
import { useWasm } from './helpers';
import { finishedOf, queensConfig, runJob, tempRunDir } from './trainer-fixtures';
import { stepBoundedFile } from '../../step-bounded';

// Bounded by optimizer steps and fixed work, not seconds (see test/step-bounded.ts).
stepBoundedFile();

beforeAll(useWasm);

const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('the trainer with 2 data-parallel workers', () => {
  it('trains DIS (the loss falls), ends with a valid checkpoint and keeps the tensor count constant', async () => {
    const dir = await tempRunDir();
    const before = tf.memory().numTensors;
    const counts: number[] = [];
    const config = queensConfig('dis', 48, { Nsup: 2 }, { workers: 2, checkpointInterval: 16 });
    const rec = await runJob(config, dir, { hooks: { onFlush: () => counts.push(tf.memory().numTensors) } });
    expect(finishedOf(rec)).toMatchObject({ status: 'completed', step: 48 });
    expect(rec.events.some((e) => e.type === 'log' && /data-parallel training: 2 worker threads/.test(e.message))).toBe(true);
    const lm = [...rec.losses.values()].map((l) => l.lm);
    expect(lm).toHaveLength(48);
    expect(mean(lm.slice(-8))).toBeLessThan(0.8 * mean(lm.slice(0, 8)));
    expect(counts.length).toBeGreaterThanOrEqual(3);
    expect(new Set(counts.slice(1)).size).toBe(1);
    expect(tf.memory().numTensors).toBe(before);

    const latest = await latestCheckpoint(dir);
    expect(latest?.step).toBe(48);
    const payload = await readCheckpoint(latest!.path);
    const meta = parseMeta(payload.meta, latest!.path);
    expect(meta.config.workers).toBe(2);
    const { net } = restoreModel(payload, meta, 'raw', latest!.path);
    expect(net.trainable().every(([, p]) => p.dataSync().every(Number.isFinite))).toBe(true);
    net.dispose();
  });

  it('TRM: pause mid-trajectory → resume gives exactly the losses of an uninterrupted 2-worker run', async () => {
    const config = queensConfig('trm', 10, { T: 2, n: 1, Nsup: 3 }, { workers: 2, halting: { enabled: true, exploreProb: 0.5 } });
    const whole = await runJob(config, await tempRunDir());
    expect(finishedOf(whole).status).toBe('completed');
    const dir = await tempRunDir();
    let steps = 0;
    const first = await runJob(config, dir, {
      control: { stopRequested: () => (steps >= 4 ? 'pause' : null) },
      hooks: { onStepLosses: () => steps++, progressIntervalMs: 0 },
    });
    expect(finishedOf(first)).toMatchObject({ status: 'paused', step: 4 });
    const payload = await readCheckpoint((await latestCheckpoint(dir))!.path);
    expect(Object.keys(payload.arrays)).toContain('carry/zH'); // rows were mid-trajectory
    const resumed = await runJob(config, dir, { resume: true });
    expect(finishedOf(resumed)).toMatchObject({ status: 'completed', step: 10 });
    for (let s = 5; s <= 10; s++) expect(resumed.losses.get(s)).toEqual(whole.losses.get(s));
  });
});
