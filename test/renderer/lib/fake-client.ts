// A LabClient for component tests: records every call and answers from a table of handlers.
// Unhandled methods reject, so a component calling something unexpected fails loudly.
import type { LabClient, LabEvent, LabMethod, ParamsOf, ResultOf } from '../../../src-shared/api/contract';

/** Handlers stand in for the service, so they get what a handler gets: the validated parameters. */
export type Handlers = { [K in LabMethod]?: (q: ParamsOf<K>) => ResultOf<K> };

export function fakeClient(handlers: Handlers): LabClient & { calls: Array<{ method: string; params: unknown }>; emit(e: LabEvent): void } {
  const calls: Array<{ method: string; params: unknown }> = [];
  const listeners = new Set<(e: LabEvent) => void>();
  return new Proxy({} as LabClient & { calls: typeof calls; emit(e: LabEvent): void }, {
    get(_t, prop: string) {
      if (prop === 'calls') return calls;
      if (prop === 'subscribe')
        return (l: (e: LabEvent) => void) => {
          listeners.add(l);
          return () => listeners.delete(l);
        };
      if (prop === 'emit') return (e: LabEvent) => listeners.forEach((l) => l(e));
      if (prop === 'then') return undefined;
      return (params: unknown) => {
        calls.push({ method: prop, params });
        const h = (handlers as Record<string, ((p: unknown) => unknown) | undefined>)[prop];
        if (!h) return Promise.reject(new Error(`${prop}: not expected in this test`));
        try {
          return Promise.resolve(h(params));
        } catch (e) {
          return Promise.reject(e);
        }
      };
    },
  });
}
