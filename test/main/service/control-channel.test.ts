// The control channel of a running lab: a second process on the same data directory reaches the lab
// through it with the same requests, validation and error shape as the other transports; nobody
// without the owner's token gets in; a dead lab's socket is replaced; closing removes the socket.
import { spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { controlEndpoint, controlTokenFile, startControlChannel, type ControlChannel } from '../../../src-main/service/control-channel';
import { connectControl } from '../../../src-main/service/control-client';
import { LabError } from '../../../src-shared/api/errors';
import type { LabEvent } from '../../../src-shared/api/contract';
import { scriptedService, tempDataDir } from './helpers';

const unix = process.platform !== 'win32';
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function runningLab(): Promise<{ dir: string; control: ControlChannel; service: ReturnType<typeof scriptedService>['service'] }> {
  const { dir, cleanup } = tempDataDir();
  const { service } = scriptedService(dir);
  cleanups.push(cleanup, () => service.close());
  const control = await startControlChannel(service);
  cleanups.push(() => control.close());
  return { dir, control, service };
}

/** One raw exchange on the endpoint: the lines sent, every line answered until the lab closes or `wait` ms pass. */
async function raw(endpoint: string, lines: string[], wait = 30_000): Promise<{ replies: unknown[]; closedByLab: boolean }> {
  return new Promise((resolve, reject) => {
    const s = connect(endpoint);
    let text = '';
    let closedByLab = false;
    const done = (): void => resolve({ replies: text.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as unknown), closedByLab });
    const timer = setTimeout(() => {
      s.destroy();
      done();
    }, wait);
    s.setEncoding('utf8');
    s.on('data', (t: string) => (text += t));
    s.on('end', () => {
      closedByLab = true;
      clearTimeout(timer);
      done();
    });
    s.on('error', reject);
    s.on('connect', () => {
      for (const l of lines) s.write(`${l}\n`);
    });
  });
}

describe('the control channel of a running lab', () => {
  it('lets a second client in the same data directory call the lab’s API and receive its events', async () => {
    const { dir } = await runningLab();
    const a = await connectControl(dir);
    const b = await connectControl(dir);
    cleanups.push(() => a.close(), () => b.close());
    expect(a.pid).toBe(process.pid);
    expect((await a.api.systemInfo()).dataDir).toBe(dir);
    const seen: LabEvent[] = [];
    b.api.subscribe((e) => seen.push(e));
    const report = await a.api.importFiles({ name: 'via the channel', files: [{ name: 't.json', content: JSON.stringify({ train: [{ input: [[1]], output: [[2]] }], test: [{ input: [[3]], output: [[4]] }] }) }] });
    expect(report.loaded).toBe(1);
    // the library event reached the other client; its dataset is listed through it
    for (let i = 0; i < 6000 && !seen.some((e) => e.type === 'library'); i++) await new Promise((r) => setTimeout(r, 10));
    expect(seen.some((e) => e.type === 'library')).toBe(true);
    expect((await b.api.listDatasets()).map((d) => d.name)).toContain('via the channel');
  });

  it('is owner-only: the socket and the token file are mode 0600', async () => {
    const { dir, control } = await runningLab();
    expect(control.endpoint).toBe(controlEndpoint(dir));
    if (unix) expect(statSync(control.endpoint).mode & 0o777).toBe(0o600);
    expect(statSync(controlTokenFile(dir)).mode & 0o777).toBe(0o600);
  });

  it('refuses a request without the token, or with a wrong one, in the contract’s error shape, and closes the connection', async () => {
    const { dir, control } = await runningLab();
    const noToken = await raw(control.endpoint, [JSON.stringify({ id: 7, method: 'listRuns' })]);
    expect(noToken.closedByLab).toBe(true);
    expect(noToken.replies).toEqual([{ id: 7, ok: false, error: { code: 'bad-request', message: expect.stringMatching(/first message must carry the token from .*control\.token/) } }]);
    const wrong = await connectControl(dir, { token: 'not-the-token' }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(wrong).toBeInstanceOf(LabError);
    expect(wrong).toMatchObject({ code: 'bad-request', message: expect.stringMatching(/wrong token/) });
    // nothing was answered to the intruder but the refusal: no events, no results
    const afterWrong = await raw(control.endpoint, [JSON.stringify({ id: 1, token: 'x'.repeat(48) }), JSON.stringify({ id: 2, method: 'listRuns' })]);
    expect(afterWrong.replies).toHaveLength(1);
    expect(afterWrong.replies[0]).toMatchObject({ id: 1, ok: false, error: { code: 'bad-request' } });
  });

  it('validates every request like the other transports: bad params and unknown methods are refused with code, message and field', async () => {
    const { dir } = await runningLab();
    const c = await connectControl(dir);
    cleanups.push(() => c.close());
    const bad = await c.api.getRun({ id: 42 as unknown as string }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(bad).toBeInstanceOf(LabError);
    expect(bad).toMatchObject({ code: 'bad-request', message: expect.stringMatching(/^getRun: /) });
    expect((bad as LabError).where?.field).toMatch(/id/);
    const missing = await c.api.getRun({ id: 'run-nope' }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(missing).toMatchObject({ code: 'not-found' });
    // the connection stays usable after a refused request
    expect(await c.api.listRuns()).toEqual([]);
  });

  it.skipIf(!unix)('replaces the stale socket of a lab that was killed, and removes its socket and token on close', async () => {
    const { dir, cleanup } = tempDataDir();
    cleanups.push(cleanup);
    const endpoint = controlEndpoint(dir);
    // a process that listens on the endpoint and is killed: its socket file stays behind
    const child = spawn(process.execPath, ['-e', `require('node:net').createServer().listen(${JSON.stringify(endpoint)}, () => console.log('up'))`], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    expect(existsSync(endpoint)).toBe(true);
    const refused = await connectControl(dir, { token: 'x' }).then(
      () => null,
      (e: unknown) => e as Error,
    );
    expect(refused?.message).toMatch(/cannot connect/);

    const { service } = scriptedService(dir);
    cleanups.push(() => service.close());
    const control = await startControlChannel(service);
    const c = await connectControl(dir);
    expect(await c.api.listRuns()).toEqual([]);
    c.close();
    await control.close();
    expect(existsSync(endpoint)).toBe(false);
    expect(existsSync(controlTokenFile(dir))).toBe(false);
  });

  it('is tied to its data directory: a socket in it, a temp-folder socket when the path is too long, a named pipe on Windows', () => {
    expect(controlEndpoint('/home/me/.puzzle-lab', 'linux')).toBe('/home/me/.puzzle-lab/lab.sock');
    const long = `/home/me/${'deep/'.repeat(30)}lab`;
    const moved = controlEndpoint(long, 'linux');
    expect(moved).toMatch(/puzzle-lab-[0-9a-f]{24}\.sock$/);
    expect(moved).not.toBe(controlEndpoint(`${long}2`, 'linux'));
    const pipe = controlEndpoint('C:\\Users\\Me\\.puzzle-lab', 'win32');
    expect(pipe).toMatch(/^\\\\\.\\pipe\\puzzle-lab-[0-9a-f]{24}$/);
    // Windows paths are case-insensitive: one lab, one pipe
    expect(controlEndpoint('c:\\users\\me\\.PUZZLE-LAB', 'win32')).toBe(pipe);
  });
});
