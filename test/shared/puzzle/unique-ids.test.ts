import { describe, expect, it } from 'vitest';
import { uniqueIds, withUniqueIds } from '../../../src-shared/puzzle/unique-ids';

describe('the one rule for repeated task ids in a run', () => {
  it('gives the n-th repeat of an id the suffix ~n and leaves first occurrences alone', () => {
    expect(uniqueIds(['a', 'b', 'a', 'a'])).toEqual(['a', 'b', 'a~2', 'a~3']);
    const t = (id: string, v: number) => ({ id, v });
    const tasks = [t('a', 1), t('a', 2)];
    const out = withUniqueIds(tasks);
    expect(out).toEqual([t('a', 1), t('a~2', 2)]);
    expect(out[0]).toBe(tasks[0]);
  });
});
