// The WebGPU backend through Dawn's Node binding (npm `webgpu`, a prebuilt dawn.node per platform):
// Vulkan on Linux, Metal on macOS, D3D12 on Windows. It reaches any modern GPU, unlike tfjs-node-gpu
// (CUDA 11.2 only). Dawn also offers CPU emulations (SwiftShader, llvmpipe, WARP): correct but far
// slower than wasm, so 'auto' never trains on one; a forced `webgpu` accepts one and says so.
//
// tfjs-backend-webgpu registers itself only when `navigator.gpu` exists at import time, so Dawn is
// set up first. The backend is then registered again with the adapter probed here, so the adapter
// reported is the one that computes.
import * as tf from '@tensorflow/tfjs';
import { createRequire } from 'node:module';
import type { GpuAdapterFacts } from '../../src-shared/method/protocol';
import { existsSync } from 'node:fs';
import { ensureRuntimeDir, hasVulkanLoader, SWIFTSHADER_ICD, useSwiftShaderIfNoDriver, vulkanDrivers } from './gpu-env';

/** The WebGPU types the engine touches (the `webgpu` package's own typings pull in DOM types). */
interface GpuAdapterInfo {
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
  isFallbackAdapter?: boolean;
}
interface GpuAdapter {
  info: GpuAdapterInfo;
  features: { has(name: string): boolean };
  limits: Record<string, number>;
  requestDevice(d?: unknown): Promise<unknown>;
}
interface Gpu {
  requestAdapter(o?: { powerPreference?: 'high-performance' | 'low-power' }): Promise<GpuAdapter | null>;
}
interface DawnModule {
  create(flags: string[]): Gpu;
  globals: Record<string, unknown>;
}

const SOFTWARE = /swiftshader|llvmpipe|lavapipe|softpipe|microsoft basic render|\bwarp\b/i;

/** A CPU emulation, by Dawn's fallback flag or by the names the software drivers give themselves. */
export function isSoftwareAdapter(info: GpuAdapterInfo): boolean {
  if (info.isFallbackAdapter === true) return true;
  return SOFTWARE.test([info.vendor, info.architecture, info.device, info.description].join(' '));
}

export function adapterFacts(info: GpuAdapterInfo): GpuAdapterFacts {
  return {
    vendor: info.vendor ?? '',
    architecture: info.architecture ?? '',
    device: info.device ?? '',
    description: info.description ?? '',
    software: isSoftwareAdapter(info),
  };
}

/** "NVIDIA GeForce RTX 4070 (nvidia ada), hardware adapter" — the label the UI and CLI show. */
export function describeAdapter(a: GpuAdapterFacts): string {
  const name = a.description || a.device || 'unnamed adapter';
  const family = [a.vendor, a.architecture].filter((s) => s !== '').join(' ');
  return `${name}${family ? ` (${family})` : ''}, ${a.software ? 'software adapter (CPU emulation, slow)' : 'hardware adapter'}`;
}

function message(e: unknown): string {
  return e instanceof Error ? (e.message.split('\n')[0] ?? e.message) : String(e);
}

let dawn: { gpu: Gpu; version: string } | null = null;

/**
 * Why WebGPU cannot start on this OS before Dawn is even loaded, or null. `allowSoftware`: where
 * Linux has no Vulkan driver at all, fall back to chromium's SwiftShader (a forced webgpu); 'auto'
 * would never use it, so it skips at once instead of loading Dawn.
 */
export function webgpuPrecondition(allowSoftware: boolean): string | null {
  if (!hasVulkanLoader()) return 'no Vulkan loader (libvulkan.so.1)';
  if (process.platform === 'linux' && vulkanDrivers().length === 0) {
    if (allowSoftware && useSwiftShaderIfNoDriver()) return null;
    return existsSync(SWIFTSHADER_ICD)
      ? 'no Vulkan driver (ICD) for a GPU is installed (only chromium\'s SwiftShader, a software adapter)'
      : 'the Vulkan loader is installed but no Vulkan driver (ICD) is';
  }
  return null;
}

