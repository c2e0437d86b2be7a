// 'auto' may use the backend the GPU doctor measured clearly faster on this machine: the per-machine
// cache, the "clearly" rule, and initBackend acting on it.
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../src-main/engine/backend';
import { clearlyFaster, machineFingerprint, readSpeedCache, speedCacheFile, writeSpeedCache, type SpeedCache } from '../../../src-main/engine/backend-speed';
import type { DoctorEntry, DoctorReport } from '../../../src-shared/method/doctor';

const entry = (backend: DoctorEntry['backend'], stepMs: number | null, usableByAuto = true): DoctorEntry => ({
  backend,
  available: stepMs !== null,
  detail: backend,
  fix: null,
  usableByAuto,
  measurement: stepMs === null ? null : { matmulShape: '[1,1]x[1,1]', matmulGflops: 1, stepMs, step: 'TRM tiny' },
});
const report = (entries: DoctorEntry[]): DoctorReport => ({ platform: 'x', createdAt: '2026-11-30T12:00:00.000Z', entries, auto: null, fastest: null });

let dir: string;
const saved = process.env['PUZZLE_LAB_CACHE_DIR'];
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'puzzle-lab-speed-'));
  process.env['PUZZLE_LAB_CACHE_DIR'] = dir;
});
afterAll(async () => {
  if (saved === undefined) delete process.env['PUZZLE_LAB_CACHE_DIR'];
  else process.env['PUZZLE_LAB_CACHE_DIR'] = saved;
  await initBackend('wasm');
});

describe('the measured-speed cache', () => {
  it('keeps only backends auto may use, and is ignored on another machine', async () => {
    const file = speedCacheFile();
    expect(path.dirname(file)).toBe(dir);
    writeSpeedCache(report([entry('tensorflow-gpu', null), entry('webgpu', 5000, false), entry('wasm', 600), entry('cpu', 4000)]));
    expect(readSpeedCache()).toEqual({ machine: machineFingerprint(), measuredAt: '2026-11-30T12:00:00.000Z', stepMs: { wasm: 600, cpu: 4000 } });
    const other = { ...(JSON.parse(await readFile(file, 'utf8')) as SpeedCache), machine: 'another-host|linux-x64|cpu|2' };
    await writeFile(file, JSON.stringify(other));
    expect(readSpeedCache()).toBeNull();
  });

  it('prefers another backend only when it is at least 1.5× faster than the chain’s pick', () => {
    const cache: SpeedCache = { machine: machineFingerprint(), measuredAt: '', stepMs: { webgpu: 100, tensorflow: 140, wasm: 600 } };
    expect(clearlyFaster(cache, 'webgpu')).toBeNull();
    expect(clearlyFaster(cache, 'tensorflow')).toBeNull(); // webgpu is only 1.4× faster
    expect(clearlyFaster(cache, 'wasm')).toEqual({ backend: 'webgpu', speedup: 6 });
    expect(clearlyFaster(cache, 'cpu')).toBeNull(); // cpu was never measured
    expect(clearlyFaster(null, 'wasm')).toBeNull();
  });

  it('makes auto use the measured fastest backend and say why (and the chain’s order without a cache)', async () => {
    writeSpeedCache(report([entry('wasm', 900), entry('cpu', 300)])); // as if plain JS had beaten wasm here
    await initBackend('wasm');
    const auto = await initBackend('auto');
    expect(auto.name).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    expect(auto.notes.join('\n')).toMatch(/auto: cpu was measured 3\.0× faster than wasm on this machine \(GPU doctor, 2026-11-30\)/);
    writeSpeedCache(report([entry('wasm', 300), entry('cpu', 400)]));
    await initBackend('wasm');
    expect((await initBackend('auto')).name).toBe('wasm');
  });
});
