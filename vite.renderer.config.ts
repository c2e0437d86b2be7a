// The renderer built for a plain browser (headless `serve` mode, and the UI tests).
import { resolve } from 'node:path';
import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

export default defineConfig({
  root: resolve(import.meta.dirname, 'src-renderer'),
  base: './',
  build: { outDir: resolve(import.meta.dirname, 'out/renderer'), emptyOutDir: true },
  plugins: [svelte({ configFile: resolve(import.meta.dirname, 'svelte.config.js') })],
});
