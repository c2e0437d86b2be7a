// The malformed-file corpus: every defect yields one specific error naming where and what, never a crash.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PuzzleFormatError } from '../../../src-shared/puzzle/errors';
import { importFiles } from '../../../src-shared/puzzle/formats';

const DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/malformed');

interface Case {
  files: string[];
  contains: [location: string, detail: string];
  /** Ids of the good tasks that load despite the defect. */
  loads: string[];
}

const CASES = JSON.parse(readFileSync(path.join(DIR, 'expected.json'), 'utf8')) as Case[];

function load(c: Case) {
  return importFiles(c.files.map((name) => ({ name, content: readFileSync(path.join(DIR, name), 'utf8') })));
}

function listFixtures(dir: string, prefix = ''): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const rel = prefix === '' ? entry : `${prefix}/${entry}`;
    return statSync(path.join(dir, entry)).isDirectory() ? listFixtures(path.join(dir, entry), rel) : [rel];
  });
}

describe('the malformed-file corpus', () => {
  it('has at least 40 cases and every fixture file belongs to exactly one case', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(40);
    const used = CASES.flatMap((c) => c.files).sort();
    const present = listFixtures(DIR).filter((f) => f !== 'expected.json').sort();
    expect(used).toEqual(present);
  });

  it.each(CASES.map((c) => [c.files.join(' + '), c] as const))('%s gives one error naming its location and defect', (_, c) => {
    const result = load(c);
    expect(result.errors).toHaveLength(1);
    const error = result.errors[0]!;
    expect(error).toBeInstanceOf(PuzzleFormatError);
    const [location, detail] = c.contains;
    expect(error.message).toContain(location);
    expect(error.message).toContain(detail);
    expect(error.message.startsWith(location)).toBe(true);
  });

  it('gives a different message and a different defect description for every case', () => {
    const errors = CASES.map((c) => load(c).errors[0]!);
    expect(new Set(errors.map((e) => e.message)).size).toBe(CASES.length);
    expect(new Set(errors.map((e) => e.detail)).size).toBe(CASES.length);
  });

  it.each(CASES.filter((c) => c.loads.length > 0).map((c) => [c.files[0], c] as const))(
    '%s still loads its good tasks beside the bad one',
    (_, c) => {
      expect(load(c).tasks.map((t) => t.id)).toEqual(c.loads);
    },
  );

  it('loads nothing from a case whose only task is bad', () => {
    for (const c of CASES.filter((k) => k.loads.length === 0)) expect(load(c).tasks, c.files.join(' + ')).toEqual([]);
  });
});
