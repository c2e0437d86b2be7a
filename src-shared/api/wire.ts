// The wire format of the API over the WebSocket of headless `serve` mode (Electron IPC carries the
// same request/response objects over ipcRenderer.invoke, and events over one 'lab:event' channel).
//
// Auth (serve mode): the server prints http://127.0.0.1:PORT/?token=TOKEN. Loading that page sets
// an HttpOnly, SameSite=Strict cookie; every HTTP request and the WebSocket upgrade at /api must
// carry the token (cookie, `?token=` or `Authorization: Bearer`), a Host of 127.0.0.1/localhost:PORT,
// and, when present, an Origin of the same host. Anything else gets 401/403.
import type { LabEvent, LabMethod } from './contract';
import type { WireError } from './errors';

export const WS_PATH = '/api';
export const IPC_INVOKE_PREFIX = 'lab:'; // ipcMain.handle('lab:<method>')
export const IPC_EVENT_CHANNEL = 'lab:event';
/** Largest accepted request (imports of a few ARC files fit; the 4 MB ARC-AGI-2 file + solutions too). */
export const MAX_REQUEST_BYTES = 32 * 1024 * 1024;

export interface WireRequest {
  id: number;
  method: LabMethod;
  params?: unknown;
}

export type WireResponse =
  | { id: number; ok: true; result: unknown }
  | { id: number; ok: false; error: WireError };

export interface WireEvent {
  event: LabEvent;
}

export type ServerMessage = WireResponse | WireEvent;
