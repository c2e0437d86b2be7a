import { describe, expect, it } from 'vitest';
import type { LabEvent } from '../../../../src-shared/api/contract';
import { createWsClient, serviceUrl, type SocketLike } from '../../../../src-renderer/src/lib/api/ws-client';

/** A socket double that records what the client sends and lets the test play the server. */
class FakeSocket implements SocketLike {
  readyState = 0;
  sent: Array<{ id: number; method: string; params?: unknown }> = [];
  onopen: ((ev: unknown) => void) | null = null;
  onclose: ((ev: { code?: number }) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  constructor(readonly url: string) {}
  send(data: string): void {
    this.sent.push(JSON.parse(data));
  }
  close(): void {
    this.readyState = 3;
    this.onclose?.({ code: 1000 });
  }
  open(): void {
    this.readyState = 1;
    this.onopen?.({});
  }
  reply(msg: unknown): void {
    this.onmessage?.({ data: JSON.stringify(msg) });
  }
  drop(): void {
    this.readyState = 3;
    this.onclose?.({ code: 1006 });
  }
}

function setup() {
  const sockets: FakeSocket[] = [];
  // reconnect delays (under a minute) and request timeouts (a minute and more) kept apart
  const timers: Array<{ fn: () => void; ms: number; cleared: boolean }> = [];
  const requestTimers: Array<{ fn: () => void; ms: number; cleared: boolean }> = [];
  const states: string[] = [];
  const client = createWsClient({
    url: 'ws://h/api',
    createSocket: (url) => {
      const s = new FakeSocket(url);
      sockets.push(s);
      return s;
    },
    setTimer: (fn, ms) => {
      const t = { fn, ms, cleared: false };
      (ms >= 60_000 ? requestTimers : timers).push(t);
      return t;
    },
    clearTimer: (t) => {
      (t as { cleared: boolean }).cleared = true;
    },
    onState: (s) => states.push(s),
  });
  return { client, sockets, timers, requestTimers, states, last: () => sockets[sockets.length - 1] as FakeSocket };
}

describe('WebSocket LabClient', () => {
  it('waits for the socket, numbers requests and resolves each with its own response', async () => {
    const { client, last } = setup();
    const a = client.getTask({ id: 'x' });
    const b = client.listFamilies();
    expect(last().sent).toHaveLength(0);
    last().open();
    const [ra, rb] = last().sent;
    expect(ra).toEqual({ id: 1, method: 'getTask', params: { id: 'x' } });
    expect(rb).toEqual({ id: 2, method: 'listFamilies' });
    last().reply({ id: 2, ok: true, result: ['fam'] });
    last().reply({ id: 1, ok: true, result: { id: 'x' } });
    expect(await b).toEqual(['fam']);
    expect(await a).toEqual({ id: 'x' });
  });

  it('turns an error response into a readable error naming the method', async () => {
    const { client, last } = setup();
    last().open();
    const p = client.getRun({ id: 'nope' });
    last().reply({ id: 1, ok: false, error: { code: 'not-found', message: 'no run nope' } });
    await expect(p).rejects.toThrow('getRun: no run nope');
    // a message that already names the method (the service's parameter validation) is not prefixed twice
    const q = client.getRun({ id: '' });
    last().reply({ id: 2, ok: false, error: { code: 'bad-request', message: 'getRun: id: Invalid length' } });
    await expect(q).rejects.toThrow(/^getRun: id: Invalid length$/);
  });

  it('fans pushed events out to every subscriber until they unsubscribe', () => {
    const { client, last } = setup();
    last().open();
    const got1: LabEvent[] = [];
    const got2: LabEvent[] = [];
    const off1 = client.subscribe((e) => got1.push(e));
    client.subscribe((e) => got2.push(e));
    const ev: LabEvent = { type: 'run-deleted', runId: 'r1' };
    last().reply({ event: ev });
    off1();
    last().reply({ event: ev });
    expect(got1).toHaveLength(1);
    expect(got2).toHaveLength(2);
  });

  it('fails in-flight requests when the connection drops, then reconnects with growing delays', async () => {
    const { client, sockets, timers, states, last } = setup();
    last().open();
    const p = client.listRuns();
    last().drop();
    await expect(p).rejects.toThrow(/connection .* lost/);
    expect(states).toContain('reconnecting');
    expect(timers[0]?.ms).toBe(300);
    timers[0]?.fn();
    expect(sockets).toHaveLength(2);
    last().drop();
    expect(timers[1]?.ms).toBe(600);
    timers[1]?.fn();
    // a request made while down is sent once the new socket opens
    const q = client.listRuns();
    last().open();
    expect(last().sent[0]?.method).toBe('listRuns');
    last().reply({ id: last().sent[0]?.id, ok: true, result: [] });
    expect(await q).toEqual([]);
    expect(states[states.length - 1]).toBe('open');
  });

  it('refuses a request larger than the service accepts at once, with the limit, without sending it', async () => {
    const { client, last } = setup();
    last().open();
    const big = client.importFiles({ name: 'big', files: [{ name: 'a.json', content: 'x'.repeat(33 * 2 ** 20) }] });
    await expect(big).rejects.toThrow(/importFiles: the request is larger than the 32 MB the lab service accepts; split it/);
    expect(last().sent).toHaveLength(0);
  });

  it('settles a request the service refused without reading it, by the id it echoes, and times out one never answered', async () => {
    const { client, last, requestTimers } = setup();
    last().open();
    const refused = client.listRuns();
    last().reply({ id: last().sent[0]!.id, ok: false, error: { code: 'bad-request', message: 'request larger than 32 MB; split it' } });
    await expect(refused).rejects.toThrow(/listRuns: request larger than 32 MB/);
    expect(requestTimers[0]!.cleared).toBe(true);
    const lost = client.listRuns();
    const slow = client.adapt({ requestId: 'r', runId: 'run-1', task: { id: '', train: [], test: [] } });
    expect(requestTimers.filter((t) => !t.cleared).map((t) => t.ms)).toEqual([60_000, 15 * 60_000]);
    requestTimers.filter((t) => !t.cleared)[0]!.fn();
    await expect(lost).rejects.toThrow('listRuns: the lab service did not answer within 60 s');
    // a late answer to a timed-out request is ignored; the slow one still waits for its own
    last().reply({ id: last().sent[1]!.id, ok: true, result: [] });
    last().reply({ id: last().sent[2]!.id, ok: true, result: { done: true } });
    expect(await slow).toEqual({ done: true });
  });

  it('fails a request that waits for a connection that never comes back, saying the service is unreachable', async () => {
    const { client, requestTimers } = setup(); // the socket never opens
    const p = client.listDatasets();
    requestTimers[0]!.fn();
    await expect(p).rejects.toThrow('listDatasets: could not reach the lab service within 60 s');
  });

  it('builds the service URL with the page token, or without it when the cookie carries it', () => {
    expect(serviceUrl({ protocol: 'http:', host: '127.0.0.1:4174', search: '?token=abc' }, '/api')).toBe('ws://127.0.0.1:4174/api?token=abc');
    expect(serviceUrl({ protocol: 'https:', host: 'h', search: '' }, '/api')).toBe('wss://h/api');
  });
});
