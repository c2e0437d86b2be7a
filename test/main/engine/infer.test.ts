import { beforeAll, describe, expect, it } from 'vitest';
import { evaluateCheckpoint, runInference } from '../../../src-main/engine/api';
import { latestCheckpoint } from '../../../src-main/engine/checkpoint-io';
import type { EngineEvent } from '../../../src-shared/method/protocol';
import type { Task } from '../../../src-shared/puzzle/types';
import { useWasm } from './helpers';
import { arcConfig, finishedOf, runJob, tasksOf, tempRunDir } from './trainer-fixtures';

let checkpoint = '';
let tasks: Task[] = [];
let finalEval: Extract<EngineEvent, { type: 'eval' }>['report'];
const config = arcConfig('dis', 9, { Nsup: 3 });

beforeAll(async () => {
  await useWasm();
  const dir = await tempRunDir();
  const rec = await runJob(config, dir);
  expect(finishedOf(rec).status).toBe('completed');
  const ev = rec.events.filter((e) => e.type === 'eval').pop();
  if (ev?.type !== 'eval') throw new Error('no final eval');
  finalEval = ev.report;
  checkpoint = (await latestCheckpoint(dir))!.path;
  tasks = tasksOf(config);
});

describe('inference on a checkpoint', () => {
  it('returns N_sup steps of rounded ℓ_u/ℓ_c readouts, argmax tokens and confidences for a trained task', async () => {
    const task = tasks[0]!;
    const r = await runInference({ checkpointDir: checkpoint, task, testIndex: 0, augmentations: 0 });
    expect(r).toMatchObject({ encoding: 'arc', side: 6, vocab: 12, embedding: 'trained' });
    expect(r.steps).toHaveLength(3);
    expect(r.input).toHaveLength(36);
    expect(r.label).toHaveLength(36);
    expect(r.calls).toEqual({ grad: 0, noGrad: 9 });
    for (const s of r.steps) {
      expect(s.lu).toHaveLength(36 * 12);
      expect(s.lc).toHaveLength(36 * 12);
      expect(s.lc.every((v) => Math.round(v * 1e4) / 1e4 === v)).toBe(true);
      s.tokens.forEach((t, i) => {
        const row = s.lc.slice(i * 12, (i + 1) * 12);
        expect(row[t]).toBe(Math.max(...row));
      });
      expect(s.confidence.every((c) => c > 0 && c <= 1)).toBe(true);
      expect(s.qHalt).toBeUndefined(); // DIS has no halting readout
    }
    // With T = 1, ℓ_u of step s+1 reads the z_H that produced ℓ_c of step s.
    expect(r.steps[1]!.lu).toEqual(r.steps[0]!.lc);
    expect(r.steps[2]!.lu).toEqual(r.steps[1]!.lc);
  });

  it('reports edited and unseen tasks, and votes over the task’s trained versions', async () => {
    const task = tasks[1]!;
    // An edited test input keeps the embedding learned from the (unchanged) demonstrations …
    const editedTest: Task = { ...task, test: task.test.map((p) => ({ input: p.input.map((row) => row.map((c) => (c + 1) % 10)) })) };
    expect((await runInference({ checkpointDir: checkpoint, task: editedTest, testIndex: 0, augmentations: 0 })).embedding).toBe('trained-edited');
    // … edited demonstrations were never trained, whatever the id; so were those of a new task.
    const editedDemo: Task = { ...task, train: task.train.map((p, i) => (i === 0 ? { ...p, output: p.output.map((row) => row.map((c) => (c + 1) % 10)) } : p)) };
    expect((await runInference({ checkpointDir: checkpoint, task: editedDemo, testIndex: 0, augmentations: 0 })).embedding).toBe('unseen');
    const renamed = await runInference({ checkpointDir: checkpoint, task: { ...task, id: 'renamed-copy' }, testIndex: 0, augmentations: 0 });
    expect(renamed.embedding).toBe('trained');
    const unseen = await runInference({ checkpointDir: checkpoint, task: { ...editedDemo, id: 'never-seen' }, testIndex: 0, augmentations: 1 });
    expect(unseen.embedding).toBe('unseen');
    expect(unseen.calls.noGrad).toBe(9);
    const voted = await runInference({ checkpointDir: checkpoint, task, testIndex: 0, augmentations: 2 });
    expect(voted.votes).toBeDefined();
    expect(voted.votes!.taskId).toBe(task.id);
    expect(voted.votes!.votes.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(3);
    await expect(runInference({ checkpointDir: checkpoint, task, testIndex: 5, augmentations: 0 })).rejects.toThrow(/no test pair 5/);
  });

  it('evaluateCheckpoint reproduces the run’s own final evaluation', async () => {
    const report = await evaluateCheckpoint(checkpoint, tasks, 2);
    expect(report.step).toBe(9);
    expect(report.callsPerExample).toBe(9);
    expect(report.perStep).toEqual(finalEval.perStep);
    expect(report.passAt2).toBe(finalEval.passAt2);
    expect(Object.keys(report.passAtK).sort()).toEqual(['1', '2']);
  });
});
