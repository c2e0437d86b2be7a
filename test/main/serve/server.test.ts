import { mkdirSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startServer, type LabServer } from '../../../src-main/serve/server';
import type { LabService } from '../../../src-main/service/api';
import { MAX_REQUEST_BYTES, WS_PATH, type ServerMessage } from '../../../src-shared/api/wire';
import { scriptedService, tempDataDir } from '../service/helpers';

const TOKEN = 'test-token-0123456789';
let server: LabServer;
let service: LabService;
let cleanup: () => void;

beforeAll(async () => {
  const t = tempDataDir();
  cleanup = t.cleanup;
  const renderer = path.join(t.dir, 'renderer');
  mkdirSync(renderer);
  writeFileSync(path.join(renderer, 'index.html'), '<!doctype html><title>lab</title>');
  writeFileSync(path.join(t.dir, 'secret.txt'), 'do not serve');
  service = scriptedService(path.join(t.dir, 'data')).service;
  server = await startServer({ api: service, token: TOKEN, port: 0, rendererDir: renderer });
});
afterAll(async () => {
  await server.close();
  await service.close();
  cleanup();
});

function get(p: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port: server.port, path: p, headers: { host: `127.0.0.1:${server.port}`, ...headers } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
  });
}

function connect(o: { token?: string | null; origin?: string; host?: string } = {}): Promise<WebSocket> {
  const token = o.token === undefined ? TOKEN : o.token;
  const url = `ws://127.0.0.1:${server.port}${WS_PATH}${token === null ? '' : `?token=${token}`}`;
  const headers: Record<string, string> = {};
  if (o.host !== undefined) headers['host'] = o.host;
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers, ...(o.origin !== undefined && { origin: o.origin }) });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

