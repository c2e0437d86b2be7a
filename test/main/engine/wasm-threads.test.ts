// The threaded wasm build in Node (src-main/engine/wasm-threads.ts): how many threads the engine asks
// for, and that a process running it computes the same products and still ends by itself (its pthread
// workers must not keep it alive).
import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { wasmThreadsWanted } from '../../../src-main/engine/backend';

const CHILD = path.join(__dirname, 'process', 'fixtures', 'threaded-wasm-child.ts');

function runChild(env: Record<string, string>): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--import', 'tsx', CHILD], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (err += d));
    p.on('error', reject);
    p.on('exit', (code) => resolve({ code, out, err }));
  });
}

describe('wasm threads', () => {
  it('uses every core up to 4 on the main thread, one in worker threads, and PUZZLE_LAB_WASM_THREADS when set', () => {
    expect(wasmThreadsWanted({}, 2, true)).toBe(2);
    expect(wasmThreadsWanted({}, 16, true)).toBe(4);
    expect(wasmThreadsWanted({}, 1, true)).toBe(1);
    expect(wasmThreadsWanted({}, 8, false)).toBe(1);
    expect(wasmThreadsWanted({ PUZZLE_LAB_WASM_THREADS: '1' }, 8, true)).toBe(1);
    expect(wasmThreadsWanted({ PUZZLE_LAB_WASM_THREADS: '3' }, 2, true)).toBe(3);
    expect(() => wasmThreadsWanted({ PUZZLE_LAB_WASM_THREADS: 'two' }, 2, true)).toThrow(/PUZZLE_LAB_WASM_THREADS must be an integer 1..64, got 'two'/);
  });

  it('follows the trainer\'s choice (its cores plan) unless PUZZLE_LAB_WASM_THREADS says otherwise', () => {
    expect(wasmThreadsWanted({}, 2, true, 1)).toBe(1);
    expect(wasmThreadsWanted({}, 2, true, 2)).toBe(2);
    expect(wasmThreadsWanted({ PUZZLE_LAB_WASM_THREADS: '2' }, 2, true, 1)).toBe(2);
    expect(wasmThreadsWanted({}, 2, false, 2)).toBe(1);
  });

  it('starts the threaded build in a Node process, which then ends by itself', async () => {
    const r = await runChild({ PUZZLE_LAB_WASM_THREADS: '2' });
    expect(r.code, r.err).toBe(0);
    const line = JSON.parse(r.out.trim().split('\n').pop()!) as { device: string; notes: string[]; threads: number; same: number };
    expect(line.notes).toEqual([]);
    expect(line.threads).toBe(2);
    expect(line.device).toMatch(/wasm SIMD, 2 threads/);
    expect(line.same).toBe(0);
  });

  it('runs one thread when asked to', async () => {
    const r = await runChild({ PUZZLE_LAB_WASM_THREADS: '1' });
    expect(r.code, r.err).toBe(0);
    expect(JSON.parse(r.out.trim().split('\n').pop()!)).toMatchObject({ threads: 1 });
  });
});
