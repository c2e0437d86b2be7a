import { describe, expect, it } from 'vitest';
import { forwardEvents, IPC_CHANNELS, wireIpc, type IpcEventLike, type IpcMainLike } from '../../../src-main/electron/ipc-wiring';
import { aboutText, menuTemplate } from '../../../src-main/electron/menu';
import { LAB_METHODS, type LabApi, type LabEvent } from '../../../src-shared/api/contract';
import { IPC_EVENT_CHANNEL, type WireResponse } from '../../../src-shared/api/wire';

type Handler = (event: IpcEventLike, ...args: unknown[]) => unknown;

class FakeIpcMain implements IpcMainLike {
  readonly handlers = new Map<string, Handler>();
  handle(channel: string, listener: Handler): void {
    if (this.handlers.has(channel)) throw new Error(`second handler for ${channel}`);
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  invoke(channel: string, url: string | null, ...args: unknown[]): Promise<WireResponse> {
    const h = this.handlers.get(channel);
    if (h === undefined) throw new Error(`no handler for ${channel}`);
    return Promise.resolve(h({ senderFrame: url === null ? null : { url } }, ...args)) as Promise<WireResponse>;
  }
}

const calls: Array<[string, unknown]> = [];
const api = new Proxy({} as LabApi, {
  get: (_t, method: string) => async (p: unknown) => {
    calls.push([method, p]);
    return { method };
  },
});
const trusted = (url: string | undefined) => url === 'app://lab/index.html';

describe('the Electron IPC wiring', () => {
  it('registers exactly one channel per API method', () => {
    const ipc = new FakeIpcMain();
    const unwire = wireIpc(ipc, api, trusted);
    expect([...ipc.handlers.keys()].sort()).toEqual(LAB_METHODS.map((m) => `lab:${m}`).sort());
    expect(IPC_CHANNELS).toHaveLength(LAB_METHODS.length);
    unwire();
    expect(ipc.handlers.size).toBe(0);
  });

  it('passes validated requests from our renderer to the service', async () => {
    const ipc = new FakeIpcMain();
    wireIpc(ipc, api, trusted);
    calls.length = 0;
    const r = await ipc.invoke('lab:getRun', 'app://lab/index.html', { id: 'run-1' });
    expect(r).toEqual({ id: 0, ok: true, result: { method: 'getRun' } });
    expect(calls).toEqual([['getRun', { id: 'run-1' }]]);
  });

  it('refuses requests from any other frame, and bad params, before the service sees them', async () => {
    const ipc = new FakeIpcMain();
    wireIpc(ipc, api, trusted);
    calls.length = 0;
    for (const url of ['https://evil.example/', 'file:///tmp/x.html', null]) {
      const r = await ipc.invoke('lab:listRuns', url);
      expect(r).toMatchObject({ ok: false, error: { code: 'bad-request', message: expect.stringMatching(/does not come from the lab/) } });
    }
    expect(await ipc.invoke('lab:getRun', 'app://lab/index.html', { id: 7 })).toMatchObject({ ok: false, error: { message: /params\.id/ } });
    expect(await ipc.invoke('lab:controlRun', 'app://lab/index.html', { id: 'r', action: 'rm -rf' })).toMatchObject({ ok: false });
    expect(await ipc.invoke('lab:getRun', 'app://lab/index.html', { id: 'r' }, 'extra')).toMatchObject({ ok: false, error: { message: /one params object/ } });
    expect(await ipc.invoke('lab:importFiles', 'app://lab/index.html', { name: 'x', files: [{ name: 'a', content: 'x'.repeat(40 * 2 ** 20) }] })).toMatchObject({
      ok: false,
      error: { message: /larger than/ },
    });
    expect(calls).toEqual([]);
  });

  it('forwards service events to live windows on the event channel', () => {
    let listener: ((e: LabEvent) => void) | null = null;
    const sent: Array<[string, LabEvent]> = [];
    const win = { destroyed: false, send: (c: string, e: LabEvent) => sent.push([c, e]), isDestroyed() { return this.destroyed; } };
    forwardEvents((l) => ((listener = l), () => {}), () => [win]);
    listener!({ type: 'run-deleted', runId: 'r' });
    win.destroyed = true;
    listener!({ type: 'run-deleted', runId: 's' });
    expect(sent).toEqual([[IPC_EVENT_CHANNEL, { type: 'run-deleted', runId: 'r' }]]);
  });

  it('has File › Import/Export/Quit and Help › About in the menu, and an About text with the backend', () => {
    const clicked: string[] = [];
    const t = menuTemplate(
      { importFiles: () => clicked.push('import'), importCheckpoint: () => clicked.push('checkpoint'), exportTasks: () => clicked.push('export'), about: () => clicked.push('about') },
      'linux',
    );
    const file = t.find((m) => m.label === '&File')!.submenu as Array<{ label?: string; role?: string; click?: () => void }>;
    expect(file.map((i) => i.label ?? i.role).filter((x) => x !== undefined)).toEqual(['Import puzzles…', 'Import PyTorch checkpoint…', 'Export puzzles…', 'quit']);
    file[0]!.click!();
    file[1]!.click!();
    file[2]!.click!();
    ((t.find((m) => m.label === '&Help')!.submenu as Array<{ click?: () => void }>)[0]!).click!();
    expect(clicked).toEqual(['import', 'checkpoint', 'export', 'about']);
    const text = aboutText({
      app: { version: '1.2.3', mode: 'electron' },
      backend: { name: 'wasm', device: 'CPU, wasm SIMD', versions: { tfjs: '4.22.0' }, notes: ['tfjs-node: not installed'] },
      memory: { totalBytes: 1, freeBytes: 1, serviceRssBytes: 1 },
      dataDir: '/d',
      platform: 'linux-x64',
    });
    expect(text).toMatch(/Puzzle Lab 1\.2\.3/);
    expect(text).toMatch(/Backend: wasm — CPU, wasm SIMD/);
    expect(text).toMatch(/note: tfjs-node: not installed/);
  });
});
