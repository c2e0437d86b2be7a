// tfjs-backend-wasm's threaded SIMD build in Node (issue #16.1). tfjs 4.22 hard-codes
// WASM_HAS_MULTITHREAD_SUPPORT = false under Node (tfjs issue #3830) because its loader hands
// Emscripten Blob URLs, which worker_threads cannot load. This shim (measured: README, "Both cores, memory and PyTorch side by side"):
//   1. sets the flag;
//   2. while the backend initialises, turns the two Blobs the loader makes into temp files: the main
//      module script (prefixed with the rollup aliases the Node bundle's factory refers to) and the
//      pthread worker script (patched to importScripts that file instead of a Blob URL), and returns
//      their paths from URL.createObjectURL, which Node's Worker accepts;
//   3. makes os.cpus() report 2·threads entries during initialisation, because tfjs caps XNNPACK's pool
//      at emscripten_num_logical_cores()/2 (1 on a 2-vCPU machine);
//   4. afterwards unrefs every pthread worker, so an engine process still ends when its work ends,
//      and exposes stopWasmThreads() to terminate them explicitly.
// It depends on the text of the 4.22 bundle and fails loudly (the caller falls back to one thread)
// when that text changes.
import * as tf from '@tensorflow/tfjs';
import { setThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const MAIN_PREFIX = 'var WasmBackendModuleThreadedSimd = ';
const WORKER_IMPORT = /if\(typeof e\.data\.urlOrBlob=="string"\)\{importScripts\(e\.data\.urlOrBlob\)\}else\{var objectUrl=URL\.createObjectURL\(e\.data\.urlOrBlob\);importScripts\(objectUrl\);URL\.revokeObjectURL\(objectUrl\)\}/;
// The Node bundle's module-level names the factory's source refers to (tf-backend-wasm.node.js).
const ALIASES =
  "var require$$0=require('fs'),require$$1=require('path'),require$$3=require('perf_hooks'),require$$4=require('os');" +
  "var commonjsGlobal=typeof globalThis!=='undefined'?globalThis:global;";

interface PThreadLike {
  unusedWorkers: Array<{ unref(): void }>;
  runningWorkers: Array<{ unref(): void }>;
  terminateAllThreads(): void;
}

let tempDir: string | null = null;

/**
 * Prepares the next tf.setBackend('wasm') to start the threaded build with `threads` XNNPACK threads.
 * Returns a function to call once the backend has initialised (it undoes the temporary patches and
 * unrefs the workers); call it on failure too.
 */
export function prepareWasmThreads(threads: number): () => void {
  const RealBlob = globalThis.Blob;
  const realCreate = URL.createObjectURL;
  const realCpus = os.cpus;
  const texts = new WeakMap<Blob, string>();
  let mainFile: string | null = null;
  tempDir ??= mkdtempSync(path.join(os.tmpdir(), 'puzzle-lab-wasm-threads-'));
  const dir = tempDir;
  class RecordingBlob extends RealBlob {
    constructor(parts?: BlobPart[], options?: BlobPropertyBag) {
      super(parts, options);
      if (!parts || !parts.every((p) => typeof p === 'string')) return;
      const text = (parts as string[]).join('');
      texts.set(this, text);
      // The main module script is handed to the workers as this Blob itself (never through a URL):
      // the patched worker script imports the file instead.
      if (text.startsWith(MAIN_PREFIX)) {
        mainFile = path.join(dir, 'tfjs-backend-wasm-threaded-simd.main.js');
        writeFileSync(mainFile, ALIASES + text);
      }
    }
  }
  globalThis.Blob = RecordingBlob as typeof Blob;
  URL.createObjectURL = (obj: Blob): string => {
    const text = texts.get(obj);
    if (text === undefined) return realCreate(obj);
    if (text.startsWith(MAIN_PREFIX) && mainFile) return mainFile;
    if (!WORKER_IMPORT.test(text)) throw new Error('wasm threads: the pthread worker script of this tfjs-backend-wasm version is not the one the shim knows');
    if (!mainFile) throw new Error('wasm threads: the worker script came before the main module script');
    const file = path.join(dir, 'tfjs-backend-wasm-threaded-simd.worker.js');
    writeFileSync(file, text.replace(WORKER_IMPORT, `importScripts(${JSON.stringify(mainFile)});`));
    return file;
  };
  os.cpus = () => {
    const cpus = realCpus();
    return Array.from({ length: Math.max(cpus.length, 2 * threads) }, (_, i) => cpus[i % cpus.length]!);
  };
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
  setThreadsCount(threads);
  return () => {
    globalThis.Blob = RealBlob;
    URL.createObjectURL = realCreate;
    os.cpus = realCpus;
    for (const w of pthreads()?.unusedWorkers ?? []) w.unref();
    for (const w of pthreads()?.runningWorkers ?? []) w.unref();
  };
}

/** Back to the single-threaded build for the next initialisation (after a failed threaded start). */
export function disableWasmThreads(): void {
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  setThreadsCount(1);
}

function pthreads(): PThreadLike | null {
  if (tf.getBackend() !== 'wasm') return null;
  const wasm = (tf.backend() as unknown as { wasm?: { PThread?: PThreadLike } }).wasm;
  return wasm?.PThread ?? null;
}

/** Terminates the wasm pthread workers (an engine that is done); the wasm backend is unusable afterwards. */
export function stopWasmThreads(): void {
  pthreads()?.terminateAllThreads();
  if (tempDir) rmSync(tempDir, { recursive: true, force: true });
  tempDir = null;
}
