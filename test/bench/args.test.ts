import { describe, expect, it } from 'vitest';
import { parseArgs, spec } from '../../bench/args';
import { formatHelp } from '../../src-main/command-line/args';

describe('npm run bench flags (the project’s one argument parser)', () => {
  it('keeps every flag: --quick/--full, --backend and --only lists in both spellings, --out', () => {
    expect(parseArgs([])).toMatchObject({ level: 'quick', explicitBackends: false, out: 'bench/results', help: false });
    const a = parseArgs(['--full', '--backend', 'wasm,cpu', '--only=matrix,leak', '--out', 'x']);
    expect(a).toMatchObject({ level: 'full', backends: ['wasm', 'cpu'], explicitBackends: true, sections: ['matrix', 'leak'], out: 'x' });
    expect(parseArgs(['--backend=webgpu']).backends).toEqual(['webgpu']);
    expect(parseArgs(['-h']).help).toBe(true);
  });

  it('names the flag and the bad value in every error', () => {
    expect(() => parseArgs(['--backend', 'metal'])).toThrow('npm run bench --: --backend: unknown backend metal (one of wasm, cpu, tensorflow, tensorflow-gpu, webgpu)');
    expect(() => parseArgs(['--only', 'matrix,speed'])).toThrow(/--only: unknown section speed/);
    expect(() => parseArgs(['--backnd', 'cpu'])).toThrow(/unknown flag --backnd \(did you mean --backend\?\)/);
    expect(() => parseArgs(['--out'])).toThrow(/--out needs a value/);
    expect(() => parseArgs(['--quick', '--full'])).toThrow(/--quick and --full exclude each other/);
  });

  it('generates its --help from the declared flags', () => {
    const h = formatHelp(spec);
    expect(h).toContain('Usage: npm run bench -- [options]');
    expect(h).toMatch(/--backend <a,b>\s+backends to run/);
    expect(h).toMatch(/--only <s1,s2>/);
  });
});
