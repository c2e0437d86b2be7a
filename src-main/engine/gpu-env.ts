// What the operating system offers a GPU backend before any native library is loaded: the Vulkan
// loader and its drivers (Dawn's Linux backend), and which CUDA runtime is installed (tfjs-node-gpu
// needs exactly CUDA 11.2 + cuDNN 8.1). Used to skip WebGPU quietly where it cannot work (Dawn prints
// loader warnings on stderr otherwise) and by the GPU doctor to name the exact reason and fix.
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const LINUX_LIB_DIRS = [
  '/usr/lib/x86_64-linux-gnu',
  '/usr/lib/aarch64-linux-gnu',
  '/usr/lib64',
  '/usr/lib',
  '/lib/x86_64-linux-gnu',
  '/lib64',
  '/usr/local/lib',
  '/usr/local/cuda/lib64',
  '/usr/local/cuda/targets/x86_64-linux/lib',
];

function libDirs(): string[] {
  const extra = (process.env['LD_LIBRARY_PATH'] ?? '').split(':').filter((d) => d !== '');
  return [...extra, ...LINUX_LIB_DIRS];
}

function listDir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/** Files matching `re` in the library directories (deduplicated by name). */
export function findLibraries(re: RegExp): string[] {
  const found = new Set<string>();
  for (const dir of libDirs()) for (const f of listDir(dir)) if (re.test(f)) found.add(f);
  return [...found].sort();
}

export function hasVulkanLoader(): boolean {
  if (process.platform !== 'linux') return true; // Windows ships D3D12, macOS Metal: Dawn needs no loader there
  return findLibraries(/^libvulkan\.so\.1(\.|$)/).length > 0;
}

const ICD_DIRS = ['/usr/share/vulkan/icd.d', '/usr/local/share/vulkan/icd.d', '/etc/vulkan/icd.d'];

/** The Vulkan driver manifests the loader would find (Linux); empty means "no driver installed". */
export function vulkanDrivers(): string[] {
  const explicit = process.env['VK_ICD_FILENAMES'] ?? process.env['VK_DRIVER_FILES'];
  if (explicit) return explicit.split(':').filter((f) => f !== '' && existsSync(f));
  const home = os.homedir();
  const dirs = [...ICD_DIRS, path.join(home, '.local/share/vulkan/icd.d')];
  const xdg = process.env['XDG_DATA_DIRS'];
  if (xdg) for (const d of xdg.split(':')) if (d !== '') dirs.push(path.join(d, 'vulkan/icd.d'));
  const out: string[] = [];
  for (const d of new Set(dirs)) for (const f of listDir(d)) if (f.endsWith('.json')) out.push(path.join(d, f));
  return out;
}

/** SwiftShader's Vulkan driver as Debian's chromium ships it: a software adapter for tests on CPU-only machines. */
export const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

/**
 * Where Linux has a Vulkan loader but no driver at all, points the loader at SwiftShader when
 * chromium ships it, so that a forced `webgpu` still runs (slowly, and labelled a software adapter;
 * 'auto' never picks it). A user's own driver or VK_ICD_FILENAMES is never overridden.
 * Returns true when it did so.
 */
export function useSwiftShaderIfNoDriver(): boolean {
  if (process.platform !== 'linux' || vulkanDrivers().length > 0 || !existsSync(SWIFTSHADER_ICD)) return false;
  process.env['VK_ICD_FILENAMES'] = SWIFTSHADER_ICD;
  return true;
}

/**
 * libwayland prints "XDG_RUNTIME_DIR is invalid or not set" when a Vulkan driver probes for a
 * display in a headless session. It is harmless but reaches the user's terminal from native code,
 * so the engine gives itself a private runtime directory before Dawn starts (only when none is set).
 */
export function ensureRuntimeDir(): void {
  if (process.platform !== 'linux' || process.env['XDG_RUNTIME_DIR']) return;
  try {
    // one private directory per user, reused by every engine process (nothing is ever written to it)
    const dir = path.join(os.tmpdir(), `puzzle-lab-xdg-${os.userInfo().uid}`);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    process.env['XDG_RUNTIME_DIR'] = dir;
  } catch {
    // a missing runtime dir only costs the harmless line
  }
}

/** CUDA runtime / cuDNN libraries present (Linux), e.g. ['libcudart.so.12'], for the doctor's reason. */
export function cudaLibraries(): { cudart: string[]; cudnn: string[] } {
  if (process.platform !== 'linux') return { cudart: [], cudnn: [] };
  return { cudart: findLibraries(/^libcudart\.so\.\d+(\.\d+)*$/), cudnn: findLibraries(/^libcudnn\.so\.\d+(\.\d+)*$/) };
}
