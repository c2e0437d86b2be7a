import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  latestCheckpoint,
  listCheckpoints,
  pruneCheckpoints,
  readCheckpoint,
  writeCheckpoint,
} from '../../../src-main/engine/checkpoint-io';

let runDir = '';
beforeEach(async () => {
  runDir = await mkdtemp(path.join(tmpdir(), 'ckpt-'));
});
afterEach(async () => {
  await rm(runDir, { recursive: true, force: true });
});

function payload(step: number) {
  return {
    step,
    meta: { config: { lr: 1e-4, name: 'run ü' }, sampler: { rng: [1, 2, 3, 4], order: [2, 0, 1], pos: 1 } },
    arrays: {
      weights: Float32Array.from([1.5, -2.25, Math.PI, 1e-30, -0]),
      table: Float32Array.from({ length: 1000 }, (_, i) => Math.sin(i)),
      rng: Int32Array.from([-1, 0, 2147483647, -2147483648]),
      empty: new Float32Array(0),
    },
  };
}

describe('checkpoint IO', () => {
  it('round-trips step, meta and every array bit for bit', async () => {
    const p = payload(1234);
    const w = await writeCheckpoint(runDir, p);
    expect(path.basename(w.path)).toBe('step-00001234');
    expect(w.sha256).toMatch(/^[0-9a-f]{64}$/);
    const r = await readCheckpoint(w.path);
    expect(r.step).toBe(1234);
    expect(r.meta).toEqual(p.meta);
    expect(Object.keys(r.arrays)).toEqual(['weights', 'table', 'rng', 'empty']);
    for (const [k, a] of Object.entries(p.arrays)) {
      expect(r.arrays[k]?.constructor).toBe(a.constructor);
      expect(Array.from(r.arrays[k] ?? [])).toEqual(Array.from(a));
    }
    expect(Object.is(r.arrays.weights?.[4], -0)).toBe(true);
    expect(await listCheckpoints(runDir)).toEqual([{ path: w.path, step: 1234, sha256: w.sha256 }]);
    // Nothing temporary is left behind.
    expect(await readdir(path.join(runDir, 'checkpoints'))).toEqual(['step-00001234']);
  });

  it('detects a flipped byte in the arrays and an edited manifest', async () => {
    const w = await writeCheckpoint(runDir, payload(5));
    const bin = path.join(w.path, 'arrays.bin');
    const bytes = await readFile(bin);
    bytes[100] = (bytes[100] as number) ^ 1;
    await writeFile(bin, bytes);
    await expect(readCheckpoint(w.path)).rejects.toThrow(`checkpoint ${w.path} is corrupt: arrays.bin does not match its sha256`);

    const w2 = await writeCheckpoint(runDir, payload(6));
    const mf = path.join(w2.path, 'manifest.json');
    await writeFile(mf, (await readFile(mf, 'utf8')).replace('"step":6', '"step":7'));
    await expect(readCheckpoint(w2.path)).rejects.toThrow(/is corrupt: manifest\.json does not match its own checksum/);

    const w3 = await writeCheckpoint(runDir, payload(8));
    await writeFile(path.join(w3.path, 'arrays.bin'), bytes.subarray(0, 10));
    await expect(readCheckpoint(w3.path)).rejects.toThrow(/arrays\.bin has 10 bytes, the manifest says/);
  });

  it('ignores and removes a leftover temporary folder', async () => {
    await writeCheckpoint(runDir, payload(10));
    const tmp = path.join(runDir, 'checkpoints', '.tmp-step-20-abcdef');
    await mkdir(tmp);
    await writeFile(path.join(tmp, 'arrays.bin'), 'partial');
    const latest = await latestCheckpoint(runDir);
    expect(latest?.step).toBe(10);
    expect(await readdir(path.join(runDir, 'checkpoints'))).toEqual(['step-00000010']);
  });

  it('skips a corrupt or partial newest checkpoint when looking for the latest', async () => {
    await writeCheckpoint(runDir, payload(1));
    await writeCheckpoint(runDir, payload(2));
    const newest = await writeCheckpoint(runDir, payload(3));
    await writeFile(path.join(newest.path, 'arrays.bin'), 'garbage');
    await mkdir(path.join(runDir, 'checkpoints', 'step-00000004'));
    expect(await latestCheckpoint(runDir)).toEqual({ path: path.join(runDir, 'checkpoints', 'step-00000002'), step: 2 });
  });

  it('returns null when a run has no checkpoints', async () => {
    expect(await latestCheckpoint(runDir)).toBeNull();
    expect(await listCheckpoints(runDir)).toEqual([]);
  });

  it('replaces a checkpoint of the same step', async () => {
    await writeCheckpoint(runDir, payload(3));
    const again = { ...payload(3), meta: { second: true } };
    const w = await writeCheckpoint(runDir, again);
    expect((await readCheckpoint(w.path)).meta).toEqual({ second: true });
    expect(await readdir(path.join(runDir, 'checkpoints'))).toEqual(['step-00000003']);
  });

  it('prunes all but the newest K checkpoints', async () => {
    for (const s of [1, 20, 300, 4000]) await writeCheckpoint(runDir, payload(s));
    await pruneCheckpoints(runDir, 2);
    expect((await listCheckpoints(runDir)).map((c) => c.step)).toEqual([300, 4000]);
    await expect(pruneCheckpoints(runDir, 0)).rejects.toThrow(/keep must be a positive integer/);
  });

  it('rejects arrays that are not 32-bit typed arrays', async () => {
    const bad = { step: 1, meta: {}, arrays: { x: new Float64Array(2) as unknown as Float32Array } };
    await expect(writeCheckpoint(runDir, bad)).rejects.toThrow(/array "x" must be a Float32Array or Int32Array/);
  });
});
