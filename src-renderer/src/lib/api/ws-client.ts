// The LabClient over the WebSocket of headless `serve` mode (src-shared/api/wire.ts): one socket,
// numbered requests each answered by one response, and pushed events fanned out to subscribers.
// The socket reconnects with exponential backoff; requests made while it is down wait for it, and
// requests that were in flight when it dropped fail with a message that says so (they may or may
// not have run, so they are never re-sent silently). Every request settles: a request too large for
// the service is refused here with the limit, and one without an answer in time fails with a message
// (generous for methods that do real work: imports, inference, adaptation).
import { labClient } from '../../../../src-shared/api/client';
import type { LabClient, LabEvent, LabMethod } from '../../../../src-shared/api/contract';
import { fromWire, LabError } from '../../../../src-shared/api/errors';
import { MAX_REQUEST_BYTES, type ServerMessage, type WireRequest } from '../../../../src-shared/api/wire';

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
  clearTimer?: (handle: unknown) => void;
  onState?: (state: ConnectionState, detail: string) => void;
  /** how long a request may wait for its answer (default 60 s; SLOW_METHODS get slowTimeoutMs) */
  timeoutMs?: number;
  slowTimeoutMs?: number;
}

/** Methods that do real work on the service (minutes on a slow machine), with a longer timeout. */
const SLOW_METHODS: ReadonlySet<LabMethod> = new Set<LabMethod>(['importFiles', 'exportTasks', 'generateTasks', 'infer', 'classifyTask', 'adapt', 'explainVotes', 'evaluateCheckpoint', 'previewTargets', 'queueRuns']);

/** UTF-8 size of a string, computed only when it could be over the limit. */
function overLimit(data: string): boolean {
  if (data.length > MAX_REQUEST_BYTES) return true;
  if (data.length * 3 <= MAX_REQUEST_BYTES) return false;
  return new TextEncoder().encode(data).length > MAX_REQUEST_BYTES;
}

interface Pending {
  method: LabMethod;
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
  timer?: unknown;
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
  const clearTimer = opts.clearTimer ?? ((h: unknown) => clearTimeout(h as ReturnType<typeof setTimeout>));
  const timeoutMs = opts.timeoutMs ?? 60_000;
  const slowTimeoutMs = opts.slowTimeoutMs ?? 15 * 60_000;
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
      for (const { req, pending } of queued) {
        if (pending.timer !== undefined) clearTimer(pending.timer);
        send(req, pending);
      }
    };
    socket.onmessage = (ev) => onMessage(ev.data);
    socket.onerror = () => {
      /* onclose follows and handles it */
    };
    socket.onclose = (ev) => {
      for (const [id, p] of inFlight) {
        if (p.timer !== undefined) clearTimer(p.timer);
        p.reject(new LabError('disconnected', `${p.method}: the connection to the lab service was lost before it answered`));
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
    let data: string;
    try {
      data = JSON.stringify(req);
    } catch (e) {
      pending.reject(new LabError('send', `${req.method}: could not encode the request (${(e as Error).message})`));
      return;
    }
    if (overLimit(data)) {
      const mb = MAX_REQUEST_BYTES / 2 ** 20;
      pending.reject(new LabError('too-large', `${req.method}: the request is larger than the ${mb} MB the lab service accepts; split it (for imports: fewer or smaller files at a time)`));
      return;
    }
    const limit = SLOW_METHODS.has(req.method) ? slowTimeoutMs : timeoutMs;
    if (socket.readyState !== OPEN) {
      // Waits for the connection, but not forever: the caller hears that the service is unreachable.
      const entry = { req, pending };
      waiting.push(entry);
      pending.timer = setTimer(() => {
        if (!waiting.includes(entry)) return;
        waiting = waiting.filter((w) => w !== entry);
        pending.reject(new LabError('timeout', `${req.method}: could not reach the lab service within ${Math.round(limit / 1000)} s`));
      }, limit);
      return;
    }
    inFlight.set(req.id, pending);
    pending.timer = setTimer(() => {
      if (inFlight.get(req.id) !== pending) return;
      inFlight.delete(req.id);
      pending.reject(new LabError('timeout', `${req.method}: the lab service did not answer within ${Math.round(limit / 1000)} s`));
    }, limit);
    try {
      socket.send(data);
    } catch (e) {
      inFlight.delete(req.id);
      if (pending.timer !== undefined) clearTimer(pending.timer);
      pending.reject(new LabError('send', `${req.method}: could not send (${(e as Error).message})`));
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
    if (!p) {
      // An answer to a request the service could not even read (id -1): say so; its caller times out.
      if (!msg.ok) console.error(`lab: the service refused a request it could not read: ${msg.error.message}`);
      return;
    }
    inFlight.delete(msg.id);
    if (p.timer !== undefined) clearTimer(p.timer);
    if (msg.ok) p.resolve(msg.result);
    else p.reject(fromWire(p.method, msg.error));
  }

  const subscribe = (listener: (e: LabEvent) => void): (() => void) => {
    listeners.add(listener);
    return () => listeners.delete(listener);
  };
  const call = (method: LabMethod, params: unknown): Promise<unknown> =>
    new Promise((resolve, reject) => {
      const req: WireRequest = params === undefined ? { id: nextId++, method } : { id: nextId++, method, params };
      send(req, { method, resolve, reject });
    });
  const client = Object.assign(labClient(call, subscribe), {
    close(): void {
      closedByUser = true;
      socket.close();
    },
  });
  Object.defineProperty(client, 'state', { get: () => state, enumerable: true });
  connect();
  return client as WsLabClient;
}

/** ws(s)://<host>/api, with the page's ?token= when it has one (otherwise the auth cookie carries it). */
export function serviceUrl(loc: { protocol: string; host: string; search: string }, path: string): string {
  const token = new URLSearchParams(loc.search).get('token');
  const scheme = loc.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${loc.host}${path}${token ? `?token=${encodeURIComponent(token)}` : ''}`;
}
