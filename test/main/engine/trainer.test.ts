import * as tf from '@tensorflow/tfjs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { latestCheckpoint, readCheckpoint } from '../../../src-main/engine/checkpoint-io';
import { useWasm } from './helpers';
import { finishedOf, queensConfig, runJob, tempRunDir } from './trainer-fixtures';

beforeAll(useWasm);

describe('the trainer', () => {
  it('emits started, progress, snapshot, eval, checkpoint and finished events for a short DIS run', async () => {
    const dir = await tempRunDir();
    const rec = await runJob(queensConfig('dis', 12, { Nsup: 3 }, { snapshotInterval: 6, checkpointInterval: 6 }), dir);
    expect(finishedOf(rec)).toMatchObject({ status: 'completed', step: 12 });
    const types = rec.events.map((e) => e.type);
    expect(types[0]).toBe('started');
    const started = rec.events[0] as Extract<(typeof rec.events)[number], { type: 'started' }>;
    expect(started.backend.name).toBe('wasm');
    expect(started.puzzleRows).toBe(1); // N-Queens: one shared puzzle vector
    expect(types).toContain('progress');
    const snap = rec.events.find((e) => e.type === 'snapshot');
    if (snap?.type !== 'snapshot') throw new Error('no snapshot');
    expect(snap.probes).toHaveLength(2);
    expect(snap.probes[0]!.steps).toHaveLength(3);
    expect(snap.probes[0]!.steps[0]!.target).toHaveLength(16);
    // Frames come from a fixed rng: every snapshot shows the same targets.
    const snaps = rec.events.filter((e) => e.type === 'snapshot');
    expect(snaps.length).toBeGreaterThanOrEqual(2);
    if (snaps[1]?.type === 'snapshot') expect(snaps[1].probes[0]!.steps[1]!.target).toEqual(snap.probes[0]!.steps[1]!.target);
    const ev = rec.events.find((e) => e.type === 'eval');
    if (ev?.type !== 'eval') throw new Error('no eval');
    expect(ev.report.perStep).toHaveLength(3);
    expect(ev.report.callsPerExample).toBe(9); // T(n+1)N_sup = 1·3·3 per evaluated example
    expect(ev.report.perStep[0]!.validity).toBeGreaterThanOrEqual(0);
    const ckpts = rec.events.filter((e) => e.type === 'checkpoint').map((e) => (e.type === 'checkpoint' ? e.step : -1));
    expect(ckpts).toEqual([6, 12, 12].slice(0, ckpts.length));
    expect(ckpts).toContain(12);
    const progress = rec.events.filter((e) => e.type === 'progress');
    const lastProgress = progress[progress.length - 1];
    if (lastProgress?.type !== 'progress') throw new Error('no progress');
    expect(lastProgress.calls).toEqual({ grad: 36, noGrad: 0 });
    expect(lastProgress.trajectories).toBe(16);
    expect(Object.keys(lastProgress.metrics)).toEqual(expect.arrayContaining(['lm_loss', 'lr', 'token_accuracy', 'exact_accuracy']));
  });

  it('evaluates both the EMA and the live weights of a TRM run (each with its own votes); DIS, without EMA, only its live weights', async () => {
    const trm = await runJob(queensConfig('trm', 6, { T: 1, n: 1, Nsup: 2 }), await tempRunDir());
    const ev = trm.events.find((e) => e.type === 'eval');
    if (ev?.type !== 'eval') throw new Error('no eval');
    expect(ev.report.weights).toBe('ema');
    expect(ev.report.live?.perStep).toHaveLength(2);
    expect(Object.keys(ev.report.live!.passAtK)).toEqual(Object.keys(ev.report.passAtK));
    const dis = await runJob(queensConfig('dis', 4, { Nsup: 2 }), await tempRunDir());
    const dev = dis.events.find((e) => e.type === 'eval');
    if (dev?.type !== 'eval') throw new Error('no eval');
    expect(dev.report.weights).toBe('live');
    expect(dev.report.live).toBeUndefined();
  });

  it('is deterministic: two TRM runs with one seed give identical per-step losses', async () => {
    const config = queensConfig('trm', 10, { T: 2, n: 1, Nsup: 4 });
    const a = await runJob(config, await tempRunDir());
    const b = await runJob(config, await tempRunDir());
    expect(a.losses.size).toBe(10);
    expect([...b.losses.entries()]).toEqual([...a.losses.entries()]);
    expect(a.losses.get(1)!.qHalt).not.toBeNull();
  });

  for (const method of ['trm', 'dis', 'hrm'] as const) {
    it(`${method.toUpperCase()}: pause → resume gives exactly the losses of an uninterrupted run`, async () => {
      const config = queensConfig(method, 12, { T: 2, n: 1, Nsup: 3 }, method !== 'dis' ? { halting: { enabled: true, exploreProb: 0.5 } } : {});
      const whole = await runJob(config, await tempRunDir());
      const dir = await tempRunDir();
      let steps = 0;
      const first = await runJob(config, dir, {
        control: { stopRequested: () => (steps >= 4 ? 'pause' : null) },
        hooks: { onStepLosses: () => steps++, progressIntervalMs: 0 },
      });
      const paused = finishedOf(first);
      expect(paused.status).toBe('paused');
      // TRM and HRM pause at once (their carry is saved); DIS finishes the trajectory (N_sup = 3) first.
      expect(paused.step).toBe(method === 'dis' ? 6 : 4);
      const resumed = await runJob(config, dir, { resume: true });
      expect(finishedOf(resumed)).toMatchObject({ status: 'completed' });
      for (let s = paused.step + 1; s <= 12; s++) expect(resumed.losses.get(s)).toEqual(whole.losses.get(s));
      expect(resumed.losses.has(paused.step)).toBe(false);
    });
  }

  it('stops at the trajectory budget (DIS: 8 trajectories of 4 rows = 2 × N_sup steps)', async () => {
    const config = queensConfig('dis', 100, { Nsup: 3 });
    config.budget = { optimizerSteps: 100, trajectories: 8 };
    const rec = await runJob(config, await tempRunDir());
    expect(finishedOf(rec)).toMatchObject({ status: 'completed', step: 6 });
  });

  it('keeps tf.memory().numTensors constant over 200 training steps', async () => {
    const counts: number[] = [];
    const rec = await runJob(queensConfig('trm', 200, { T: 2, n: 1, Nsup: 3 }), await tempRunDir(), {
      hooks: { onFlush: () => counts.push(tf.memory().numTensors) },
    });
    expect(finishedOf(rec).status).toBe('completed');
    expect(counts.length).toBeGreaterThan(10);
    expect(new Set(counts.slice(1)).size).toBe(1);
  });

  it('stops a run whose weights blow up as "diverged" and leaves only finite checkpoints', async () => {
    const dir = await tempRunDir();
    // lr·wd = 10 multiplies every weight by −9 per step: float32 overflows within ~40 steps.
    const config = queensConfig('dis', 200, { Nsup: 2 }, { checkpointInterval: 4 });
    config.optimizer = { ...config.optimizer, lr: 1, weightDecay: 10 };
    const rec = await runJob(config, dir);
    const f = finishedOf(rec);
    expect(f.status).toBe('diverged');
    expect(f.step).toBeLessThan(200);
    const latest = await latestCheckpoint(dir);
    expect(latest).not.toBeNull();
    const payload = await readCheckpoint(latest!.path);
    for (const [name, a] of Object.entries(payload.arrays)) if (name.startsWith('param/')) expect(a.every(Number.isFinite)).toBe(true);
  });

  it('ends with "failed" and the message when the job cannot run, and "cancelled" on cancel', async () => {
    const bad = queensConfig('dis', 4, { hidden: 18, heads: 4 }); // head dim 4.5: not a whole number
    const rec = await runJob(bad, await tempRunDir());
    expect(finishedOf(rec)).toMatchObject({ status: 'failed' });
    expect(finishedOf(rec).error).toMatch(/divisible/);
    const dir = await tempRunDir();
    const cancelled = await runJob(queensConfig('dis', 50), dir, { control: { stopRequested: () => 'cancel' } });
    expect(finishedOf(cancelled)).toMatchObject({ status: 'cancelled', step: 0 });
    expect(await readdir(path.join(dir))).not.toContain('checkpoints');
  });
});
