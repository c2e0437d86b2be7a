// The headless server: the built renderer over HTTP and the lab API over a WebSocket at WS_PATH, on
// 127.0.0.1 only, every request checked by auth.ts. Malformed messages get an error response and
// never take the server down.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { LabEvent, LabHandlers } from '../../src-shared/api/contract';
import { MAX_REQUEST_BYTES, WS_PATH, type ServerMessage } from '../../src-shared/api/wire';
import { respond } from '../service/dispatch';
import { authorize, sessionCookie } from './auth';
import { resolveStatic, sendFile } from './static';

export interface ServedApi extends LabHandlers {
  subscribe(listener: (e: LabEvent) => void): () => void;
}

export interface ServerOptions {
  api: ServedApi;
  token: string;
  /** 0 = a free port */
  port: number;
  /** the built renderer (out/renderer) */
  rendererDir: string;
}

export interface LabServer {
  port: number;
  url: string;
  close(): Promise<void>;
}

function rawLength(data: RawData): number {
  if (Array.isArray(data)) return data.reduce((n, b) => n + b.length, 0);
  return data instanceof ArrayBuffer ? data.byteLength : data.length;
}

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data as ArrayBuffer).toString('utf8');
}

function text(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff', ...headers });
  res.end(`${body}\n`);
}

/**
 * The request id of a message that cannot be parsed (too large, or broken JSON), read from its first
 * bytes: clients write `{"id":N,...` first, so even a refused request gets an answer the client can
 * match to its caller. -1 when there is none.
 */
function leadingId(data: RawData): number {
  const head = (Array.isArray(data) ? (data[0] ?? Buffer.alloc(0)) : Buffer.from(data as ArrayBuffer)).subarray(0, 40).toString('utf8');
  const m = /^\s*\{\s*"id"\s*:\s*(\d{1,15})\s*[,}]/.exec(head);
  return m === null ? -1 : Number(m[1]);
}

/** Replies to one WebSocket message; any defect is answered as a 'bad-request' error. */
async function handleMessage(api: LabHandlers, data: RawData, isBinary: boolean): Promise<ServerMessage> {
  const bad = (id: number, message: string): ServerMessage => ({ id, ok: false, error: { code: 'bad-request', message } });
  if (rawLength(data) > MAX_REQUEST_BYTES) return bad(leadingId(data), `request larger than ${MAX_REQUEST_BYTES / 2 ** 20} MB; split it (import fewer files at a time)`);
  if (isBinary) return bad(-1, 'binary messages are not accepted; send JSON text');
  let msg: unknown;
  try {
    msg = JSON.parse(rawText(data));
  } catch {
    return bad(leadingId(data), 'invalid JSON');
  }
  if (typeof msg !== 'object' || msg === null || Array.isArray(msg)) return bad(-1, 'a request is an object {id, method, params}');
  const { id, method, params } = msg as { id?: unknown; method?: unknown; params?: unknown };
  if (typeof id !== 'number' || !Number.isSafeInteger(id)) return bad(-1, 'request id must be an integer');
  return respond(api, id, method, params);
}

export async function startServer(o: ServerOptions): Promise<LabServer> {
  let port = o.port;
  const wss = new WebSocketServer({ noServer: true, maxPayload: 2 * MAX_REQUEST_BYTES });
  const clients = new Set<WebSocket>();

  const send = (ws: WebSocket, m: ServerMessage) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(m));
  };
  const unsubscribe = o.api.subscribe((event) => {
    for (const ws of clients) send(ws, { event });
  });

  wss.on('connection', (ws) => {
    clients.add(ws);
    ws.on('close', () => clients.delete(ws));
    ws.on('error', () => clients.delete(ws));
    ws.on('message', (data, isBinary) => {
      void handleMessage(o.api, data, isBinary).then((m) => send(ws, m));
    });
  });

  const server: Server = createServer((req, res) => void handleHttp(req, res));

  async function handleHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const auth = authorize(req.headers, url, { token: o.token, port });
    if (!auth.ok) {
      const hint = auth.status === 401 ? ' — open the URL with ?token=… that `npm run serve` printed' : '';
      text(res, auth.status, `${auth.status === 401 ? 'Unauthorized' : 'Forbidden'}: ${auth.reason}${hint}`);
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      text(res, 405, 'method not allowed', { Allow: 'GET, HEAD' });
      return;
    }
    if (auth.via === 'query' && url.pathname === '/') {
      // Trade the token in the URL for a cookie, and drop it from the address bar and history.
      res.writeHead(302, { 'Set-Cookie': sessionCookie(o.token), Location: '/' });
      res.end();
      return;
    }
    if (url.pathname === '/download') {
      await download(url, res);
      return;
    }
    const file = resolveStatic(o.rendererDir, url.pathname);
    if (file === null) {
      const index = resolveStatic(o.rendererDir, '/');
      if (index === null) text(res, 503, `the renderer is not built (no ${o.rendererDir}/index.html); run \`npm run build:web\``);
      else text(res, 404, 'not found');
      return;
    }
    sendFile(res, file, port);
  }

  /** GET /download?format=per-task|combined&(datasetId=…|ids=a,b)[&file=name]: one exported file. */
  async function download(url: URL, res: ServerResponse): Promise<void> {
    const q = url.searchParams;
    const ids = q.get('ids');
    const params = {
      format: q.get('format') ?? 'per-task',
      ...(ids !== null && { ids: ids.split(',').filter((s) => s !== '') }),
      ...(q.get('datasetId') !== null && { datasetId: q.get('datasetId') }),
    };
    const r = await respond(o.api, 0, 'exportTasks', params);
    if (!r.ok) {
      text(res, r.error.code === 'not-found' ? 404 : 400, r.error.message);
      return;
    }
    const files = (r.result as { files: Array<{ name: string; content: string }> }).files;
    const wanted = q.get('file');
    const f = wanted === null ? (files.length === 1 ? files[0] : undefined) : files.find((x) => x.name === wanted);
    if (f === undefined) {
      text(res, 400, `choose one file with &file=…: ${files.map((x) => x.name).join(', ')}`);
      return;
    }
    res.writeHead(200, {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Disposition': `attachment; filename="${f.name.replace(/["\\\r\n]/g, '_')}"`,
      'X-Content-Type-Options': 'nosniff',
    });
    res.end(f.content);
  }

  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const refuse = (status: number, reason: string) => {
      socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    if (url.pathname !== WS_PATH) return refuse(404, 'Not Found');
    const auth = authorize(req.headers, url, { token: o.token, port });
    if (!auth.ok) return refuse(auth.status, auth.status === 401 ? 'Unauthorized' : 'Forbidden');
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;

  return {
    port,
    url: `http://127.0.0.1:${port}/?token=${o.token}`,
    async close() {
      unsubscribe();
      for (const ws of clients) ws.terminate();
      wss.close();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}
