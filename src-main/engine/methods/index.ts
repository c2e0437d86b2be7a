// The methods the engine trains, by run-config name. Adding a method: one file defining its
// MethodDef (see method.ts) and its line here.
import type { RunConfig } from '../../../src-shared/method/run-config';
import { DIS } from './dis';
import type { MethodDef, RecursiveNet } from './method';
import { TRM } from './trm';

const METHODS: Record<RunConfig['method'], MethodDef<RecursiveNet>> = {
  trm: TRM as unknown as MethodDef<RecursiveNet>,
  dis: DIS as unknown as MethodDef<RecursiveNet>,
};

export function methodDef<N extends RecursiveNet = import('../model/trm').TrmNet>(name: string): MethodDef<N> {
  const m = (METHODS as Record<string, MethodDef<RecursiveNet> | undefined>)[name];
  if (!m) throw new Error(`unknown method ${JSON.stringify(name)} (known: ${Object.keys(METHODS).join(', ')})`);
  return m as unknown as MethodDef<N>;
}
