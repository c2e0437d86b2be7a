// What the desktop app's preload puts on `window`: one function per LAB_METHODS entry, each
// answering with the plain wire response, plus subscribe; nothing else. contextBridge copies only
// an Error's message across the isolation boundary, so the preload never throws: the renderer's
// client rebuilds the LabError (code, message, where) with unwrap() (src-shared/api/client.ts), the
// same way the WebSocket client does. In serve mode the property is absent and the renderer uses
// the WebSocket client instead.
import type { LabEvent, LabMethod } from './contract';
import type { WireResponse } from './wire';

export const BRIDGE_NAME = 'puzzleLab';

export type PuzzleLabBridge = { [M in LabMethod]: (params?: unknown) => Promise<WireResponse> } & {
  subscribe(listener: (e: LabEvent) => void): () => void;
};

declare global {
  interface Window {
    puzzleLab?: PuzzleLabBridge;
  }
}
