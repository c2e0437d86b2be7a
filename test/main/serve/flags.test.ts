import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../../..');
const serve = (...argv: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'src-main/serve/index.ts', ...argv], { cwd: root, encoding: 'utf8' });

describe('npm run serve flags (the project’s one argument parser)', () => {
  it('prints a generated --help and refuses a bad flag or value by name, before starting anything', () => {
    const help = serve('--help');
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/Usage: npm run serve -- \[options\]/);
    expect(help.stdout).toMatch(/--on-engine-crash <string>\s+what a crashed engine process does to its run \(fail \| resume\)/);
    const bad = serve('--prot', '80');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/npm run serve --: unknown flag --prot \(did you mean --port\?\)/);
    const value = serve('--concurrency', 'many');
    expect(value.status).toBe(2);
    expect(value.stderr).toMatch(/--concurrency needs an integer, got "many"/);
  });
});
