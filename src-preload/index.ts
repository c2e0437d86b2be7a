// The preload: exposes exactly the lab API on window.puzzleLab — one function per LAB_METHODS
// entry (answering with the wire response; see src-shared/api/bridge.ts) plus subscribe — and
// never ipcRenderer itself. Bundled into one CommonJS file
// by electron-vite (sandboxed preloads can only require 'electron').
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { BRIDGE_NAME, type PuzzleLabBridge } from '../src-shared/api/bridge';
import { LAB_METHODS, type LabEvent, type LabMethod } from '../src-shared/api/contract';
import { IPC_EVENT_CHANNEL, IPC_INVOKE_PREFIX, type WireResponse } from '../src-shared/api/wire';

async function call(method: LabMethod, params: unknown): Promise<WireResponse> {
  try {
    return (await ipcRenderer.invoke(`${IPC_INVOKE_PREFIX}${method}`, params)) as WireResponse;
  } catch (e) {
    // invoke itself failed (e.g. params that cannot be cloned): the same shape as any other failure
    return { id: 0, ok: false, error: { code: 'send', message: `could not send (${e instanceof Error ? e.message : String(e)})` } };
  }
}

const api: Record<string, unknown> = {};
for (const m of LAB_METHODS) api[m] = (params?: unknown) => call(m, params);
api['subscribe'] = (listener: (e: LabEvent) => void) => {
  const handler = (_e: IpcRendererEvent, event: LabEvent) => listener(event);
  ipcRenderer.on(IPC_EVENT_CHANNEL, handler);
  return () => {
    ipcRenderer.removeListener(IPC_EVENT_CHANNEL, handler);
  };
};

contextBridge.exposeInMainWorld(BRIDGE_NAME, api as unknown as PuzzleLabBridge);
