import { render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DoctorReport } from '../../../../src-shared/method/doctor';
import type { BackendInfo } from '../../../../src-shared/method/protocol';
import { setClient } from '../../../../src-renderer/src/lib/api/client';
import BackendPanel from '../../../../src-renderer/src/lib/ui/BackendPanel.svelte';
import StatusBar from '../../../../src-renderer/src/lib/ui/StatusBar.svelte';
import { lab } from '../../../../src-renderer/src/lib/stores/lab.svelte';
import { fakeClient } from '../fake-client';

const swiftshader = { vendor: 'google', architecture: 'swiftshader', device: 'swiftshader-device', description: 'SwiftShader driver 5.0.0', software: true };

const wasm: BackendInfo = {
  name: 'wasm',
  device: 'CPU, wasm SIMD, 1 thread',
  versions: {},
  notes: ["webgpu: only a software adapter (SwiftShader driver 5.0.0); 'auto' never trains on a CPU emulation"],
};

function report(measured: boolean): DoctorReport {
  return {
    platform: 'linux-x64',
    createdAt: '2026-11-30T17:00:00.000Z',
    entries: [
      { backend: 'tensorflow-gpu', available: false, detail: 'tfjs-node-gpu: loaded but no CUDA device; found libcudart.so.12, it needs CUDA 11.2 + cuDNN 8.1', fix: 'install CUDA 11.2 + cuDNN 8.1', usableByAuto: false, measurement: null },
      {
        backend: 'webgpu',
        available: true,
        detail: 'only a software adapter: SwiftShader driver 5.0.0',
        fix: "install your GPU's Vulkan driver",
        usableByAuto: false,
        adapter: swiftshader,
        measurement: null,
        ...(measured ? { measureError: 'training step not measured on a software adapter' } : {}),
      },
      { backend: 'tensorflow', available: false, detail: 'tfjs-node: not installed', fix: 'npm install @tensorflow/tfjs-node@4.22.0', usableByAuto: false, measurement: null },
      { backend: 'wasm', available: true, detail: 'CPU, wasm SIMD, 1 thread', fix: null, usableByAuto: true, measurement: measured ? { matmulShape: '[1280,256]x[256,768]', matmulGflops: 7.1, stepMs: 596, step: 'TRM tiny' } : null },
      { backend: 'cpu', available: true, detail: 'CPU, plain JavaScript', fix: null, usableByAuto: true, measurement: measured ? { matmulShape: '[1280,256]x[256,768]', matmulGflops: 0.3, stepMs: 4015, step: 'TRM tiny' } : null },
    ],
    auto: { backend: 'wasm', device: 'CPU, wasm SIMD, 1 thread', notes: wasm.notes },
    fastest: measured ? 'wasm' : null,
  };
}

afterEach(() => {
  setClient(null);
  lab.system = null;
});

describe('BackendPanel (the GPU doctor)', () => {
  it('shows the backend in use, why faster ones were skipped, and every backend with its reason and fix', async () => {
    setClient(fakeClient({ gpuDoctor: () => report(false) }));
    render(BackendPanel, { backend: wasm, onclose: () => {} });
    expect(screen.getByTestId('backend-in-use')).toHaveTextContent('wasm · CPU, wasm SIMD, 1 thread');
    expect(screen.getByText(/only a software adapter \(SwiftShader driver 5.0.0\)/)).toBeInTheDocument();
    const rows = await screen.findAllByTestId('doctor-row');
    expect(rows.map((r) => within(r).getAllByRole('cell')[0]!.textContent)).toEqual(['tensorflow-gpu', 'webgpu', 'tensorflow', 'wasm', 'cpu']);
    expect(within(rows[0]!).getByText('not available')).toBeInTheDocument();
    expect(rows[0]).toHaveTextContent('found libcudart.so.12, it needs CUDA 11.2 + cuDNN 8.1');
    expect(within(rows[1]!).getByText('software adapter only')).toBeInTheDocument();
    expect(rows[1]).toHaveTextContent("Fix: install your GPU's Vulkan driver");
    expect(screen.getByTestId('doctor-auto')).toHaveTextContent('auto picks wasm');
  });

  it('measures on request and marks the fastest backend auto may use', async () => {
    const client = fakeClient({ gpuDoctor: (q) => report(q.measure) });
    setClient(client);
    render(BackendPanel, { backend: wasm, onclose: () => {} });
    await screen.findAllByTestId('doctor-row');
    expect(client.calls).toEqual([{ method: 'gpuDoctor', params: { measure: false, refresh: false } }]);
    await userEvent.click(screen.getByRole('button', { name: 'Measure speed' }));
    await waitFor(() => expect(screen.getByText('596')).toHaveClass('best'));
    expect(client.calls.at(-1)).toEqual({ method: 'gpuDoctor', params: { measure: true, refresh: true } });
    expect(screen.getByText('4015')).not.toHaveClass('best');
    expect(screen.getByText(/Fastest measured backend that auto may use/)).toHaveTextContent('wasm');
    expect(screen.getByText('training step not measured on a software adapter')).toBeInTheDocument();
  });

  it('shows the error when the doctor fails, and closes with Escape', async () => {
    setClient(fakeClient({ gpuDoctor: () => { throw new Error('engine process did not start within 120 s'); } }));
    const onclose = vi.fn();
    render(BackendPanel, { backend: null, onclose });
    expect(await screen.findByRole('alert')).toHaveTextContent('engine process did not start within 120 s');
    await userEvent.keyboard('{Escape}');
    expect(onclose).toHaveBeenCalled();
  });

  it('opens from the status bar backend label', async () => {
    setClient(fakeClient({ gpuDoctor: () => report(false) }));
    lab.system = { app: { version: '0.1.0', mode: 'serve' }, backend: wasm, memory: { totalBytes: 1, freeBytes: 1, serviceRssBytes: 1 }, dataDir: '/tmp', platform: 'linux-x64' };
    render(StatusBar);
    expect(screen.queryByRole('dialog')).toBeNull();
    await userEvent.click(screen.getByTestId('backend'));
    expect(await screen.findByRole('dialog', { name: 'Compute backend' })).toBeInTheDocument();
    expect(await screen.findAllByTestId('doctor-row')).toHaveLength(5);
  });
});
