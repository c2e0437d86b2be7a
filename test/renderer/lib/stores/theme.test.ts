import { afterEach, describe, expect, it, vi } from 'vitest';

// a system setting the test can flip, as prefers-color-scheme would
function fakeMedia(light: boolean) {
  const listeners = new Set<(e: { matches: boolean }) => void>();
  const mql = {
    matches: light,
    media: '(prefers-color-scheme: light)',
    addEventListener: (_: string, l: (e: { matches: boolean }) => void) => listeners.add(l),
    removeEventListener: () => {},
  };
  window.matchMedia = (() => mql) as unknown as typeof window.matchMedia;
  return (to: boolean) => {
    mql.matches = to;
    for (const l of listeners) l({ matches: to });
  };
}

afterEach(() => {
  localStorage.clear();
  vi.resetModules();
});

describe('the theme', () => {
  it('follows the system setting, live, until the user picks one', async () => {
    const flip = fakeMedia(true);
    const { theme } = await import('../../../../src-renderer/src/lib/stores/theme.svelte');
    expect(theme.resolved).toBe('light');
    expect(document.documentElement.dataset['theme']).toBe('light');
    flip(false);
    expect(document.documentElement.dataset['theme']).toBe('dark');
    theme.set('light');
    flip(false);
    expect(document.documentElement.dataset['theme']).toBe('light');
  });

  it('remembers a manual choice across restarts, and forgets it for "system"', async () => {
    fakeMedia(false);
    const first = (await import('../../../../src-renderer/src/lib/stores/theme.svelte')).theme;
    first.set('light');
    vi.resetModules();
    const again = (await import('../../../../src-renderer/src/lib/stores/theme.svelte')).theme;
    expect(again.choice).toBe('light');
    expect(document.documentElement.dataset['theme']).toBe('light');
    again.set('system');
    vi.resetModules();
    const third = (await import('../../../../src-renderer/src/lib/stores/theme.svelte')).theme;
    expect(third.choice).toBe('system');
    expect(third.resolved).toBe('dark');
  });
});
