// The packaged app runs compiled JavaScript only: a worker thread whose script is not a build entry
// would silently not exist there (data-parallel training fell back to one thread that way). Every
// worker entry of the engine (a module that answers on worker_threads' parentPort) must be an entry
// of the main build, under its own file name, which is where parallel/pool.ts looks for it.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import config from '../../electron.vite.config';

const ROOT = path.resolve(import.meta.dirname, '../..');

function files(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(`${dir}/${e.name}`) : e.name.endsWith('.ts') ? [`${dir}/${e.name}`] : []));
}

describe('the main build', () => {
  it('has every worker-thread script of src-main as an entry named after its file', () => {
    const workers = files('src-main').filter((f) => /\bparentPort\b[^;]*from 'node:worker_threads'/.test(readFileSync(path.join(ROOT, f), 'utf8')));
    expect(workers).toContain('src-main/engine/parallel/shard-worker.ts');
    const resolved = typeof config === 'function' ? null : config;
    const entries = (resolved?.main?.build?.lib as { entry?: Record<string, string> } | undefined)?.entry ?? {};
    for (const w of workers) {
      const name = path.basename(w, '.ts');
      expect(entries[name] && path.relative(ROOT, entries[name]).split(path.sep).join('/'), `${w} is not a main build entry`).toBe(w);
    }
  });
});
