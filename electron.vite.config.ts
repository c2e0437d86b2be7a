import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// electron-vite only auto-detects src/main, src/preload and src/renderer, so every entry is explicit.
export default defineConfig({
  main: {
    build: {
      // "dependencies" (libsql, tfjs, ws, valibot) stay external: they are loaded from node_modules.
      lib: {
        entry: {
          index: resolve(import.meta.dirname, 'src-main/electron/index.ts'),
          // The engine runs in its own process (utilityProcess in the app), built as a second entry.
          engine: resolve(import.meta.dirname, 'src-main/engine/process/entry.ts'),
          // Every worker thread the engine starts is an entry too, compiled beside the engine bundle
          // (parallel/pool.ts looks for out/main/shard-worker.js): data-parallel training ("workers").
          'shard-worker': resolve(import.meta.dirname, 'src-main/engine/parallel/shard-worker.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      lib: { entry: resolve(import.meta.dirname, 'src-preload/index.ts') },
      // A sandboxed preload can require only 'electron': the method list it exposes comes from the
      // API table (src-shared/api/contract.ts, built on valibot), so its dependencies are bundled in.
      externalizeDeps: false,
      rollupOptions: {
        // sandboxed preloads must be CommonJS; .cjs because package.json has "type": "module"
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(import.meta.dirname, 'src-renderer'),
    build: {
      rollupOptions: { input: resolve(import.meta.dirname, 'src-renderer/index.html') },
    },
    plugins: [svelte({ configFile: resolve(import.meta.dirname, 'svelte.config.js') })],
  },
});
