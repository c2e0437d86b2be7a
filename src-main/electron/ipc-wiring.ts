// The API over Electron IPC: one `ipcMain.handle('lab:<method>')` per LAB_METHODS entry, each
// checking that the sending frame is our renderer and validating its params with the same schemas
// as the WebSocket (dispatch.ts). Takes an ipcMain-like object so it is tested with fakes.
import { LAB_METHODS, type LabEvent, type LabHandlers } from '../../src-shared/api/contract';
import { IPC_EVENT_CHANNEL, IPC_INVOKE_PREFIX, type WireResponse } from '../../src-shared/api/wire';
import { respond } from '../service/dispatch';

export interface IpcEventLike {
  senderFrame: { url: string } | null;
}

export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcEventLike, ...args: unknown[]) => Promise<unknown> | unknown): void;
  removeHandler(channel: string): void;
}

export const IPC_CHANNELS: readonly string[] = LAB_METHODS.map((m) => `${IPC_INVOKE_PREFIX}${m}`);

/** Registers every handler; returns a function that removes them again. */
export function wireIpc(ipcMain: IpcMainLike, api: LabHandlers, isTrusted: (frameUrl: string | undefined) => boolean): () => void {
  for (const method of LAB_METHODS) {
    ipcMain.handle(`${IPC_INVOKE_PREFIX}${method}`, async (event, ...args): Promise<WireResponse> => {
      if (!isTrusted(event.senderFrame?.url)) {
        return { id: 0, ok: false, error: { code: 'bad-request', message: `${method}: refused, the request does not come from the lab's own page` } };
      }
      if (args.length > 1) {
        return { id: 0, ok: false, error: { code: 'bad-request', message: `${method}: takes one params object, got ${args.length} arguments` } };
      }
      return respond(api, 0, method, args[0]);
    });
  }
  return () => {
    for (const c of IPC_CHANNELS) ipcMain.removeHandler(c);
  };
}

/** Pushes every service event to the windows, on the one event channel. */
export function forwardEvents(
  subscribe: (l: (e: LabEvent) => void) => () => void,
  targets: () => Array<{ send(channel: string, e: LabEvent): void; isDestroyed(): boolean }>,
): () => void {
  return subscribe((e) => {
    for (const t of targets()) if (!t.isDestroyed()) t.send(IPC_EVENT_CHANNEL, e);
  });
}
