// Start-up of the lab service: the data folder private to the user, a read-only database named at
// once, and one service per folder even when two start at the same instant.
import { execFile, execFileSync, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { forkLauncher } from '../../../src-main/engine/process/host';
import { LabService } from '../../../src-main/service/api';
import { tempDataDir } from './helpers';

const run = promisify(execFile);
const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const c of cleanups.splice(0).reverse()) c();
});

const open = (dataDir: string) => new LabService({ dataDir, mode: 'serve', launcher: forkLauncher(), probeBackend: false, log: () => {} });
const isRoot = process.getuid?.() === 0;

describe('starting the lab service', () => {
  it('creates the data folder 0700 and lab.db 0600', async () => {
    const { dir, cleanup } = tempDataDir();
    cleanups.push(cleanup);
    const dataDir = path.join(dir, 'fresh', 'lab');
    const s = open(dataDir);
    await s.close();
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    expect(statSync(path.join(dataDir, 'lab.db')).mode & 0o777).toBe(0o600);
  });

  it('says at start that lab.db is read-only, instead of failing every write later', async () => {
    const { dir, cleanup } = tempDataDir();
    cleanups.push(cleanup);
    let dataDir = path.join(dir, 'lab');
    if (isRoot) {
      // root writes through file modes: a read-only (bind) mount is what it cannot write
      await open(dataDir).close();
      const view = mkdtempSync(path.join(tmpdir(), 'lab-ro-'));
      execFileSync('mount', ['--bind', dataDir, view]);
      cleanups.push(() => {
        execFileSync('umount', ['-l', view]);
        rmSync(view, { recursive: true, force: true });
      });
      execFileSync('mount', ['-o', 'remount,bind,ro', view]);
      dataDir = view;
    } else {
      await open(dataDir).close();
      chmodSync(path.join(dataDir, 'lab.db'), 0o444);
      chmodSync(dataDir, 0o500);
      cleanups.push(() => chmodSync(dataDir, 0o700));
    }
    expect(() => open(dataDir)).toThrow(/the lab database .*lab\.db is read-only .*must be able to write it/);
  });

  it('refuses a second service by its lock before it opens or migrates the database', () => {
    const { dir, cleanup } = tempDataDir();
    cleanups.push(cleanup);
    // another live process holds the folder; lab.db is an empty (unmigrated) file
    const holder = spawn('sleep', ['60'], { stdio: 'ignore' });
    cleanups.push(() => holder.kill());
    writeFileSync(path.join(dir, 'lab.lock'), `${holder.pid}\n`);
    writeFileSync(path.join(dir, 'lab.db'), '');
    expect(() => open(dir)).toThrow(new RegExp(`another Puzzle Lab service \\(pid ${holder.pid}\\)`));
    expect(statSync(path.join(dir, 'lab.db')).size).toBe(0); // untouched: no schema was created
  });

  it('lets exactly one of two services started at the same instant have the folder, before any migration', async () => {
    const { dir, cleanup } = tempDataDir();
    cleanups.push(cleanup);
    const dataDir = path.join(dir, 'race');
    const fixture = path.join(import.meta.dirname, 'fixtures', 'open-service.ts');
    const at = String(Date.now() + 4000);
    const outs = await Promise.all(
      [0, 1].map(() =>
        run(process.execPath, ['--import', 'tsx', fixture, dataDir, at], { cwd: path.resolve(import.meta.dirname, '../../..') }).then(
          (r) => r.stdout.trim(),
          (e: { stdout?: string }) => (e.stdout ?? '').trim(),
        ),
      ),
    );
    expect(outs.filter((o) => o === 'ok')).toHaveLength(1);
    expect(outs.find((o) => o !== 'ok')).toMatch(/^error: another Puzzle Lab service/);
  }, 60_000);
});
