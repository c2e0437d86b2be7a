// The GPU doctor through the API, with real engine processes (one per backend): every backend of the
// chain is reported with its reason, and nothing is computed in the service's process.
import * as tf from '@tensorflow/tfjs';
import { afterEach, describe, expect, it } from 'vitest';
import { forkLauncher, type EngineLauncher } from '../../../src-main/engine/process/host';
import { LabService } from '../../../src-main/service/api';
import { parseParams } from '../../../src-main/service/api-schemas';
import { BACKEND_CHAIN } from '../../../src-shared/method/doctor';
import { tempDataDir } from './helpers';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('the GPU doctor (gpuDoctor)', () => {
  it('probes every backend of the chain in its own engine process and keeps the report until asked to refresh', { timeout: 240_000 }, async () => {
    const { dir, cleanup } = tempDataDir();
    const base = forkLauncher();
    const names: string[] = [];
    const launcher: EngineLauncher = (o) => {
      names.push(o.name);
      return base(o);
    };
    const service = new LabService({ dataDir: dir, mode: 'serve', launcher, probeBackend: false, log: () => {} });
    cleanups.push(cleanup, () => service.close());

    const report = await service.gpuDoctor({ measure: false });
    expect(report.entries.map((e) => e.backend)).toEqual([...BACKEND_CHAIN]);
    expect(names).toEqual([...BACKEND_CHAIN.map((b) => `doctor ${b}`), 'backend probe']);
    const byName = Object.fromEntries(report.entries.map((e) => [e.backend, e]));
    expect(byName['wasm']).toMatchObject({ available: true, usableByAuto: true, fix: null, measurement: null });
    expect(byName['cpu']).toMatchObject({ available: true, detail: 'CPU, plain JavaScript' });
    for (const e of report.entries) {
      expect(e.detail).not.toBe('');
      if (!e.available) expect(e.fix ?? '', `${e.backend} has a fix`).not.toBe('');
    }
    const webgpu = byName['webgpu']!;
    if (webgpu.adapter?.software) {
      // this machine (and CI): SwiftShader only
      expect(webgpu).toMatchObject({ available: true, usableByAuto: false });
      expect(webgpu.detail).toMatch(/^only a software adapter: .*SwiftShader/);
      expect(report.auto?.backend).not.toBe('webgpu');
      // auto skips at once where only SwiftShader exists (it would never train on it), or names the software adapter
      expect(report.auto?.notes.join('\n')).toMatch(/webgpu: (only a software adapter|no Vulkan driver \(ICD\) for a GPU is installed \(only chromium's SwiftShader)/);
    }
    // The doctor ran no tfjs here: no backend was ever initialised in the service's process.
    expect(Object.keys(tf.engine().registry)).toEqual([]);

    // Cached: the same report without new processes, until refresh.
    const again = await service.gpuDoctor({ measure: false });
    expect(again).toBe(report);
    expect(names).toHaveLength(BACKEND_CHAIN.length + 1);
  });

  it('validates its parameters', () => {
    expect(parseParams('gpuDoctor', { measure: true, refresh: true })).toEqual({ measure: true, refresh: true });
    expect(() => parseParams('gpuDoctor', { measure: 'yes' })).toThrow(/measure/);
    expect(() => parseParams('gpuDoctor', {})).toThrow(/measure/);
  });
});
