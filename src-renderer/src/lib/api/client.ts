// The one LabClient the UI talks to: the Electron preload bridge when the page runs in the desktop
// app, otherwise the serve-mode WebSocket of the host that served the page.
import type { PuzzleLabBridge } from '../../../../src-shared/api/bridge';
import { labClient, unwrap } from '../../../../src-shared/api/client';
import type { LabClient } from '../../../../src-shared/api/contract';
import { WS_PATH } from '../../../../src-shared/api/wire';
import { connection } from '../stores/connection.svelte';
import { createWsClient, serviceUrl } from './ws-client';

let client: LabClient | null = null;

/** The preload exposes `window.puzzleLab` (src-preload); read it untyped so this file does not depend on its declaration. */
function bridge(): PuzzleLabBridge | undefined {
  return (globalThis as { puzzleLab?: PuzzleLabBridge }).puzzleLab;
}

/** The LabClient over the preload bridge: failures thrown as the same LabError the WebSocket client throws. */
export function bridgeClient(b: PuzzleLabBridge): LabClient {
  return labClient(async (method, params) => unwrap(method, await b[method](params)), (listener) => b.subscribe(listener));
}

export function getClient(): LabClient {
  if (client) return client;
  const b = bridge();
  if (b) {
    connection.set('open', 'desktop app');
    client = bridgeClient(b);
    return client;
  }
  client = createWsClient({
    url: serviceUrl(location, WS_PATH),
    onState: (s, detail) => connection.set(s, detail),
  });
  return client;
}

/** For component tests: use this client instead of the real one. */
export function setClient(c: LabClient | null): void {
  client = c;
}
