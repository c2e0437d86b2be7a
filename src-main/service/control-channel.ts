// The local control channel of a running lab, as VS Code's `code` and GitHub Desktop's CLI reach
// their running app: whichever process holds a data directory with a LabService (the desktop app,
// `serve`, or the CLI's own in-process lab) listens on an owner-only endpoint tied to that directory,
// so `puzzle-lab` commands run THROUGH the lab that holds it instead of writing beside it.
//
// Endpoint: a Unix domain socket `lab.sock` in the data directory (mode 0600; a stale one left by a
// killed lab is replaced: the lab lock says this process owns the directory; removed on close), or,
// on Windows, a named pipe derived from the data directory's path. A path too long for a Unix
// socket (about 100 bytes) moves to the temp folder under the same derived name.
//
// Auth: file permissions, plus a random token in `control.token` (mode 0600, rewritten at each
// start, removed on close). The first line a client sends is {"id":N,"token":"…"}; anything else
// first, or a wrong token, is answered with the API's error shape and the connection is closed.
//
// Wire: newline-delimited JSON carrying exactly the serve WebSocket's messages (src-shared/api/wire.ts):
// WireRequest in, WireResponse and {event} out, every request through dispatch's `respond` (validated
// by validate-request.ts). One message besides the API: {"id":N,"grant":"/abs/path"}, which lets the
// lab read a file or folder the CLI's user named (PathGrants), as a pick in the app's dialog does;
// only an authenticated owner can send it.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { LabEvent, LabHandlers } from '../../src-shared/api/contract';
import { MAX_REQUEST_BYTES, type ServerMessage, type WireResponse } from '../../src-shared/api/wire';
import { respond } from './dispatch';
import type { PathGrants } from './path-grants';

export const CONTROL_SOCKET = 'lab.sock';
export const CONTROL_TOKEN_FILE = 'control.token';
/** Longest Unix socket path used in place (sun_path holds 104–108 bytes depending on the system). */
const MAX_SOCKET_PATH = 100;
/** A line longer than this is refused (a request is at most MAX_REQUEST_BYTES of params plus its frame). */
export const MAX_LINE_BYTES = MAX_REQUEST_BYTES + 64 * 1024;

/** Where the lab holding `dataDir` listens. */
export function controlEndpoint(dataDir: string, platform: NodeJS.Platform = process.platform): string {
  const paths = platform === 'win32' ? path.win32 : path.posix;
  const dir = paths.resolve(dataDir);
  // Windows paths are case-insensitive: one data directory, one pipe
  const tag = createHash('sha256').update(platform === 'win32' ? dir.toLowerCase() : dir).digest('hex').slice(0, 24);
  if (platform === 'win32') return `\\\\.\\pipe\\puzzle-lab-${tag}`;
  const inPlace = paths.join(dir, CONTROL_SOCKET);
  return Buffer.byteLength(inPlace) <= MAX_SOCKET_PATH ? inPlace : paths.join(tmpdir(), `puzzle-lab-${tag}.sock`);
}

export function controlTokenFile(dataDir: string): string {
  return path.join(path.resolve(dataDir), CONTROL_TOKEN_FILE);
}

/** What the channel serves: the lab's handlers, its events, and the grants of paths its user names. */
export interface ControlledLab extends LabHandlers {
  readonly dataDir: string;
  readonly grants: PathGrants;
  subscribe(listener: (e: LabEvent) => void): () => void;
}

