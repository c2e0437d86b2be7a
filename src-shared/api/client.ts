// The typed LabClient every transport hands the UI (and the CLI): one function per LAB_METHODS entry
// over one `call`, so the IPC bridge, the WebSocket client and the in-process client cannot differ
// in which methods they have or in how a failure is thrown (always a LabError, src-shared/api/errors.ts).
import { LAB_METHODS, type LabClient, type LabEvent, type LabMethod } from './contract';
import { fromWire } from './errors';
import type { WireResponse } from './wire';

/** `call` resolves to a method's result or rejects with a LabError. */
export function labClient(call: (method: LabMethod, params: unknown) => Promise<unknown>, subscribe: (listener: (e: LabEvent) => void) => () => void): LabClient {
  const client: Record<string, unknown> = { subscribe };
  for (const method of LAB_METHODS) client[method] = (params?: unknown) => call(method, params);
  return client as unknown as LabClient;
}

/** A wire response's result, or its error rebuilt as the LabError it was. */
export function unwrap(method: LabMethod, r: WireResponse): unknown {
  if (r.ok) return r.result;
  throw fromWire(method, r.error);
}
