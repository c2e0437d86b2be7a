// Both transports of the desktop app and serve mode hand the UI the same LabError: the service's
// wire response (what dispatch's respond() sends; test/main/service/validate-request.test.ts checks
// the service side) goes once through the preload bridge's client and once through the WebSocket client.
import { describe, expect, it } from 'vitest';
import type { PuzzleLabBridge } from '../../../../src-shared/api/bridge';
import { LAB_METHODS, type LabClient } from '../../../../src-shared/api/contract';
import { badRequest, LabError, notFound, toWireError } from '../../../../src-shared/api/errors';
import type { WireResponse } from '../../../../src-shared/api/wire';
import { bridgeClient } from '../../../../src-renderer/src/lib/api/client';
import { createWsClient, type SocketLike } from '../../../../src-renderer/src/lib/api/ws-client';

const badCell = { field: 'params.task.train[0].input[0][1]', taskId: 'abc', pair: 'train[0].input', cell: [0, 1] as [number, number] };

/** The service's answers: saveTask refuses a bad cell, getRun a missing run (as wire responses). */
async function respond(_service: unknown, id: number, method: string, params: unknown): Promise<WireResponse> {
  const e =
    method === 'saveTask'
      ? badRequest('saveTask: params.task.train[0].input[0][1]: Invalid value: Expected <=9 but received 12', badCell)
      : notFound(`no run with id ${(params as { id: string }).id}`);
  return { id, ok: false, error: toWireError(e) };
}
const service = null;

/** The desktop app: the preload answers every method with the service's wire response (no throw). */
function overIpc(): LabClient {
  let n = 0;
  const bridge: Record<string, unknown> = { subscribe: () => () => {} };
  for (const m of LAB_METHODS) bridge[m] = (params?: unknown) => respond(service, ++n, m, params);
  return bridgeClient(bridge as PuzzleLabBridge);
}

/** Serve mode: a socket double that answers each request with the service's wire response. */
function overWebSocket(): LabClient {
  return createWsClient({
    url: 'ws://h/api',
    createSocket: () => {
      const s: SocketLike = {
        readyState: 0,
        onopen: null,
        onclose: null,
        onerror: null,
        onmessage: null,
        send(data: string) {
          const req = JSON.parse(data) as { id: number; method: string; params?: unknown };
          void respond(service, req.id, req.method, req.params).then((r: WireResponse) => s.onmessage?.({ data: JSON.stringify(r) }));
        },
        close() {},
      };
      queueMicrotask(() => {
        s.readyState = 1;
        s.onopen?.({});
      });
      return s;
    },
  });
}

async function failure(p: Promise<unknown>): Promise<LabError> {
  const e = await p.then(
    () => null,
    (x: unknown) => x,
  );
  if (!(e instanceof LabError)) throw new Error(`expected a LabError, got ${String(e)}`);
  return e;
}

describe('one error shape from both transports', () => {
  it('throws the same LabError (code, message, where) for a bad request over IPC and over the WebSocket', async () => {
    const task = { id: 'abc', train: [{ input: [[1, 12]], output: [[1]] }], test: [] };
    const [ipc, ws] = [await failure(overIpc().saveTask({ task })), await failure(overWebSocket().saveTask({ task }))];
    for (const e of [ipc, ws]) {
      expect(e.code).toBe('bad-request');
      expect(e.message).toMatch(/^saveTask: params\.task\.train\[0\]\.input\[0\]\[1\]: /);
      expect(e.where).toEqual(badCell);
    }
    expect({ ...ipc, message: ipc.message }).toEqual({ ...ws, message: ws.message });
  });

  it('throws the same LabError for a service error over both', async () => {
    const [ipc, ws] = [await failure(overIpc().getRun({ id: 'r9' })), await failure(overWebSocket().getRun({ id: 'r9' }))];
    for (const e of [ipc, ws]) {
      expect(e.code).toBe('not-found');
      expect(e.message).toBe('getRun: no run with id r9');
      expect(e.where).toBeUndefined();
    }
  });
});
