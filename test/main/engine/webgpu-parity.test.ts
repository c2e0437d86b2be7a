// The WebGPU backend computes what wasm computes. Run on whatever adapter Dawn finds; on a machine
// without a GPU driver, SwiftShader (Debian's chromium ships its Vulkan driver; .ci/run installs the
// loader) stands in, which is slow (seconds per shader compile), so the models here are tiny and the
// steps few. Tolerance, stated once: fp32 on both sides, different summation orders, so forward
// outputs and losses agree to a relative 1e-4 and weights after an optimizer step to 1e-5 absolute
// (Adam's first step moves every weight by ≈ lr·π/4 = 7.9e-4; a wrong gradient sign moves it by twice that).
import { cp } from 'node:fs/promises';
import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../src-main/engine/backend';
import { readCheckpoint, latestCheckpoint } from '../../../src-main/engine/checkpoint-io';
import { vulkanDrivers, SWIFTSHADER_ICD } from '../../../src-main/engine/gpu-env';
import { netSpec, TrmNet } from '../../../src-main/engine/model/trm';
import { probeAdapter } from '../../../src-main/engine/webgpu';
import { existsSync } from 'node:fs';
import { Rng } from '../../../src-shared/prng';
import { finishedOf, queensConfig, runJob, tempRunDir } from './trainer-fixtures';
import type { RunConfig } from '../../../src-shared/method/run-config';

// A real Vulkan driver is used where the machine has one; SwiftShader only where it has none (the
// engine does the same for a forced webgpu; set here too so that the intent is explicit).
if (process.platform === 'linux' && vulkanDrivers().length === 0 && existsSync(SWIFTSHADER_ICD)) {
  process.env['VK_ICD_FILENAMES'] = SWIFTSHADER_ICD;
}
const probe = await probeAdapter();
const noAdapter = 'reason' in probe ? probe.reason : null;
if (noAdapter) console.warn(`WebGPU parity tests skipped: no WebGPU adapter at all (${noAdapter}); install libvulkan1 and chromium (SwiftShader) or a GPU driver`);

const FWD_TOL = 1e-4;
const WEIGHT_TOL = 1e-5;
const TIMEOUT = 300_000;
/** short recursions: every new shape is a shader compile on SwiftShader, and the final evaluation runs all N_sup steps */
const SMALL = { hidden: 16, T: 2, n: 2, Nsup: 2 };

function maxRel(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let diff = 0;
  let mag = 0;
  for (let i = 0; i < b.length; i++) {
    diff = Math.max(diff, Math.abs(a[i]! - b[i]!));
    mag = Math.max(mag, Math.abs(b[i]!));
  }
  return diff / Math.max(mag, 1e-12);
}

function maxAbs(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let diff = 0;
  for (let i = 0; i < b.length; i++) diff = Math.max(diff, Math.abs(a[i]! - b[i]!));
  return diff;
}

/** One recursion (T cycles of n latent updates) from the initial carry, then the output and halting heads. */
async function forward(backend: 'wasm' | 'webgpu', method: 'trm' | 'dis'): Promise<{ logits: Float32Array; q: Float32Array }> {
  await initBackend(backend);
  const c = queensConfig(method, 1, SMALL);
  const spec = netSpec(c.model, 3, 16, method); // 4×4 N-Queens boards: 16 tokens, vocab 3
  const net = TrmNet.init(spec, new Rng(11));
  const rng = new Rng(5);
  const B = 2;
  const tokens = tf.tensor2d(Int32Array.from({ length: B * 16 }, () => rng.int(1, 2)), [B, 16], 'int32');
  const rows = tf.tensor2d(Float32Array.from({ length: B * spec.puzzleEmbDim }, () => rng.normal() * 0.1), [B, spec.puzzleEmbDim]);
  const stepIds = method === 'dis' ? tf.tensor1d([0, 1], 'int32') : null;
  const out = tf.tidy(() => {
    const x = net.inputEmbedding(tokens, rows, stepIds);
    let { zH, zL } = net.initialCarry(B);
    for (let t = 0; t < c.model.T; t++) ({ zH, zL } = net.cycle(zH, zL, x, c.model.n));
    return { logits: net.logits(zH), q: net.qHead(zH) };
  });
  const result = { logits: (await out.logits.data()) as Float32Array, q: (await out.q.data()) as Float32Array };
  tf.dispose([out.logits, out.q, tokens, rows, ...(stepIds ? [stepIds] : [])]);
  net.dispose();
  return result;
}

