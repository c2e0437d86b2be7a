// Which adapters count as software, how an adapter is labelled, and what the doctor says when a
// backend does not start — pure functions, no GPU needed.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { unavailable } from '../../../src-main/engine/doctor';
import { cudaLibraries } from '../../../src-main/engine/gpu-env';
import { adapterFacts, describeAdapter, isSoftwareAdapter } from '../../../src-main/engine/webgpu';

describe('WebGPU adapters', () => {
  it('counts SwiftShader, llvmpipe, lavapipe, WARP and any fallback adapter as software, and real GPUs as hardware', () => {
    expect(isSoftwareAdapter({ vendor: 'google', architecture: 'swiftshader', description: 'SwiftShader driver 5.0.0' })).toBe(true);
    expect(isSoftwareAdapter({ vendor: 'mesa', description: 'llvmpipe (LLVM 15.0.6, 256 bits)' })).toBe(true);
    expect(isSoftwareAdapter({ description: 'lavapipe' })).toBe(true);
    expect(isSoftwareAdapter({ description: 'Microsoft Basic Render Driver' })).toBe(true);
    expect(isSoftwareAdapter({ vendor: 'nvidia', architecture: 'ada', isFallbackAdapter: true })).toBe(true);
    expect(isSoftwareAdapter({ vendor: 'nvidia', architecture: 'ada', description: 'NVIDIA GeForce RTX 4070' })).toBe(false);
    expect(isSoftwareAdapter({ vendor: 'apple', architecture: 'metal-3', description: 'Apple M2' })).toBe(false);
    expect(isSoftwareAdapter({ vendor: 'intel', architecture: 'gen-12lp', description: 'Intel(R) Xe Graphics (TGL GT2)' })).toBe(false);
  });

  it('labels an adapter with its name, vendor and architecture, and says hardware or software', () => {
    expect(describeAdapter(adapterFacts({ vendor: 'nvidia', architecture: 'ada', description: 'NVIDIA GeForce RTX 4070' }))).toBe('NVIDIA GeForce RTX 4070 (nvidia ada), hardware adapter');
    expect(describeAdapter(adapterFacts({ vendor: 'google', architecture: 'swiftshader', description: 'SwiftShader driver 5.0.0' }))).toBe(
      'SwiftShader driver 5.0.0 (google swiftshader), software adapter (CPU emulation, slow)',
    );
  });
});

describe('the doctor’s reasons', () => {
  const saved = process.env['LD_LIBRARY_PATH'];
  afterEach(() => {
    if (saved === undefined) delete process.env['LD_LIBRARY_PATH'];
    else process.env['LD_LIBRARY_PATH'] = saved;
  });

  it.runIf(process.platform === 'linux')('names the CUDA runtime it found when tfjs-node-gpu runs without a GPU device', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'puzzle-lab-cuda-'));
    await writeFile(path.join(dir, 'libcudart.so.12'), '');
    process.env['LD_LIBRARY_PATH'] = dir;
    expect(cudaLibraries().cudart).toContain('libcudart.so.12');
    const r = unavailable('tensorflow-gpu', "backend 'tensorflow-gpu' is not available: @tensorflow/tfjs-node-gpu: loaded but no GPU device is in use (CUDA 11.2/cuDNN 8 missing?), using its CPU kernels");
    expect(r.detail).toMatch(/^tfjs-node-gpu: loaded but no CUDA device; found .*libcudart\.so\.12.*, it needs CUDA 11\.2 \+ cuDNN 8\.1$/);
    expect(r.fix).toMatch(/CUDA 11\.2 \+ cuDNN 8\.1/);
  });

  it('gives an install command for a missing package and an OS-specific fix for WebGPU', () => {
    const gpu = unavailable('tensorflow-gpu', "backend 'tensorflow-gpu' is not available: @tensorflow/tfjs-node-gpu: not available (Cannot find package '@tensorflow/tfjs-node-gpu')");
    expect(gpu.detail).toBe('tfjs-node-gpu: not installed');
    const node = unavailable('tensorflow', "backend 'tensorflow' is not available: @tensorflow/tfjs-node: not available (Cannot find package '@tensorflow/tfjs-node')");
    expect(node).toEqual({ detail: 'tfjs-node: not installed', fix: expect.stringContaining('npm install @tensorflow/tfjs-node@4.22.0') });
    const webgpu = unavailable('webgpu', "backend 'webgpu' is not available: webgpu: no Vulkan loader (libvulkan.so.1)");
    expect(webgpu.detail).toBe('webgpu: no Vulkan loader (libvulkan.so.1)');
    const fixFor: Record<string, RegExp> = { linux: /Vulkan/, darwin: /Metal/, win32: /Direct3D 12/ };
    expect(webgpu.fix).toMatch(fixFor[process.platform] ?? /./);
  });
});
