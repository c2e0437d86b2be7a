import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { integrityCheck, migrate, openDb, schemaVersion } from '../../../../src-main/service/store/db';
import { MIGRATIONS } from '../../../../src-main/service/store/migrations';

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(path.join(tmpdir(), 'lab-db-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const pragma = (db: ReturnType<typeof openDb>, name: string) => Object.values(db.prepare(`PRAGMA ${name}`).get() as object)[0];

describe('the lab database', () => {
  it('opens in WAL mode with foreign keys on and FULL sync, at the newest schema version', () => {
    const db = openDb(tempDir());
    expect(pragma(db, 'journal_mode')).toBe('wal');
    expect(pragma(db, 'foreign_keys')).toBe(1);
    expect(pragma(db, 'synchronous')).toBe(2);
    expect(schemaVersion(db)).toBe(MIGRATIONS.length);
    expect(integrityCheck(db)).toBe('ok');
    db.close();
  });

  it('keeps its data and version across reopening, and migrating twice changes nothing', () => {
    const dir = tempDir();
    const a = openDb(dir);
    a.prepare("INSERT INTO datasets (id, name, kind, provenance, created_at) VALUES ('d1', 'x', 'user', '{}', 'now')").run();
    a.close();
    const b = openDb(dir);
    migrate(b);
    expect(schemaVersion(b)).toBe(MIGRATIONS.length);
    expect(b.prepare('SELECT name FROM datasets').all()).toEqual([expect.objectContaining({ name: 'x' })]);
    b.close();
  });

  it('refuses a database written by a newer version of the app', () => {
    const dir = tempDir();
    const a = openDb(dir);
    a.exec(`PRAGMA user_version = ${MIGRATIONS.length + 1}`);
    a.close();
    expect(() => openDb(dir)).toThrow(/newer than this app knows/);
  });

  it('cascades deletes of a run to its metrics, and rejects metrics of an unknown run', () => {
    const db = openDb(':memory:');
    db.prepare(
      "INSERT INTO runs (id, name, method, config, status, total_steps, created_at, run_dir) VALUES ('r', 'n', 'trm', '{}', 'queued', 10, 'now', '/x')",
    ).run();
    const ins = db.prepare('INSERT INTO metrics (run_id, key, step, value, wall_sec, trajectories, fwd_equiv) VALUES (?, ?, ?, ?, 0, 0, 0)');
    ins.run('r', 'loss', 1, 0.5);
    expect(() => ins.run('nope', 'loss', 1, 0.5)).toThrow(/FOREIGN KEY/);
    db.prepare("DELETE FROM runs WHERE id = 'r'").run();
    expect(db.prepare('SELECT COUNT(*) AS n FROM metrics').get()).toMatchObject({ n: 0 });
    db.close();
  });
});
