import '@testing-library/jest-dom/vitest';

// jsdom has no layout and no ResizeObserver (Svelte's bind:clientWidth/clientHeight use it):
// a no-op observer leaves measured sizes at 0, and the components fall back to their defaults.
if (!('ResizeObserver' in globalThis)) {
  class NoLayoutResizeObserver {
    observe(): void {}
    unobserve(): void {}
    disconnect(): void {}
  }
  (globalThis as unknown as { ResizeObserver: unknown }).ResizeObserver = NoLayoutResizeObserver;
}
