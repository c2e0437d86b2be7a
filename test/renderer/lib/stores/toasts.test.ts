import { describe, expect, it, vi } from 'vitest';
import { errorText } from '../../../../src-renderer/src/lib/stores/toasts.svelte';

describe('errorText', () => {
  it('drops the terminal colour codes an engine process leaves in its last output', () => {
    expect(errorText(new Error("engine exited; last output: \x1b[90mat load\x1b[39m { code: \x1b[32m'ENOENT'\x1b[39m }"))).toBe("engine exited; last output: at load { code: 'ENOENT' }");
    expect(errorText('plain')).toBe('plain');
  });
});

describe('toasts', () => {
  it('expire, replace a repeated message instead of stacking it, and show at most three', async () => {
    const { toasts, MAX_TOASTS } = await import('../../../../src-renderer/src/lib/stores/toasts.svelte');
    vi.useFakeTimers();
    try {
      toasts.push('error', 'Saving failed: cell (3,4)');
      toasts.push('error', 'Saving failed: cell (3,4)');
      expect(toasts.items.map((t) => t.text)).toEqual(['Saving failed: cell (3,4)']);
      for (let i = 0; i < 5; i++) toasts.push('info', `message ${i}`);
      expect(toasts.items).toHaveLength(MAX_TOASTS);
      expect(toasts.items.map((t) => t.text)).toEqual(['message 2', 'message 3', 'message 4']);
      vi.advanceTimersByTime(4_001);
      expect(toasts.items).toEqual([]);
    } finally {
      vi.useRealTimers();
    }
  });
});
