// Opening the lab database: one SQLite file (libsql, better-sqlite3 API) in WAL mode.
//
// Durability: synchronous=FULL. In WAL mode NORMAL only risks the last transactions on an OS crash
// or power loss, but our run-state rows (status, checkpoint pointers) decide what a resume continues
// from, and a checkpoint row that survived while its metrics did not would leave a gap. FULL costs one
// fsync of the WAL per commit; metrics are written in batched transactions (a few per second), so
// the cost is negligible.
import Database from 'libsql';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { MIGRATIONS } from './migrations';

export type Db = Database.Database;

export const DB_FILE = 'lab.db';

/** The value a PRAGMA statement returns (its first column; libsql adds a _metadata field). */
function pragmaValue(db: Db, statement: string): unknown {
  const row = db.prepare(`PRAGMA ${statement}`).get() as Record<string, unknown> | undefined;
  return row === undefined ? undefined : Object.values(row)[0];
}

export function schemaVersion(db: Db): number {
  return Number(pragmaValue(db, 'user_version') ?? 0);
}

/** Brings the schema up to date; each migration and its version bump commit together. */
export function migrate(db: Db): void {
  const current = schemaVersion(db);
  if (current > MIGRATIONS.length) {
    throw new Error(
      `the lab database has schema version ${current}, newer than this app knows (${MIGRATIONS.length}); update Puzzle Lab`,
    );
  }
  for (let v = current; v < MIGRATIONS.length; v++) {
    const sql = MIGRATIONS[v] as string;
    db.transaction(() => {
      db.exec(sql);
      db.exec(`PRAGMA user_version = ${v + 1}`);
    }).immediate();
  }
}

/** Opens (creating if needed) the database in `dataDir`, or in memory for ':memory:'. */
export function openDb(dataDir: string | ':memory:'): Db {
  let file = ':memory:';
  if (dataDir !== ':memory:') {
    mkdirSync(dataDir, { recursive: true });
    file = path.join(dataDir, DB_FILE);
  }
  const db = new Database(file);
  if (file !== ':memory:') {
    const mode = String(pragmaValue(db, 'journal_mode = WAL'));
    if (mode.toLowerCase() !== 'wal') throw new Error(`could not switch ${file} to WAL mode (got ${mode})`);
  }
  db.exec('PRAGMA synchronous = FULL');
  db.exec('PRAGMA foreign_keys = ON');
  // Another process (a second lab instance, a test reader) may hold the write lock briefly.
  db.exec('PRAGMA busy_timeout = 5000');
  migrate(db);
  return db;
}

/**
 * Runs fn in one IMMEDIATE transaction. Unlike libsql's own wrapper it keeps the original error: when
 * a write fails with SQLITE_FULL, SQLite has already rolled back, and a second ROLLBACK would throw
 * "cannot rollback - no transaction is active" instead of saying the disk is full.
 */
export function immediateTransaction<T>(db: Db, fn: () => T): T {
  db.exec('BEGIN IMMEDIATE');
  try {
    const result = fn();
    db.exec('COMMIT');
    return result;
  } catch (e) {
    if (db.inTransaction) {
      try {
        db.exec('ROLLBACK');
      } catch {
        // already rolled back by SQLite; the first error is the one that explains what happened
      }
    }
    throw e;
  }
}

/** `PRAGMA integrity_check` result: 'ok' or the problems found. */
export function integrityCheck(db: Db): string {
  const rows = db.prepare('PRAGMA integrity_check').all() as Array<Record<string, unknown>>;
  return rows.map((r) => String(r['integrity_check'])).join('\n');
}
