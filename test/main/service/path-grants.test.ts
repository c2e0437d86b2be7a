// Over the API (serve and IPC share dispatch), a run reads files only from the library or from a path
// the user chose in a native dialog this session; an error never lists a folder or quotes a file.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { respond } from '../../../src-main/service/dispatch';
import { PathGrants } from '../../../src-main/service/path-grants';
import { scriptedService, tempDataDir, tinyConfig, waitForStatus } from './helpers';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const arcTask = { train: [{ input: [[1, 0]], output: [[0, 1]] }], test: [{ input: [[1, 1]], output: [[1, 1]] }] };

function setup() {
  const { dir, cleanup } = tempDataDir();
  const outside = path.join(dir, 'elsewhere');
  mkdirSync(path.join(outside, 'private'), { recursive: true });
  writeFileSync(path.join(outside, 'task.json'), JSON.stringify(arcTask));
  writeFileSync(path.join(outside, 'private', 'notes.json'), '{"password": "hunter2"}');
  const lab = path.join(dir, 'lab');
  const s = scriptedService(lab, { minFreeBytes: 0 });
  cleanups.push(cleanup, () => s.service.close());
  return { ...s, outside };
}

const fileConfig = (p: string) => ({ ...tinyConfig('from a file', 5), data: { ...tinyConfig('x', 5).data, source: { kind: 'file' as const, path: p } } });

describe('file data sources over the API', () => {
  it('refuses a path the user never chose, without reading it or listing anything', async () => {
    const { service, outside } = setup();
    for (const p of [outside, path.join(outside, 'task.json'), '/', path.join(outside, '..', 'elsewhere', 'task.json')]) {
      const r = await respond(service, 7, 'queueRuns', { configs: [fileConfig(p)] });
      expect(r).toMatchObject({ ok: false, error: { code: 'bad-request' } });
      const message = (r as { error: { message: string } }).error.message;
      expect(message).toMatch(/file or folder chosen in the app's own file dialog/);
      expect(message).not.toMatch(/notes\.json|hunter2|private/);
    }
    expect(await service.listRuns()).toEqual([]);
  });

  it('accepts a file or folder granted by a dialog, and what lies inside a granted folder', async () => {
    const { service, outside } = setup();
    service.grants.grant(outside);
    const [run] = await service.queueRuns({ configs: [fileConfig(path.join(outside, 'task.json'))] });
    expect((await waitForStatus(service, run!.id, ['completed', 'failed'])).status).toBe('completed');
  });

  it('does not let .. or a link climb out of a granted folder', () => {
    const { dir, cleanup } = tempDataDir();
    cleanups.push(cleanup);
    mkdirSync(path.join(dir, 'granted'));
    writeFileSync(path.join(dir, 'secret.json'), '{}');
    const g = new PathGrants();
    g.grant(path.join(dir, 'granted'));
    expect(g.allows(path.join(dir, 'granted', '..', 'secret.json'))).toBe(false);
    expect(g.allows(path.join(dir, 'granted-not', 'x.json'))).toBe(false);
    expect(g.allows('relative/path.json')).toBe(false);
  });
});
