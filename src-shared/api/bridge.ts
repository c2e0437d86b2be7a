// What the desktop app's preload puts on `window`: the typed LabClient and nothing else. In serve
// mode the property is absent and the renderer uses the WebSocket client instead.
import type { LabClient } from './contract';

export const BRIDGE_NAME = 'puzzleLab';

// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- a named type for the bridge
export interface PuzzleLabBridge extends LabClient {}

declare global {
  interface Window {
    puzzleLab?: PuzzleLabBridge;
  }
}
