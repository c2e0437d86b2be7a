// The engine process's line to its parent, the same code for both ways it is started:
// Electron's utilityProcess (process.parentPort) and Node's child_process.fork (process.send).
import type { EngineMessage } from './messages';

interface ParentPortLike {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (e: { data: unknown }) => void): void;
}

export interface ParentChannel {
  kind: 'utility' | 'fork';
  send(message: EngineMessage): void;
  onMessage(listener: (data: unknown) => void): void;
  /** the parent went away (its end of the channel closed) */
  onGone(listener: () => void): void;
}

export function openParentChannel(): ParentChannel {
  const port = (process as unknown as { parentPort?: ParentPortLike }).parentPort;
  if (port !== undefined) {
    return {
      kind: 'utility',
      send: (m) => port.postMessage(m),
      onMessage: (l) => port.on('message', (e) => l(e.data)),
      // Electron kills utility processes together with the app; nothing to watch.
      onGone: () => {},
    };
  }
  const send = process.send?.bind(process);
  if (send === undefined) {
    throw new Error('the engine process must be started by the lab service (no parent channel: not forked, not a utilityProcess)');
  }
  return {
    kind: 'fork',
    send: (m) => {
      if (process.connected) send(m);
    },
    onMessage: (l) => process.on('message', l),
    onGone: (l) => process.on('disconnect', l),
  };
}
