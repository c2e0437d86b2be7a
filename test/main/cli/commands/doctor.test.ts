// `puzzle-lab doctor`'s text: every backend with its status, reason, fix and measurement, then auto's pick.
import { describe, expect, it } from 'vitest';
import { reportText } from '../../../../src-main/cli/commands/doctor';
import { COMMANDS } from '../../../../src-main/cli/index';
import type { DoctorReport } from '../../../../src-shared/method/doctor';

const report: DoctorReport = {
  platform: 'linux-x64',
  createdAt: '2026-11-30T17:00:00.000Z',
  entries: [
    { backend: 'tensorflow-gpu', available: false, detail: 'tfjs-node-gpu: loaded but no CUDA device; found libcudart.so.12, it needs CUDA 11.2 + cuDNN 8.1', fix: 'install CUDA 11.2 + cuDNN 8.1', usableByAuto: false, measurement: null },
    { backend: 'webgpu', available: true, detail: 'only a software adapter: WebGPU (Dawn) on SwiftShader driver 5.0.0', fix: "install your GPU's Vulkan driver", usableByAuto: false, measurement: null, measureError: 'training step not measured on a software adapter' },
    { backend: 'tensorflow', available: false, detail: 'tfjs-node: not installed', fix: 'npm install @tensorflow/tfjs-node@4.22.0', usableByAuto: false, measurement: null },
    { backend: 'wasm', available: true, detail: 'CPU, wasm SIMD, 1 thread', fix: null, usableByAuto: true, measurement: { matmulShape: '[1280,256]x[256,768]', matmulGflops: 7.14, stepMs: 596.4, step: 'TRM tiny' } },
    { backend: 'cpu', available: true, detail: 'CPU, plain JavaScript', fix: null, usableByAuto: true, measurement: null },
  ],
  auto: { backend: 'wasm', device: 'CPU, wasm SIMD, 1 thread', notes: ['webgpu: only a software adapter (SwiftShader driver 5.0.0)'] },
  fastest: 'wasm',
};

describe('puzzle-lab doctor', () => {
  it('is a registered command', () => {
    expect(Object.keys(COMMANDS)).toContain('doctor');
  });

  it('prints every backend with its status, reason, fix and measurement, then what auto picks', () => {
    const text = reportText(report);
    expect(text).toContain('[no  ] tensorflow-gpu tfjs-node-gpu: loaded but no CUDA device; found libcudart.so.12, it needs CUDA 11.2 + cuDNN 8.1\n       fix: install CUDA 11.2 + cuDNN 8.1');
    expect(text).toContain('[soft] webgpu         only a software adapter: WebGPU (Dawn) on SwiftShader driver 5.0.0');
    expect(text).toContain('not measured: training step not measured on a software adapter');
    expect(text).toContain('[ok  ] wasm           CPU, wasm SIMD, 1 thread\n       matMul [1280,256]x[256,768]: 7.1 GFLOPS · one step of TRM tiny: 596 ms');
    expect(text).toContain('auto picks: wasm (CPU, wasm SIMD, 1 thread)\n  skipped: webgpu: only a software adapter (SwiftShader driver 5.0.0)');
    expect(text).toContain('fastest measured backend that auto may use: wasm');
  });
});
