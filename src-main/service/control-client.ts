// The client end of a running lab's control channel (control-channel.ts): a LabClient over the
// lab's owner-only socket or pipe, the same typed client the UI gets over IPC or the WebSocket
// (labClient), failures thrown as the one LabError.
import { readFile } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { labClient, unwrap } from '../../src-shared/api/client';
import type { LabClient, LabEvent, LabMethod } from '../../src-shared/api/contract';
import { LabError } from '../../src-shared/api/errors';
import type { ServerMessage, WireResponse } from '../../src-shared/api/wire';
import { controlEndpoint, controlTokenFile, MAX_LINE_BYTES } from './control-channel';

export interface ControlConnection {
  api: LabClient;
  /** the pid of the process that holds the lab */
  pid: number;
  /** lets the lab read a file or folder this process's user named (as a pick in the app's dialog) */
  grant(p: string): Promise<void>;
  /** resolves (with why) when the lab ends the connection: it closed, or its process is gone */
  lost: Promise<string>;
  close(): void;
}

/** Why a lab's control channel could not be reached (no endpoint, no token file, refused). */
export class ControlUnreachable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ControlUnreachable';
  }
}

/**
 * Connects to the lab holding `dataDir` and authenticates with the token it wrote there (`token`
 * overrides it: tests of a refusal).
 */
export async function connectControl(dataDir: string, o: { token?: string } = {}): Promise<ControlConnection> {
  const endpoint = controlEndpoint(dataDir);
  let token = o.token;
  if (token === undefined) {
    try {
      token = (await readFile(controlTokenFile(dataDir), 'utf8')).trim();
    } catch (e) {
      throw new ControlUnreachable(`cannot read ${controlTokenFile(dataDir)} (${(e as Error).message})`);
    }
  }
  const socket: Socket = await new Promise((resolve, reject) => {
    const s = connect(endpoint);
    s.once('connect', () => {
      s.off('error', reject);
      resolve(s);
    });
    s.once('error', (e) => reject(new ControlUnreachable(`cannot connect to ${endpoint} (${e.message})`)));
  });

  let nextId = 1;
  const pending = new Map<number, { method: string; resolve: (r: WireResponse) => void }>();
  const listeners = new Set<(e: LabEvent) => void>();
  let closedWhy: string | null = null;
  let byClient = false;
  let markLost!: (why: string) => void;
  const lost = new Promise<string>((resolve) => (markLost = resolve));
  let buffered = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    buffered += chunk;
    if (buffered.length > 2 * MAX_LINE_BYTES) {
      socket.destroy(new Error('the lab sent a message larger than the channel allows'));
      return;
    }
    for (let nl = buffered.indexOf('\n'); nl !== -1; nl = buffered.indexOf('\n')) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      let m: ServerMessage;
      try {
        m = JSON.parse(line) as ServerMessage;
      } catch {
        continue;
      }
      if ('event' in m) {
        for (const l of listeners) l(m.event);
        continue;
      }
      // a refused message without a usable id (-1) answers the oldest request
      const key = m.id === -1 ? pending.keys().next().value : m.id;
      const p = key === undefined ? undefined : pending.get(key);
      if (p === undefined || key === undefined) continue;
      pending.delete(key);
      p.resolve(m);
    }
  });
  const fail = (why: string): void => {
    closedWhy ??= why;
    if (!byClient) markLost(why);
    for (const [id, p] of pending) {
      pending.delete(id);
      p.resolve({ id, ok: false, error: { code: 'disconnected', message: `the lab's control channel closed (${why})` } });
    }
  };
  socket.on('error', (e) => fail(e.message));
  socket.on('close', () => fail('connection closed'));

  const send = (method: string, frame: Record<string, unknown>): Promise<WireResponse> => {
    if (closedWhy !== null) return Promise.resolve({ id: 0, ok: false, error: { code: 'disconnected', message: `the lab's control channel closed (${closedWhy})` } });
    const id = nextId++;
    return new Promise((resolve) => {
      pending.set(id, { method, resolve });
      socket.write(`${JSON.stringify({ id, ...frame })}\n`);
    });
  };

  const hello = await send('control', { token });
  if (!hello.ok) {
    socket.destroy();
    throw new LabError(hello.error.code, hello.error.message, hello.error.where);
  }
  const pid = (hello.result as { pid: number }).pid;
  const api = labClient(
    async (method: LabMethod, params: unknown) => unwrap(method, await send(method, params === undefined ? { method } : { method, params })),
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  );
  return {
    api,
    pid,
    async grant(p: string) {
      const r = await send('grant', { grant: p });
      if (!r.ok) throw new LabError(r.error.code, `grant: ${r.error.message}`, r.error.where);
    },
    lost,
    close() {
      byClient = true;
      closedWhy ??= 'closed by the client';
      socket.end();
    },
  };
}
