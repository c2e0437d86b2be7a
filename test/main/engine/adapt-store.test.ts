// Where adaptations are stored and how they are found again; the vote explanation on hand-made votes.
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { explainVotes, versionLabel } from '../../../src-main/engine/adaptation/explain';
import { adaptationDir, adaptedRoot, ADAPTATION_FORMAT, findAdaptation, saveAdaptation, type AdaptationMeta } from '../../../src-main/engine/adaptation/store';
import { listCheckpoints, readCheckpointMeta, writeCheckpoint, writeCheckpointAt } from '../../../src-main/engine/checkpoint-io';

const meta = (sha256: string, fingerprint: string): AdaptationMeta => ({
  format: ADAPTATION_FORMAT,
  checkpoint: { step: 12, sha256 },
  taskId: 't',
  fingerprint,
  method: 'trm',
  settings: { mode: 'embedding', optimizer: 'sign-sgd', steps: 4, networkSteps: 0, lr: 0.01, weightDecay: 0.1, batchSize: 3, seed: 0 },
  versions: [{ name: 't', dihedral: 0, colours: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9] }],
  losses: [1, 0.5, 0.4, 0.3],
  demoExact: 1,
  createdAt: '2026-01-01T00:00:00.000Z',
});

describe('adaptation storage', () => {
  it('lives beside the run’s checkpoints (or beside a loose checkpoint folder), one folder per step and demonstrations', () => {
    const ckpt = path.join('/runs', 'r1', 'checkpoints', 'step-00000012');
    expect(adaptedRoot(ckpt)).toBe(path.join('/runs', 'r1', 'adapted'));
    expect(adaptationDir(ckpt, 12, 'ab'.repeat(16))).toBe(path.join('/runs', 'r1', 'adapted', `step-00000012-${'ab'.repeat(16)}`));
    expect(adaptedRoot(path.join('/somewhere', 'my-ckpt'))).toBe(path.join('/somewhere', 'adapted'));
  });

  it('readCheckpointMeta gives the checkpoint’s identity without reading its arrays, and rejects an edited manifest', async () => {
    const run = await mkdtemp(path.join(tmpdir(), 'adapt-store-'));
    const written = await writeCheckpoint(run, { step: 12, meta: { hello: 1 }, arrays: { a: new Float32Array([1, 2]) } });
    const header = await readCheckpointMeta(written.path);
    expect(header).toEqual({ step: 12, meta: { hello: 1 }, sha256: written.sha256 });
    expect((await listCheckpoints(run))[0]!.sha256).toBe(written.sha256);
    const manifest = path.join(written.path, 'manifest.json');
    await writeFile(manifest, (await readFile(manifest, 'utf8')).replace('"hello":1', '"hello":2'));
    await expect(readCheckpointMeta(written.path)).rejects.toThrow(/is corrupt/);
  });

  it('is found only for the same checkpoint and demonstrations; a rewrite replaces it atomically', async () => {
    const run = await mkdtemp(path.join(tmpdir(), 'adapt-store-'));
    const ckpt = path.join(run, 'checkpoints', 'step-00000012');
    const fp = 'cd'.repeat(16);
    const dir = adaptationDir(ckpt, 12, fp);
    await saveAdaptation(dir, meta('a'.repeat(64), fp), new Float32Array([0.5, -0.5]), null);
    const found = await findAdaptation(ckpt, { step: 12, sha256: 'a'.repeat(64) }, fp, true);
    expect(found?.rows).toEqual(new Float32Array([0.5, -0.5]));
    expect(found?.params).toBeNull();
    // Another checkpoint written at the same step (a resumed run): the rows do not belong to it.
    expect(await findAdaptation(ckpt, { step: 12, sha256: 'b'.repeat(64) }, fp, false)).toBeNull();
    expect(await findAdaptation(ckpt, { step: 12, sha256: 'a'.repeat(64) }, 'ef'.repeat(16), false)).toBeNull();
    await writeCheckpointAt(dir, { step: 12, meta: meta('a'.repeat(64), fp), arrays: { puzzle_rows: new Float32Array([1, 1]) } });
    expect((await findAdaptation(ckpt, { step: 12, sha256: 'a'.repeat(64) }, fp, true))?.rows).toEqual(new Float32Array([1, 1]));
  });
});

describe('vote explanation', () => {
  const test = { taskId: 'x', testIndex: 0, input: [[1]], output: [[2]] };
  const v = (dihedral: number, colours = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]) => ({ dihedral, colours });

  it('TRM: ties of count go to the higher mean halting confidence; every version once; empty crops vote for the 0×0 candidate', () => {
    const { explanation: e, result } = explainVotes(test, 'trm', [
      { transform: v(0), grid: [[3]], q: 0.2 },
      { transform: v(1), grid: [[2]], q: 0.9 },
      { transform: v(2), grid: null, q: 0.95 },
      { transform: v(3), grid: [[3]], q: 0.4 },
      { transform: v(4, [0, 2, 1, 3, 4, 5, 6, 7, 8, 9]), grid: [[2]], q: 0.8 },
      { transform: v(5), grid: null, q: 0.95 },
    ]);
    // The empty crop has 2 votes like the others and the highest mean q, so it ranks first, as in the
    // reference's evaluator: the right answer drops to rank 2.
    expect(e.candidates.map((c) => [c.grid, c.count, c.versions])).toEqual([
      [[], 2, ['t2 0123456789', 't5 0123456789']],
      [[[2]], 2, ['t1 0123456789', 't4 0213456789']],
      [[[3]], 2, ['t0 0123456789', 't3 0123456789']],
    ]);
    expect(e.candidates[1]!.meanQ).toBeCloseTo(0.85);
    expect(e.candidates.map((c) => c.correct)).toEqual([false, true, false]);
    expect(e.noGrid).toEqual([]);
    expect(e.versions.map((x) => x.candidate)).toEqual([2, 1, 0, 2, 1, 0]);
    expect(e).toMatchObject({ passAt1: false, passAt2: true, rankBy: 'count-then-q', expected: [[2]] });
    expect(result).toMatchObject({ top: [[], [[2]]], votes: [2, 2], passAt1: false, passAt2: true });
  });

  it('DIS: ties go to the first seen; no halting confidence is reported', () => {
    const { explanation: e } = explainVotes(test, 'dis', [
      { transform: v(0), grid: [[3]], q: 0.2 },
      { transform: v(1), grid: [[2]], q: 0.9 },
    ]);
    expect(e.candidates.map((c) => c.grid)).toEqual([[[3]], [[2]]]);
    expect(e).toMatchObject({ passAt1: false, passAt2: true, rankBy: 'count-then-first' });
    expect(e.candidates[0]!.meanQ).toBeUndefined();
    expect(e.versions[0]!.q).toBeUndefined();
    expect(versionLabel(v(7, [0, 9, 8, 7, 6, 5, 4, 3, 2, 1]))).toBe('t7 0987654321');
  });
});
