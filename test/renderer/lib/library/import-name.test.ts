import { describe, expect, it } from 'vitest';
import { importName } from '../../../../src-renderer/src/lib/library/import-name';

describe('importName', () => {
  it('names a one-file import after the file, without .json', () => {
    expect(importName(['007bbfb7.json'])).toBe('007bbfb7');
    expect(importName(['Tasks.JSON'])).toBe('Tasks');
  });

  it('names a several-file import after its first file and how many more there are', () => {
    expect(importName(['arc-agi_training_challenges.json', 'arc-agi_training_solutions.json'])).toBe('arc-agi_training_challenges + 1 more file');
    expect(importName(['a.json', 'b.json', 'c.json'])).toBe('a + 2 more files');
  });

  it('falls back to "import" when there are no names', () => {
    expect(importName([])).toBe('import');
  });
});
