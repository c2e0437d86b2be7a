import { describe, expect, it } from 'vitest';
import { defaultRunConfig } from '../../../../src-shared/method/run-config';
import { formFromConfig } from '../../../../src-renderer/src/lib/runs/clone-form';
import { buildConfig } from '../../../../src-renderer/src/lib/runs/config-build';

describe('run again with changes (formFromConfig)', () => {
  it('keeps an HRM run an HRM run, with its f_H blocks and its own recursion', () => {
    const c = defaultRunConfig('hrm', 'tiny');
    const form = formFromConfig({ ...c, model: { ...c.model, hLayers: 3, T: 3, n: 4 } });
    expect(form.method).toBe('hrm');
    expect(form.hLayers).toBe(3);
    expect(form.hrm).toEqual({ T: 3, n: 4, Nsup: c.model.Nsup });
    const again = buildConfig(form, 'hrm');
    expect(again.method).toBe('hrm');
    expect(again.model).toMatchObject({ hLayers: 3, T: 3, n: 4, Nsup: c.model.Nsup });
  });

  it('keeps a DIS run a DIS run with its recursion, and a TRM run a TRM run', () => {
    for (const method of ['trm', 'dis'] as const) {
      const c = defaultRunConfig(method, 'tiny');
      const form = formFromConfig(c);
      expect(form.method).toBe(method);
      expect(form[method]).toEqual({ T: c.model.T, n: c.model.n, Nsup: c.model.Nsup });
    }
  });
});