export interface ControlChannel {
  endpoint: string;
  close(): Promise<void>;
}

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function writeToken(file: string, token: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${token}\n`, { mode: 0o600 });
  chmodSync(tmp, 0o600); // the mode option is masked by the umask
  renameSync(tmp, file);
}

/** Splits a stream into lines; a line over the limit is reported once and the rest of it dropped. */
function lineReader(onLine: (line: string) => void, onTooLong: (head: string) => void): (chunk: Buffer) => void {
  let parts: Buffer[] = [];
  let size = 0;
  let skipping = false;
  return (chunk) => {
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(10, start);
      const piece = chunk.subarray(start, nl === -1 ? chunk.length : nl);
      if (!skipping) {
        size += piece.length;
        if (size > MAX_LINE_BYTES) {
          skipping = true;
          onTooLong(Buffer.concat([...parts, piece]).subarray(0, 40).toString('utf8'));
          parts = [];
        } else parts.push(piece);
      }
      if (nl === -1) return;
      if (!skipping) onLine(Buffer.concat(parts).toString('utf8'));
      parts = [];
      size = 0;
      skipping = false;
      start = nl + 1;
    }
  };
}

const bad = (id: number, message: string): WireResponse => ({ id, ok: false, error: { code: 'bad-request', message } });

function leadingId(text: string): number {
  const m = /^\s*\{\s*"id"\s*:\s*(\d{1,15})\s*[,}]/.exec(text);
  return m === null ? -1 : Number(m[1]);
}

/** Starts listening for the lab; call close() before the service closes. */
export async function startControlChannel(lab: ControlledLab): Promise<ControlChannel> {
  const endpoint = controlEndpoint(lab.dataDir);
  const tokenFile = controlTokenFile(lab.dataDir);
  const token = randomBytes(24).toString('hex');
  const unix = process.platform !== 'win32';
  // This process holds the data directory's lab lock, so a socket file there is a dead lab's.
  if (unix) rmSync(endpoint, { force: true });
  writeToken(tokenFile, token);

  const clients = new Set<Socket>();
  const authed = new Set<Socket>();
  const send = (s: Socket, m: ServerMessage): void => {
    if (!s.destroyed && s.writable) s.write(`${JSON.stringify(m)}\n`);
  };
  const unsubscribe = lab.subscribe((event) => {
    for (const s of authed) send(s, { event });
  });

  async function answer(s: Socket, line: string): Promise<void> {
    if (line.trim() === '') return;
    let msg: unknown;
    try {
      msg = JSON.parse(line);
    } catch {
      return refuse(s, bad(leadingId(line), 'invalid JSON'));
    }
    if (typeof msg !== 'object' || msg === null || Array.isArray(msg)) return refuse(s, bad(-1, 'a message is an object {id, method, params}'));
    const m = msg as { id?: unknown; token?: unknown; method?: unknown; params?: unknown; grant?: unknown };
    if (typeof m.id !== 'number' || !Number.isSafeInteger(m.id)) return refuse(s, bad(-1, 'message id must be an integer'));
    const id = m.id;
    if (!authed.has(s)) {
      if (typeof m.token !== 'string') return refuse(s, bad(id, `control channel: the first message must carry the token from ${tokenFile} ({"id":N,"token":"…"})`));
      if (!sameToken(m.token, token)) return refuse(s, bad(id, `control channel: wrong token (read it from ${tokenFile})`));
      authed.add(s);
      send(s, { id, ok: true, result: { pid: process.pid, dataDir: lab.dataDir } });
      return;
    }
    if ('grant' in m) {
      if (typeof m.grant !== 'string' || !path.isAbsolute(m.grant)) return send(s, bad(id, 'grant: an absolute path of a file or folder'));
      lab.grants.grant(m.grant);
      return send(s, { id, ok: true, result: null });
    }
    send(s, await respond(lab, id, m.method, m.params));
  }

  function refuse(s: Socket, m: WireResponse): void {
    // an unauthenticated peer gets one answer and the door; an authenticated one just the answer
    send(s, m);
    if (!authed.has(s)) s.end();
  }

  const server: Server = createServer((s) => {
    clients.add(s);
    const gone = (): void => {
      clients.delete(s);
      authed.delete(s);
    };
    s.on('close', gone);
    s.on('error', gone);
    // requests are answered in order per connection, so a client's replies and events keep their order
    let chain = Promise.resolve();
    s.on(
      'data',
      lineReader(
        (line) => {
          chain = chain.then(() => answer(s, line)).catch((e: unknown) => send(s, bad(-1, `control channel: ${(e as Error).message}`)));
        },
        (head) => {
          chain = chain.then(() => refuse(s, bad(leadingId(head), `request larger than ${MAX_LINE_BYTES / 2 ** 20} MB`)));
        },
      ),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(endpoint, () => {
      server.off('error', reject);
      resolve();
    });
  });
  if (unix) chmodSync(endpoint, 0o600);

  let closed = false;
  return {
    endpoint,
    async close() {
      if (closed) return;
      closed = true;
      unsubscribe();
      const done = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const s of clients) s.destroy();
      await done;
      if (unix) rmSync(endpoint, { force: true });
      rmSync(tokenFile, { force: true });
    },
  };
}
