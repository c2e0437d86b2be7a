import { describe, expect, it } from 'vitest';
import { exceedsSize, isLabMethod, PARAM_SCHEMAS, parseParams } from '../../../src-main/service/api-schemas';
import { LAB_METHODS } from '../../../src-shared/api/contract';
import { defaultRunConfig } from '../../../src-shared/method/run-config';

describe('API parameter validation', () => {
  it('has a schema for every API method and knows no others', () => {
    expect(Object.keys(PARAM_SCHEMAS).sort()).toEqual([...LAB_METHODS].sort());
    expect(isLabMethod('listRuns')).toBe(true);
    expect(isLabMethod('constructor')).toBe(false);
    expect(isLabMethod('__proto__')).toBe(false);
  });

  it('names the offending field path of a bad request', () => {
    expect(() => parseParams('getTask', { id: 5 })).toThrow(/getTask: params\.id/);
    expect(() => parseParams('listTasks', { limit: -1 })).toThrow(/params\.limit/);
    expect(() =>
      parseParams('saveTask', { task: { id: 'x', train: [{ input: [[1, 11]], output: [[1]] }], test: [] } }),
    ).toThrow(/params\.task\.train\[0\]\.input\[0\]\[1\]/);
    expect(() => parseParams('saveTask', { task: { id: 'x', train: [{ input: [[1, 1], [1]], output: [[1]] }], test: [] } })).toThrow(
      /same length/,
    );
    const cfg = { ...defaultRunConfig('trm', 'tiny'), batchSize: 0 };
    expect(() => parseParams('queueRuns', { configs: [cfg] })).toThrow(/params\.configs\[0\]\.batchSize/);
  });

  it('rejects unknown fields and accepts well-formed requests', () => {
    expect(() => parseParams('getRun', { id: 'r', extra: 1 })).toThrow(/bad|extra|Invalid/i);
    expect(parseParams('queueRuns', { configs: [defaultRunConfig('dis', 'tiny')], paired: false }).configs).toHaveLength(1);
    expect(parseParams('systemInfo', undefined)).toBeUndefined();
  });

  it('stops measuring a payload as soon as it is too large', () => {
    expect(exceedsSize({ a: 'x'.repeat(100) }, 1000)).toBe(false);
    expect(exceedsSize({ a: ['x'.repeat(600), 'y'.repeat(600)] }, 1000)).toBe(true);
    const cyclic: Record<string, unknown> = {};
    cyclic['self'] = cyclic;
    expect(exceedsSize(cyclic, 10_000)).toBe(true);
  });
});

describe('the one id rule in API requests', () => {
  it.each(['a\u0000b', 'a\nb', 'x\u202Ey', '../../x', '..', 'x'.repeat(150)])('refuses the id %j wherever a request carries one', (id) => {
    expect(() => parseParams('getTask', { id })).toThrow(/getTask: params\.id: id /);
    expect(() => parseParams('controlRun', { id, action: 'pause' })).toThrow(/controlRun: params\.id: id /);
    const task = { id, train: [{ input: [[1]], output: [[1]] }], test: [{ input: [[1]] }] };
    expect(() => parseParams('saveTask', { task })).toThrow(/saveTask: params\.task\.id/);
  });

  it('accepts internal ids and an unnamed draft task', () => {
    expect(parseParams('getTask', { id: 'task-0a1b2c3d4e5f' })).toEqual({ id: 'task-0a1b2c3d4e5f' });
    const draft = { id: '', train: [{ input: [[1]], output: [[1]] }], test: [{ input: [[1]] }] };
    expect(parseParams('previewTargets', { task: draft, dis: defaultRunConfig('dis', 'tiny').dis, Nsup: 2, seed: 1 }).task.id).toBe('');
  });
});
