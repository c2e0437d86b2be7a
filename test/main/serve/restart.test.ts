// Kill the whole headless service with SIGKILL mid-run and start it again on the same data dir: the
// run resumes from its last recorded checkpoint and its metrics continue without a gap or duplicate.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { LabEvent, MetricSeries, RunSummary } from '../../../src-shared/api/contract';
import { WS_PATH, type ServerMessage } from '../../../src-shared/api/wire';
import { realTinyConfig, tempDataDir } from '../service/helpers';
import { STEP_BOUNDED_MS, stepBoundedFile } from '../../step-bounded';

// Bounded by optimizer steps and fixed work, not seconds (see test/step-bounded.ts).
stepBoundedFile();

const ROOT = path.resolve(import.meta.dirname, '../../..');
const TOKEN = 'restart-test-token-42';
/** long enough that the run cannot end before the test sees its first checkpoint and kills it */
const RUN_STEPS = 90;
const { dir, cleanup } = tempDataDir();
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  cleanup();
});

/** Starts `serve` and resolves with its port once it printed its URL line. */
function startServe(): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src-main/serve/index.ts', '--data-dir', dir, '--token', TOKEN, '--no-open'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr!.on('data', (d: Buffer) => (err += String(d)));
    child.stdout!.on('data', (d: Buffer) => {
      out += String(d);
      const m = /Puzzle Lab is running at http:\/\/127\.0\.0\.1:(\d+)\/\?token=(\S+)/.exec(out);
      if (m !== null) {
        expect(m[2]).toBe(TOKEN);
        resolve({ child, port: Number(m[1]) });
      }
    });
    child.on('exit', (code) => reject(new Error(`serve exited (${code}) before printing its URL: ${err}`)));
  });
}

class Client {
  private next = 1;
  private readonly pending = new Map<number, (m: ServerMessage) => void>();
  readonly events: LabEvent[] = [];
  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (d) => {
      const m = JSON.parse(String(d)) as ServerMessage;
      if ('event' in m) this.events.push(m.event);
      else this.pending.get(m.id)?.(m);
    });
  }
  static open(port: number): Promise<Client> {
    const ws = new WebSocket(`ws://127.0.0.1:${port}${WS_PATH}?token=${TOKEN}`);
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(new Client(ws)));
      ws.once('error', reject);
    });
  }
  call<T>(method: string, params?: unknown): Promise<T> {
    const id = this.next++;
    this.ws.send(JSON.stringify({ id, method, params }));
    return new Promise((resolve, reject) => {
      this.pending.set(id, (m) => ('ok' in m && m.ok ? resolve(m.result as T) : reject(new Error(JSON.stringify(m)))));
    });
  }
  close(): void {
    this.ws.close();
  }
}

async function waitRun(c: Client, id: string, pred: (r: RunSummary) => boolean, timeout: number): Promise<RunSummary> {
  const t0 = Date.now();
  for (;;) {
    const r = (await c.call<RunSummary[]>('listRuns')).find((x) => x.id === id)!;
    if (pred(r)) return r;
    if (Date.now() - t0 > timeout) throw new Error(`run still ${r.status} at step ${r.step}`);
    await new Promise((res) => setTimeout(res, 100));
  }
}

describe('the headless service killed with SIGKILL', () => {
  it('resumes the interrupted run from its checkpoint on restart, metrics continuing without gap or duplicate', async () => {
    const first = await startServe();
    const c1 = await Client.open(first.port);
    const [run] = await c1.call<RunSummary[]>('queueRuns', { configs: [realTinyConfig('survivor', RUN_STEPS)] });
    const id = run!.id;
    await waitRun(c1, id, () => true, 1000);
    const t0 = Date.now();
    for (;;) {
      const cps = await c1.call<Array<{ step: number }>>('listCheckpoints', { runId: id });
      const r = await waitRun(c1, id, () => true, 1000);
      // past its first checkpoint and still running: kill it now. (Waiting for "3 steps past the
      // last checkpoint" could wait forever when progress is reported at the checkpoint cadence.)
      if (cps.length > 0 && r.step > cps[0]!.step) break;
      if (!['queued', 'running'].includes(r.status)) throw new Error(`the run ended (${r.status} at step ${r.step}) before it could be killed mid-run`);
      if (Date.now() - t0 > STEP_BOUNDED_MS) throw new Error('no checkpoint in time');
      await new Promise((res) => setTimeout(res, 100));
    }
    first.child.kill('SIGKILL');
    await new Promise((res) => first.child.once('exit', res));
    c1.close();

    const second = await startServe();
    const c2 = await Client.open(second.port);
    const done = await waitRun(c2, id, (r) => !['queued', 'running'].includes(r.status), STEP_BOUNDED_MS);
    expect(done).toMatchObject({ status: 'completed', step: RUN_STEPS, error: null });
    // The step the engine resumed from: the first progress report of the new session is at resumeStep + 1.
    const resumedAt = c2.events.find((e): e is Extract<LabEvent, { type: 'run' }> => e.type === 'run' && e.run.id === id && e.run.status === 'running' && e.run.step > 0);
    expect(resumedAt).toBeDefined();
    const S = resumedAt!.run.step;
    const [series] = await c2.call<MetricSeries[]>('getMetrics', { runId: id, keys: ['lm_loss'] });
    const steps = series!.points.map((p) => p.step);
    expect(steps).toEqual([...new Set(steps)].sort((a, b) => a - b)); // ordered, no duplicates
    expect(steps).toContain(S + 1); // continues right after the checkpoint it resumed from
    expect(steps.filter((s) => s <= S).length).toBeGreaterThan(0); // what came before is kept
    expect(steps.at(-1)).toBe(RUN_STEPS);
    const gaps = steps.slice(1).map((s, i) => s - steps[i]!);
    expect(Math.max(...gaps)).toBeLessThan(15);
    c2.close();
    second.child.kill('SIGTERM');
    expect(await new Promise((res) => second.child.once('exit', (code) => res(code)))).toBe(0);
  }, STEP_BOUNDED_MS);
});
