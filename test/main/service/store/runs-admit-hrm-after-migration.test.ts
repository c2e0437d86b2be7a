import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'libsql';
import { afterEach, describe, expect, it } from 'vitest';
import { openDb, schemaVersion } from '../../../../src-main/service/store/db';
import { MIGRATIONS } from '../../../../src-main/service/store/migrations';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('the migration that admits HRM runs', () => {
  it('rebuilds runs with its rows, keeps every metric, checkpoint and index, and then accepts method hrm', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lab-db-hrm-'));
    dirs.push(dir);
    // A database as the app left it before the HRM migration (the first two migrations, foreign keys on).
    const hrmIndex = MIGRATIONS.findIndex((m) => m.includes("'hrm'"));
    expect(hrmIndex).toBeGreaterThan(0);
    const old = new Database(path.join(dir, 'lab.db'));
    old.exec('PRAGMA foreign_keys = ON');
    for (let v = 0; v < hrmIndex; v++) old.exec(MIGRATIONS[v] as string);
    old.exec(`PRAGMA user_version = ${hrmIndex}`);
    old.prepare("INSERT INTO runs (id, name, method, config, status, total_steps, created_at, run_dir) VALUES ('r', 'n', 'trm', '{}', 'completed', 10, 'now', '/x')").run();
    old.prepare("INSERT INTO metrics (run_id, key, step, value, wall_sec, trajectories, fwd_equiv) VALUES ('r', 'lm_loss', 1, 0.5, 0, 0, 0)").run();
    old.prepare("INSERT INTO checkpoints (run_id, step, path, sha256, created_at) VALUES ('r', 10, '/x/c', 'ab', 'now')").run();
    expect(() => old.prepare("INSERT INTO runs (id, name, method, config, status, total_steps, created_at, run_dir) VALUES ('h', 'n', 'hrm', '{}', 'queued', 10, 'now', '/y')").run()).toThrow(/CHECK/);
    old.close();

    const db = openDb(dir);
    expect(schemaVersion(db)).toBe(MIGRATIONS.length);
    expect(db.prepare('SELECT id, method, status FROM runs').all()).toEqual([{ id: 'r', method: 'trm', status: 'completed' }]);
    expect(db.prepare('SELECT COUNT(*) AS n FROM metrics').get()).toMatchObject({ n: 1 });
    expect(db.prepare('SELECT COUNT(*) AS n FROM checkpoints').get()).toMatchObject({ n: 1 });
    expect(db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND name = 'runs_by_status'").all()).toHaveLength(1);
    expect(Object.values(db.prepare('PRAGMA foreign_keys').get() as object)[0]).toBe(1);
    db.prepare("INSERT INTO runs (id, name, method, config, status, total_steps, created_at, run_dir) VALUES ('h', 'n', 'hrm', '{}', 'queued', 10, 'now', '/y')").run();
    expect(() => db.prepare("INSERT INTO runs (id, name, method, config, status, total_steps, created_at, run_dir) VALUES ('z', 'n', 'xyz', '{}', 'queued', 10, 'now', '/z')").run()).toThrow(/CHECK/);
    // The children still reference the rebuilt table: deleting the run cascades.
    db.prepare("DELETE FROM runs WHERE id = 'r'").run();
    expect(db.prepare('SELECT COUNT(*) AS n FROM metrics').get()).toMatchObject({ n: 0 });
    db.close();
  });
});
