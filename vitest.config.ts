import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { svelteTesting } from '@testing-library/svelte/vite';

export default defineConfig({
  test: {
    // tfjs-wasm is single-threaded: two test files at a time use both cores.
    maxWorkers: 2,
    projects: [
      {
        test: {
          name: 'node',
          environment: 'node',
          include: ['test/**/*.test.ts'],
          exclude: ['test/renderer/**', 'test/e2e/**', 'node_modules/**'],
          setupFiles: ['./test/setup-fast-check.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      {
        plugins: [svelte({ configFile: './svelte.config.js' }), svelteTesting()],
        test: {
          name: 'renderer',
          environment: 'jsdom',
          include: ['test/renderer/**/*.test.ts'],
          setupFiles: ['./test/renderer/setup.ts'],
          // Component tests render and wait on real work (PlaygroundView, VoteView): generous on a
          // busy machine, where the default 5 s fails them; a test asserts behaviour, not speed.
          testTimeout: 30_000,
        },
      },
    ],
  },
});
