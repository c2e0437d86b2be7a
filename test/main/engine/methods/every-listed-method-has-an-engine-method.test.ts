import { describe, expect, it } from 'vitest';
import { methodDef } from '../../../../src-main/engine/methods/index';
import { isMethod, METHOD_INFO, METHODS } from '../../../../src-shared/method/methods';
import { defaultRunConfig, parseRunConfig, PRESETS } from '../../../../src-shared/method/run-config';

describe('the method list of src-shared/method/methods.ts', () => {
  it('names TRM, DIS and HRM, each with an engine method of that name and valid defaults at every preset', () => {
    expect([...METHODS]).toEqual(['trm', 'dis', 'hrm']);
    for (const m of METHODS) {
      expect(methodDef(m).name).toBe(m);
      expect(METHOD_INFO[m].label).toBe(m.toUpperCase());
      for (const p of PRESETS) expect(parseRunConfig(defaultRunConfig(m, p)).method).toBe(m);
    }
    expect(isMethod('hrm')).toBe(true);
    expect(isMethod('HRM')).toBe(false);
  });

  it('refuses the fields that belong to another method, naming the field', () => {
    const trm = defaultRunConfig('trm', 'tiny');
    expect(() => parseRunConfig({ ...trm, model: { ...trm.model, hLayers: 2 } })).toThrow(/model\.hLayers: TRM has one shared network/);
    const hrm = defaultRunConfig('hrm', 'tiny');
    const { hLayers: _dropped, ...noH } = hrm.model;
    expect(() => parseRunConfig({ ...hrm, model: noH })).toThrow(/model\.hLayers: HRM needs/);
    expect(() => parseRunConfig({ ...hrm, model: { ...hrm.model, posEncodings: 'none' } })).toThrow(/model\.posEncodings/);
    expect(() => parseRunConfig({ ...hrm, method: 'xrm' })).toThrow(/invalid run config at method/);
  });
});