describe('the headless server', () => {
  it('prints a loopback URL with the token', () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/?token=${TOKEN}`);
  });

  it('refuses a page request without a token, with a wrong token, from a foreign Host or Origin', async () => {
    expect((await get('/')).status).toBe(401);
    expect((await get('/?token=wrong-token-0000000000')).status).toBe(401);
    expect((await get('/', { authorization: 'Bearer nope' })).status).toBe(401);
    expect((await get(`/?token=${TOKEN}`, { host: 'evil.example:80' })).status).toBe(403);
    expect((await get(`/?token=${TOKEN}`, { host: `attacker.test:${server.port}` })).status).toBe(403);
    expect((await get(`/?token=${TOKEN}`, { origin: 'http://evil.example' })).status).toBe(403);
  });

  it('trades the token for a strict HttpOnly cookie and then serves the renderer with a CSP', async () => {
    const first = await get(`/?token=${TOKEN}`);
    expect(first.status).toBe(302);
    const cookie = String(first.headers['set-cookie']);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const page = await get('/', { cookie: cookie.split(';')[0]! });
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>lab</title>');
    expect(page.headers['content-security-policy']).toMatch(/default-src 'self'/);
    expect((await get('/../secret.txt', { cookie: cookie.split(';')[0]! })).status).toBe(404);
    expect((await get('/%2e%2e/secret.txt', { cookie: cookie.split(';')[0]! })).status).toBe(404);
  });

  it('refuses WebSocket connections without the token, with a wrong one, or from a foreign Origin or Host', async () => {
    await expect(connect({ token: null })).rejects.toThrow('HTTP 401');
    await expect(connect({ token: 'wrong-token-0000000000' })).rejects.toThrow('HTTP 401');
    await expect(connect({ origin: 'http://evil.example' })).rejects.toThrow('HTTP 403');
    await expect(connect({ host: `rebind.example:${server.port}` })).rejects.toThrow('HTTP 403');
    const ok = await connect({ origin: `http://localhost:${server.port}`, host: `localhost:${server.port}` });
    ok.close();
  });

  it('answers 1,000 malformed messages each with an error and keeps serving', async () => {
    const ws = await connect();
    const replies: ServerMessage[] = [];
    ws.on('message', (d) => replies.push(JSON.parse(String(d)) as ServerMessage));
    const huge = JSON.stringify({ id: 1, method: 'importFiles', params: { name: 'x', files: [{ name: 'a.json', content: 'x'.repeat(MAX_REQUEST_BYTES) }] } });
    const kinds = [
      () => '{not json',
      () => '[]',
      () => 'null',
      () => '42',
      () => JSON.stringify({ method: 'listRuns' }),
      () => JSON.stringify({ id: 'x', method: 'listRuns' }),
      (i: number) => JSON.stringify({ id: i, method: 'noSuchMethod' }),
      (i: number) => JSON.stringify({ id: i, method: '__proto__' }),
      (i: number) => JSON.stringify({ id: i, method: 'getTask', params: { id: 42 } }),
      (i: number) => JSON.stringify({ id: i, method: 'listTasks', params: { limit: 'ten' } }),
      (i: number) => JSON.stringify({ id: i, method: 'queueRuns', params: { configs: [{ version: 1 }] } }),
      (i: number) => JSON.stringify({ id: i, method: 'saveTask', params: { task: { id: 't', train: [{ input: [[99]], output: [[1]] }], test: [] } } }),
      (i: number) => JSON.stringify({ id: i, method: 'controlRun', params: { id: 'r', action: 'explode' } }),
      (i: number) => JSON.stringify({ id: i, method: 'getRun', params: { id: 'missing-run' } }),
    ];
    let sent = 0;
    for (let i = 0; sent < 997; i++, sent++) ws.send(kinds[i % kinds.length]!(i + 10));
    ws.send(Buffer.from([1, 2, 3]), { binary: true });
    ws.send(huge);
    ws.send(huge);
    sent += 3;
    await expect.poll(() => replies.length, { timeout: 60_000 }).toBe(sent);
    expect(replies.every((r) => 'ok' in r && r.ok === false)).toBe(true);
    const codes = new Set(replies.map((r) => ('ok' in r && !r.ok ? r.error.code : 'ok')));
    expect([...codes].sort()).toEqual(['bad-request', 'not-found']);
    // an oversized request is answered under its own id, so the client can settle it
    expect(replies.filter((r) => 'ok' in r && !r.ok && r.id === 1 && /larger than 32 MB/.test(r.error.message))).toHaveLength(2);
    expect(replies.some((r) => 'ok' in r && !r.ok && /unknown method/.test(r.error.message))).toBe(true);
    // still alive and answering
    ws.send(JSON.stringify({ id: 5000, method: 'listRuns' }));
    await expect.poll(() => replies.find((r) => 'id' in r && r.id === 5000), { timeout: 10_000 }).toMatchObject({ ok: true, result: [] });
    ws.close();
  });

  it('pushes events to connected clients and serves exports as downloads', async () => {
    const ws = await connect();
    const messages: ServerMessage[] = [];
    ws.on('message', (d) => messages.push(JSON.parse(String(d)) as ServerMessage));
    const task = { id: 'dl', train: [{ input: [[1]], output: [[2]] }], test: [{ input: [[3]], output: [[4]] }] };
    ws.send(JSON.stringify({ id: 1, method: 'saveTask', params: { task } }));
    await expect.poll(() => messages.find((m) => 'event' in m && m.event.type === 'library'), { timeout: 10_000 }).toBeTruthy();
    const saved = messages.find((m) => 'id' in m && m.id === 1) as { result: { id: string } };
    const dl = await get(`/download?format=per-task&ids=${saved.result.id}&token=${TOKEN}`);
    expect(dl.status).toBe(200);
    expect(dl.headers['content-disposition']).toBe('attachment; filename="dl.json"');
    expect(JSON.parse(dl.body)).toEqual({ train: task.train, test: task.test });
    ws.close();
  });
});
