import { describe, expect, it } from 'vitest';
import { datasetFields } from '../../../../src-renderer/src/lib/library/dataset-meta';

describe('dataset metadata as fields', () => {
  it('folds a long file list into a count, never raw JSON', () => {
    const files = Array.from({ length: 400 }, (_, i) => `task-${i}.json`);
    const fields = datasetFields({ kind: 'import', taskCount: 400, provenance: JSON.stringify({ files, folder: 'training' }) });
    expect(fields).toEqual([
      { label: 'Source', value: 'imported' },
      { label: 'Tasks', value: '400' },
      { label: 'Files', value: '400 files', list: files },
      { label: 'Folder', value: 'training' },
    ]);
    expect(fields.some((f) => /[{}[\]"]/.test(f.value))).toBe(false);
  });

  it('reads a generated dataset as its parameters', () => {
    const provenance = JSON.stringify({ family: 'recolour', params: { count: 8, minSide: 3, maxSide: 4, difficulty: 2, seed: 5 }, seed: 5 });
    expect(datasetFields({ kind: 'generated', taskCount: 8, provenance }).map((f) => `${f.label}: ${f.value}`)).toEqual([
      'Source: generated',
      'Tasks: 8',
      'Family: recolour',
      'Generated: 8 tasks',
      'Grid sides: 3–4',
      'Difficulty: 2',
      'Seed: 5',
    ]);
  });

  it('names the keys of other provenance in words and nested values without braces', () => {
    const provenance = JSON.stringify({ authorsDataset: '/data/arc', splits: { train: { groups: 2, puzzles: 4 } } });
    expect(datasetFields({ kind: 'import', taskCount: 4, provenance }).slice(2)).toEqual([
      { label: 'Authors dataset', value: '/data/arc' },
      { label: 'Splits', value: 'train groups 2 · puzzles 4' },
    ]);
  });
});
