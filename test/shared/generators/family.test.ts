import { describe, expect, it } from 'vitest';
import { taskId, validateFamilyParams } from '../../../src-shared/generators/family';

const ok = { count: 3, minSide: 3, maxSide: 6, difficulty: 2, seed: 5 };

describe('validateFamilyParams', () => {
  it('accepts sound parameters and defaults trainPairs to 3', () => {
    expect(validateFamilyParams('x', ok)).toEqual({ trainPairs: 3 });
    expect(validateFamilyParams('x', { ...ok, trainPairs: 5 })).toEqual({ trainPairs: 5 });
  });

  it.each([
    [{ ...ok, minSide: 7, maxSide: 5 }, 'minSide (7) is greater than maxSide (5)'],
    [{ ...ok, count: 0 }, 'count must be an integer in 1..'],
    [{ ...ok, count: 2.5 }, 'count must be an integer'],
    [{ ...ok, minSide: 0 }, 'minSide must be an integer in 1..30, got 0'],
    [{ ...ok, maxSide: 31 }, 'maxSide must be an integer in 1..30, got 31'],
    [{ ...ok, difficulty: 6 }, 'difficulty must be an integer in 1..5, got 6'],
    [{ ...ok, seed: Number.NaN }, 'seed must be an integer'],
    [{ ...ok, trainPairs: 0 }, 'trainPairs must be an integer in 1..'],
  ])('rejects %o with a message naming the family and the parameter', (params, message) => {
    expect(() => validateFamilyParams('gravity', params)).toThrow(`puzzle family "gravity": ${message}`);
  });
});

describe('taskId', () => {
  it('names a task by family, seed and index', () => {
    expect(taskId('gravity', 12, 3)).toBe('gravity-s12-3');
  });
});
