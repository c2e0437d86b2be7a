import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { AnswerGridSchema, GridSchema, TaskSchema } from '../../../src-shared/puzzle/schema';

describe('the one grid and task schema', () => {
  it('takes 1..30 rectangular rows of colours 0..9 as a grid, and also the empty 0×0 crop as a model’s answer', () => {
    expect(v.is(GridSchema, [[1, 2], [3, 4]])).toBe(true);
    expect(v.is(GridSchema, [])).toBe(false);
    expect(v.is(GridSchema, [[1], [1, 2]])).toBe(false);
    expect(v.is(GridSchema, [[10]])).toBe(false);
    expect(v.is(AnswerGridSchema, [])).toBe(true);
    expect(v.is(AnswerGridSchema, [[9, 0]])).toBe(true);
    expect(v.is(AnswerGridSchema, [[10]])).toBe(false);
  });

  it('leaves an unknown test output absent (not an undefined key) and refuses unknown fields', () => {
    const t = v.parse(TaskSchema, { id: 'a', train: [], test: [{ input: [[1]], output: undefined }] });
    expect(Object.keys(t.test[0]!)).toEqual(['input']);
    expect(v.is(TaskSchema, { id: 'a', train: [], test: [], extra: 1 })).toBe(false);
  });
});
