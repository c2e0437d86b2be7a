// The one entry point of both transports (serve WebSocket, Electron IPC): method name and params in,
// result or a coded error out. Nothing reaches the service unvalidated.
import type { LabHandlers } from '../../src-shared/api/contract';
import { MAX_REQUEST_BYTES, type WireResponse } from '../../src-shared/api/wire';
import { exceedsSize, isLabMethod, parseParams } from './validate-request';
import { badRequest, toWireError } from './errors';

export async function dispatch(api: LabHandlers, method: unknown, params: unknown): Promise<unknown> {
  if (!isLabMethod(method)) {
    const name = typeof method === 'string' ? JSON.stringify(method.slice(0, 50)) : typeof method;
    throw badRequest(`unknown method ${name}`);
  }
  const p = parseParams(method, params);
  const fn = api[method] as (p: unknown) => Promise<unknown>;
  return fn.call(api, p);
}

/** dispatch() as a wire response (for IPC, whose rejections would lose the error code). */
export async function respond(api: LabHandlers, id: number, method: unknown, params: unknown): Promise<WireResponse> {
  try {
    if (exceedsSize(params, MAX_REQUEST_BYTES)) throw badRequest(`request larger than ${MAX_REQUEST_BYTES} bytes`);
    return { id, ok: true, result: await dispatch(api, method, params) };
  } catch (e) {
    return { id, ok: false, error: toWireError(e) };
  }
}