/** Loads dawn.node once and exposes `navigator.gpu`. Throws with the reason. */
async function openDawn(allowSoftware: boolean): Promise<{ gpu: Gpu; version: string }> {
  if (dawn) return dawn;
  const pre = webgpuPrecondition(allowSoftware);
  if (pre) throw new Error(pre);
  ensureRuntimeDir();
  const specifier: string = 'webgpu'; // a variable: bundlers leave it as a runtime import of node_modules
  let mod: DawnModule;
  try {
    mod = (await import(specifier)) as DawnModule;
  } catch (e) {
    throw new Error(`Dawn's Node binding (npm webgpu, dawn.node) did not load: ${message(e)}`);
  }
  Object.assign(globalThis, mod.globals); // GPUBufferUsage, GPUMapMode, … used by tfjs-backend-webgpu
  const gpu = mod.create([]);
  const g = globalThis as { navigator?: { gpu?: unknown } };
  // Node 20 has no navigator; Node ≥ 21 and Electron have one without `gpu`.
  if (g.navigator === undefined) Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true, writable: true });
  else Object.defineProperty(g.navigator, 'gpu', { value: gpu, configurable: true, writable: true });
  dawn = { gpu, version: dawnVersion() };
  return dawn;
}

function dawnVersion(): string {
  try {
    return (createRequire(import.meta.url)('webgpu/package.json') as { version?: string }).version ?? '?';
  } catch {
    return '?';
  }
}

export type AdapterProbe = { adapter: GpuAdapter; facts: GpuAdapterFacts; dawnVersion: string } | { reason: string };

/**
 * The adapter Dawn gives for compute ('high-performance': the discrete GPU where there are two).
 * `allowSoftware` false ('auto') does not reach for SwiftShader where no Vulkan driver exists.
 */
export async function probeAdapter(allowSoftware = true): Promise<AdapterProbe> {
  let d: { gpu: Gpu; version: string };
  try {
    d = await openDawn(allowSoftware);
  } catch (e) {
    return { reason: message(e) };
  }
  let adapter: GpuAdapter | null;
  try {
    adapter = await d.gpu.requestAdapter({ powerPreference: 'high-performance' });
  } catch (e) {
    return { reason: `requesting an adapter failed (${message(e)})` };
  }
  if (!adapter) return { reason: 'Dawn found no usable GPU adapter (driver too old, or no Vulkan/Metal/D3D12 device)' };
  return { adapter, facts: adapterFacts(adapter.info), dawnVersion: d.version };
}

let registered: GpuAdapter | null = null;

/**
 * Registers tfjs's 'webgpu' backend on `adapter` (the same device limits tfjs asks for itself) and
 * makes it current. Throws if tfjs cannot start it.
 */
export async function startWebGpuBackend(adapter: GpuAdapter): Promise<void> {
  const specifier: string = '@tensorflow/tfjs-backend-webgpu';
  const mod = (await import(specifier)) as { WebGPUBackend: new (device: unknown, info?: unknown) => tf.KernelBackend };
  if (registered !== adapter) {
    if (tf.findBackendFactory('webgpu')) tf.removeBackend('webgpu');
    tf.registerBackend(
      'webgpu',
      async () => {
        const features: string[] = [];
        if (adapter.features.has('timestamp-query')) features.push('timestamp-query');
        const l = adapter.limits;
        const device = await adapter.requestDevice({
          requiredFeatures: features,
          requiredLimits: {
            maxComputeWorkgroupStorageSize: l['maxComputeWorkgroupStorageSize'],
            maxComputeWorkgroupsPerDimension: l['maxComputeWorkgroupsPerDimension'],
            maxStorageBufferBindingSize: l['maxStorageBufferBindingSize'],
            maxBufferSize: l['maxBufferSize'],
            maxComputeWorkgroupSizeX: l['maxComputeWorkgroupSizeX'],
            maxComputeInvocationsPerWorkgroup: l['maxComputeInvocationsPerWorkgroup'],
          },
        });
        return new mod.WebGPUBackend(device, adapter.info);
      },
      // below every other backend: tfjs must never pick it on its own, only through initBackend
      0,
    );
    registered = adapter;
  }
  if (!(await tf.setBackend('webgpu'))) throw new Error("tfjs could not initialise its 'webgpu' backend on this adapter");
  await tf.ready();
}
