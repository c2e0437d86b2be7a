// The layer rule of docs/architecture.md, checked on the real import graph: every import (static,
// re-export, dynamic, type-only) of every file in src-shared, src-main, src-preload and src-renderer
// goes to its own layer or one below it. A failure names the file and the import.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const SOURCES = ['src-shared', 'src-main', 'src-preload', 'src-renderer'];

/**
 * Layers from the bottom; a file may import its own layer and those below it, never one above nor a
 * sibling at the same rank in another folder (cli, serve and electron are three front ends).
 */
const LAYERS: Array<{ name: string; rank: number }> = [
  { name: 'src-shared', rank: 0 },
  { name: 'src-main/engine', rank: 1 },
  // the one command-line parser of the three command lines (cli, serve, bench): Node's parseArgs plus help
  { name: 'src-main/command-line', rank: 1 },
  { name: 'src-main/pipeline', rank: 2 },
  { name: 'src-main/service', rank: 3 },
  { name: 'src-main/cli', rank: 4 },
  { name: 'src-main/serve', rank: 4 },
  { name: 'src-main/electron', rank: 4 },
  // The preload and the renderer sit on src-shared only: they never see the Node side.
  { name: 'src-preload', rank: 10 },
  { name: 'src-renderer', rank: 10 },
];

const NODE_BUILTINS = new Set(['assert', 'buffer', 'child_process', 'crypto', 'events', 'fs', 'http', 'https', 'module', 'net', 'os', 'path', 'process', 'stream', 'url', 'util', 'worker_threads', 'zlib']);

/** Packages a layer must not import (its rank says nothing about packages). */
function forbiddenPackage(layer: string, spec: string): string | null {
  const pkg = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : (spec.split('/')[0] ?? spec);
  const isNode = spec.startsWith('node:') || NODE_BUILTINS.has(pkg);
  const nodeSide = ['libsql', 'ws', 'tsx', 'webgpu'].includes(pkg) || pkg.startsWith('@tensorflow/');
  if (layer === 'src-shared' && (isNode || nodeSide || pkg === 'electron')) return 'src-shared is pure TypeScript: no Node, tfjs, Electron or native packages';
  if ((layer === 'src-renderer' || layer === 'src-preload') && (isNode || nodeSide)) return `${layer} never touches Node or the engine's packages`;
  if (layer === 'src-renderer' && pkg === 'electron') return 'the renderer reaches Electron only through the preload';
  if (pkg === 'electron' && layer.startsWith('src-main/') && layer !== 'src-main/electron') return 'only the desktop shell (src-main/electron) imports electron';
  return null;
}

export function layerOf(file: string): { name: string; rank: number } | null {
  const rel = file.split(path.sep).join('/');
  return LAYERS.find((l) => rel === l.name || rel.startsWith(`${l.name}/`)) ?? null;
}

/** Why `from` (a repository-relative file) may not import `spec`, or null when it may. */
export function violation(from: string, spec: string): string | null {
  const src = layerOf(from);
  if (!src) return null;
  if (!spec.startsWith('.')) return forbiddenPackage(src.name, spec);
  const target = path.posix.normalize(path.posix.join(path.posix.dirname(from.split(path.sep).join('/')), spec));
  const dst = layerOf(target);
  if (!dst) return `imports ${target}, outside the source layers`;
  if (dst.name === src.name) return null;
  if (dst.rank < src.rank && !(src.rank === 10 && dst.rank !== 0)) return null;
  return `${src.name} may not import ${dst.name}`;
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
    const rel = `${dir}/${e.name}`;
    if (e.isDirectory()) out.push(...sourceFiles(rel));
    else if (/\.(ts|mts|mjs|js|svelte)$/.test(e.name) && !e.name.endsWith('.d.ts')) out.push(rel);
  }
  return out;
}

/** Every module specifier a file imports (static, re-exported, dynamic; Svelte: its scripts). */
export function importsOf(text: string, svelte: boolean): string[] {
  const code = svelte ? [...text.matchAll(/<script[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]).join('\n') : text;
  return ts.preProcessFile(code, true, true).importedFiles.map((f) => f.fileName);
}

describe('the import graph', () => {
  it('has no upward edge: every file imports only its own layer, the layers below it, and the packages its layer may use', () => {
    const bad: string[] = [];
    let edges = 0;
    for (const dir of SOURCES) {
      for (const file of sourceFiles(dir)) {
        for (const spec of importsOf(readFileSync(path.join(ROOT, file), 'utf8'), file.endsWith('.svelte'))) {
          edges++;
          const why = violation(file, spec);
          if (why) bad.push(`${file} → ${spec}: ${why}`);
        }
      }
    }
    // The walk saw the tree (a broken glob must not pass as "no violations").
    expect(edges).toBeGreaterThan(500);
    expect(bad).toEqual([]);
  });

  it('the rule catches each kind of upward edge it is meant to', () => {
    expect(violation('src-main/engine/process/host.ts', '../../service/validate-engine')).toMatch(/src-main\/engine may not import src-main\/service/);
    expect(violation('src-main/pipeline/x.ts', '../service/store/library-store')).toMatch(/may not import src-main\/service/);
    expect(violation('src-main/cli/index.ts', '../serve/index')).toMatch(/src-main\/cli may not import src-main\/serve/);
    expect(violation('src-shared/api/contract.ts', '../../src-main/engine/trainer')).toMatch(/src-shared may not import/);
    expect(violation('src-shared/prng.ts', 'node:crypto')).toMatch(/pure TypeScript/);
    expect(violation('src-shared/prng.ts', '@tensorflow/tfjs')).toMatch(/pure TypeScript/);
    expect(violation('src-renderer/src/App.svelte', '../../src-main/service/api')).toMatch(/src-renderer may not import src-main\/service/);
    expect(violation('src-renderer/src/lib/x.ts', '../../../src-preload/index')).toMatch(/may not import src-preload/);
    expect(violation('src-renderer/src/lib/x.ts', 'node:fs')).toMatch(/never touches Node/);
    expect(violation('src-renderer/src/lib/x.ts', 'fs')).toMatch(/never touches Node/);
    expect(violation('src-main/engine/trainer.ts', 'electron')).toMatch(/only the desktop shell/);
    // … and lets the allowed ones through.
    expect(violation('src-main/service/api.ts', '../engine/api')).toBeNull();
    expect(violation('src-main/electron/index.ts', 'electron')).toBeNull();
    expect(violation('src-renderer/src/lib/x.ts', '../../../src-shared/api/contract')).toBeNull();
    expect(violation('src-preload/index.ts', 'electron')).toBeNull();
    expect(importsOf("import type { A } from './a';\nexport { b } from '../b';\nconst c = await import('./c');", false)).toEqual(['./a', '../b', './c']);
  });
});
