// A Vulkan driver in a headless session makes libwayland print "XDG_RUNTIME_DIR is invalid or not
// set"; it must never become the reason shown for an engine process that died.
import { describe, expect, it } from 'vitest';
import { wrapChild, type RawChild } from '../../../../src-main/engine/process/host';

describe('an engine process’s last words', () => {
  it('leave out the harmless XDG_RUNTIME_DIR line and keep everything else', () => {
    let stderr: (s: string) => void = () => {};
    let exit: (code: number | null, signal: string | null) => void = () => {};
    const raw: RawChild = {
      pid: 1,
      postMessage: () => {},
      onMessage: () => {},
      onExit: (l) => (exit = l),
      onStderr: (l) => (stderr = l),
      disconnect: () => {},
      kill: () => {},
    };
    const proc = wrapChild(raw);
    stderr('error: XDG_RUNTIME_DIR is invalid or not set in the environment.\n');
    stderr('Error: out of GPU memory\n');
    exit(1, null);
    expect(proc.exited?.reason).toBe('engine process exited with code 1; last output: Error: out of GPU memory');
  });
});