/** A 1-step run on `backend` (its final checkpoint holds the weights after that step). */
async function oneStep(config: RunConfig): Promise<{ dir: string; loss: number; params: Record<string, Float32Array> }> {
  const dir = await tempRunDir();
  const rec = await runJob(config, dir);
  expect(finishedOf(rec).status).toBe('completed');
  const latest = await latestCheckpoint(dir);
  if (!latest) throw new Error('no checkpoint after the run');
  const payload = await readCheckpoint(latest.path);
  const params: Record<string, Float32Array> = {};
  for (const [k, v] of Object.entries(payload.arrays)) if (k.startsWith('param/')) params[k] = v as Float32Array;
  return { dir, loss: rec.losses.get(1)!.lm, params };
}

/** Resumes a copy of `dir` on `backend` for one more step; returns that step's loss. */
async function resumeOneStep(dir: string, config: RunConfig): Promise<number> {
  const copy = await tempRunDir();
  await cp(dir, copy, { recursive: true });
  const rec = await runJob({ ...config, budget: { ...config.budget, optimizerSteps: 2 } }, copy, { resume: true });
  expect(finishedOf(rec).status).toBe('completed');
  return rec.losses.get(2)!.lm;
}

afterAll(async () => {
  await initBackend('wasm');
});

describe.skipIf(noAdapter !== null)('WebGPU against wasm (tiny models, fp32 tolerance)', () => {
  it('auto never picks a software adapter; a forced webgpu accepts one and says so', { timeout: TIMEOUT }, async () => {
    if ('reason' in probe) return;
    const auto = await initBackend('auto');
    if (probe.facts.software) {
      expect(auto.name).not.toBe('webgpu');
      expect(auto.notes.join('\n')).toMatch(/webgpu: only a software adapter \(.*\); 'auto' never trains on a CPU emulation/);
    }
    const forced = await initBackend('webgpu');
    expect(forced.name).toBe('webgpu');
    expect(tf.getBackend()).toBe('webgpu');
    expect(forced.adapter?.software).toBe(probe.facts.software);
    expect(forced.device).toContain(probe.facts.description || probe.facts.device);
    if (probe.facts.software) {
      expect(forced.device).toMatch(/software adapter/);
      expect(forced.notes.join('\n')).toMatch(/forced onto a software adapter/);
    }
  });

  for (const method of ['trm', 'dis'] as const) {
    it(`${method.toUpperCase()} tiny: forward logits and halting logits equal wasm's`, { timeout: TIMEOUT }, async () => {
      const ref = await forward('wasm', method);
      const got = await forward('webgpu', method);
      expect(maxRel(got.logits, ref.logits)).toBeLessThan(FWD_TOL);
      expect(maxRel(got.q, ref.q)).toBeLessThan(FWD_TOL);
    });
  }

  it('DIS tiny: the loss and every weight after one optimizer step equal wasm\'s', { timeout: TIMEOUT }, async () => {
    const c = queensConfig('dis', 1, SMALL, { probes: 0 });
    const ref = await oneStep(c);
    const got = await oneStep({ ...c, backend: 'webgpu' });
    expect(Math.abs(got.loss - ref.loss) / Math.abs(ref.loss)).toBeLessThan(FWD_TOL);
    for (const [name, w] of Object.entries(ref.params)) expect(maxAbs(got.params[name]!, w), name).toBeLessThan(WEIGHT_TOL);
  });

  it('TRM tiny: one step equals wasm\'s, and a checkpoint from either backend resumes on the other with the same next-step loss', { timeout: TIMEOUT }, async () => {
    const c = queensConfig('trm', 1, SMALL, { probes: 0 });
    const wasm = await oneStep(c);
    const gpu = await oneStep({ ...c, backend: 'webgpu' });
    expect(Math.abs(gpu.loss - wasm.loss) / Math.abs(wasm.loss)).toBeLessThan(FWD_TOL);
    for (const [name, w] of Object.entries(wasm.params)) expect(maxAbs(gpu.params[name]!, w), name).toBeLessThan(WEIGHT_TOL);
    // The reference: wasm's own step 2 from its own checkpoint.
    const next = await resumeOneStep(wasm.dir, c);
    const gpuOnWasm = await resumeOneStep(gpu.dir, c);
    const wasmOnGpu = await resumeOneStep(wasm.dir, { ...c, backend: 'webgpu' });
    expect(Math.abs(gpuOnWasm - next) / Math.abs(next)).toBeLessThan(FWD_TOL);
    expect(Math.abs(wasmOnGpu - next) / Math.abs(next)).toBeLessThan(FWD_TOL);
  });
});
