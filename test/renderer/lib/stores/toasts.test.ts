import { describe, expect, it } from 'vitest';
import { errorText } from '../../../../src-renderer/src/lib/stores/toasts.svelte';

describe('errorText', () => {
  it('drops the terminal colour codes an engine process leaves in its last output', () => {
    expect(errorText(new Error("engine exited; last output: \x1b[90mat load\x1b[39m { code: \x1b[32m'ENOENT'\x1b[39m }"))).toBe("engine exited; last output: at load { code: 'ENOENT' }");
    expect(errorText('plain')).toBe('plain');
  });
});
