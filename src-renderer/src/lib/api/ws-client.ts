// The LabClient over the WebSocket of headless `serve` mode (src-shared/api/wire.ts): one socket,
// numbered requests each answered by one response, and pushed events fanned out to subscribers.
// The socket reconnects with exponential backoff; requests made while it is down wait for it, and
// requests that were in flight when it dropped fail with a message that says so (they may or may
// not have run, so they are never re-sent silently).
import { LAB_METHODS, type LabApi, type LabClient, type LabEvent, type LabMethod } from '../../../../src-shared/api/contract';
import type { ServerMessage, WireRequest } from '../../../../src-shared/api/wire';

export type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'closed';

/** The part of the browser WebSocket the client uses, so tests can hand in a double. */
export interface SocketLike {
  readyState: number;
  send(data: string): void;
  close(): void;
  onopen: ((ev: unknown) => void) | null;
  onclose: ((ev: { code?: number; reason?: string }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
}

export interface WsClientOptions {
  url: string;
  createSocket?: (url: string) => SocketLike;
  /** first reconnect delay; doubles per failed attempt up to maxDelayMs */
  baseDelayMs?: number;
  maxDelayMs?: number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  onState?: (state: ConnectionState, detail: string) => void;
}

export class LabRequestError extends Error {
  constructor(
    readonly method: LabMethod,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'LabRequestError';
  }
}

interface Pending {
  method: LabMethod;
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
}

const OPEN = 1;

export interface WsLabClient extends LabClient {
  close(): void;
  readonly state: ConnectionState;
}

export function createWsClient(opts: WsClientOptions): WsLabClient {
  const createSocket = opts.createSocket ?? ((url: string) => new WebSocket(url) as unknown as SocketLike);
  const baseDelay = opts.baseDelayMs ?? 300;
  const maxDelay = opts.maxDelayMs ?? 10_000;
  const setTimer = opts.setTimer ?? ((fn: () => void, ms: number) => setTimeout(fn, ms));
  const listeners = new Set<(e: LabEvent) => void>();
  const inFlight = new Map<number, Pending>();
  let waiting: Array<{ req: WireRequest; pending: Pending }> = [];
  let nextId = 1;
  let attempts = 0;
  let closedByUser = false;
  let state: ConnectionState = 'connecting';
  let socket: SocketLike;

  const setState = (s: ConnectionState, detail: string) => {
    state = s;
    opts.onState?.(s, detail);
  };

  function connect(): void {
    socket = createSocket(opts.url);
    socket.onopen = () => {
      attempts = 0;
      setState('open', 'connected');
      const queued = waiting;
      waiting = [];
      for (const { req, pending } of queued) send(req, pending);
    };
    socket.onmessage = (ev) => onMessage(ev.data);
    socket.onerror = () => {
      /* onclose follows and handles it */
    };
    socket.onclose = (ev) => {
      for (const [id, p] of inFlight) {
        p.reject(new LabRequestError(p.method, 'disconnected', `${p.method}: the connection to the lab service was lost before it answered`));
        inFlight.delete(id);
      }
      if (closedByUser) {
        setState('closed', 'closed');
        return;
      }
      const delay = Math.min(maxDelay, baseDelay * 2 ** attempts);
      attempts++;
      const why = ev.code === 1008 || ev.code === 4001 ? 'refused (check the ?token= in the address)' : 'lost';
      setState('reconnecting', `connection ${why}; retrying in ${(delay / 1000).toFixed(1)} s`);
      setTimer(connect, delay);
    };
  }

  function send(req: WireRequest, pending: Pending): void {
    if (socket.readyState !== OPEN) {
      waiting.push({ req, pending });
      return;
    }
    inFlight.set(req.id, pending);
    try {
      socket.send(JSON.stringify(req));
    } catch (e) {
      inFlight.delete(req.id);
      pending.reject(new LabRequestError(req.method, 'send', `${req.method}: could not send (${(e as Error).message})`));
    }
  }

  function onMessage(data: unknown): void {
    if (typeof data !== 'string') return;
    let msg: ServerMessage;
    try {
      msg = JSON.parse(data) as ServerMessage;
    } catch {
      console.error('lab: unreadable message from the service', data.slice(0, 200));
      return;
    }
    if ('event' in msg) {
      for (const l of listeners) {
        try {
          l(msg.event);
        } catch (e) {
          console.error('lab: event listener failed', e);
        }
      }
      return;
    }
    const p = inFlight.get(msg.id);
    if (!p) return;
    inFlight.delete(msg.id);
    if (msg.ok) p.resolve(msg.result);
    else {
      // the service's own validation messages already start with the method; name it once
      const m = msg.error.message;
      p.reject(new LabRequestError(p.method, msg.error.code, m.startsWith(`${p.method}: `) ? m : `${p.method}: ${m}`));
    }
  }

  const client = {
    subscribe(listener: (e: LabEvent) => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close(): void {
      closedByUser = true;
      socket.close();
    },
    get state() {
      return state;
    },
  } as WsLabClient;
  for (const method of LAB_METHODS) {
    (client as unknown as Record<string, unknown>)[method] = (params?: unknown) =>
      new Promise((resolve, reject) => {
        const req: WireRequest = params === undefined ? { id: nextId++, method } : { id: nextId++, method, params };
        send(req, { method, resolve, reject });
      });
  }
  connect();
  return client satisfies LabApi;
}

/** ws(s)://<host>/api, with the page's ?token= when it has one (otherwise the auth cookie carries it). */
export function serviceUrl(loc: { protocol: string; host: string; search: string }, path: string): string {
  const token = new URLSearchParams(loc.search).get('token');
  const scheme = loc.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${loc.host}${path}${token ? `?token=${encodeURIComponent(token)}` : ''}`;
}
