import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../src-main/engine/backend';

afterAll(async () => {
  await initBackend('wasm');
});

describe('backend choice', () => {
  it('reports wasm with its SIMD/thread setup and the tfjs version', async () => {
    const info = await initBackend('wasm');
    expect(info.name).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(info.device).toMatch(/wasm.*thread/);
    expect(info.versions['tfjs-core']).toBe(tf.version_core);
  });

  it('falls back from the tfjs-node packages to wasm under auto, saying why', async () => {
    const info = await initBackend('auto');
    // tfjs-node(-gpu) cannot be installed on this machine (libtensorflow cannot be downloaded); on a user machine with
    // them the first entries would be chosen instead, which this test cannot reach.
    expect(info.name).toBe('wasm');
    expect(info.notes.some((n) => n.includes('@tensorflow/tfjs-node-gpu'))).toBe(true);
    expect(info.notes.some((n) => n.includes('@tensorflow/tfjs-node:'))).toBe(true);
  });

  it('runs the plain cpu backend when asked', async () => {
    const info = await initBackend('cpu');
    expect(info.name).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
  });

  it('rejects a forced backend that is not available with a clear error', async () => {
    await expect(initBackend('tensorflow')).rejects.toThrow(/backend 'tensorflow' is not available: @tensorflow\/tfjs-node: not available/);
    await expect(initBackend('tensorflow-gpu')).rejects.toThrow(/tensorflow-gpu/);
  });
});
