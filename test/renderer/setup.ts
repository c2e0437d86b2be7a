import '@testing-library/jest-dom/vitest';
import { configure } from '@testing-library/dom';

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

// On a busy machine jsdom renders and Svelte's effects take seconds, not milliseconds: findBy/waitFor
// wait up to 10 s (instead of 1 s) for what a component shows after real work; they return as soon
// as it is there, so this costs nothing when the machine is idle.
configure({ asyncUtilTimeout: 10_000 });
