// Opening the lab database: one SQLite file (libsql, better-sqlite3 API) in WAL mode.
//
// Durability: synchronous=FULL. In WAL mode NORMAL only risks the last transactions on an OS crash
// or power loss, but our run-state rows (status, checkpoint pointers) decide what a resume continues
// from, and a checkpoint row that survived while its metrics did not would leave a gap. FULL costs one
// fsync of the WAL per commit; metrics are written in batched transactions (a few per second), so
// the cost is negligible.
import Database from 'libsql';
import { accessSync, chmodSync, closeSync, constants, existsSync, mkdirSync, openSync } from 'node:fs';
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
  if (current === MIGRATIONS.length) return;
  // Foreign keys off while migrating (SQLite's procedure for rebuilding a table: a DROP would cascade
  // otherwise); PRAGMA foreign_keys is a no-op inside a transaction, so it is switched out here, and
  // each migration proves its keys intact before it commits.
  const keys = Number(pragmaValue(db, 'foreign_keys') ?? 0);
  db.exec('PRAGMA foreign_keys = OFF');
  try {
    for (let v = current; v < MIGRATIONS.length; v++) {
      const sql = MIGRATIONS[v] as string;
      db.transaction(() => {
        db.exec(sql);
        const broken = db.prepare('PRAGMA foreign_key_check').all();
        if (broken.length > 0) throw new Error(`migration ${v + 1} would leave ${broken.length} broken reference(s): ${JSON.stringify(broken[0])}`);
        db.exec(`PRAGMA user_version = ${v + 1}`);
      }).immediate();
    }
  } finally {
    if (keys) db.exec('PRAGMA foreign_keys = ON');
  }
}

/**
 * The lab's data folder, created private to the user (0700): it holds everything they made. An
 * existing folder keeps its mode (the user may share it on purpose).
 */
export function ensureDataDir(dataDir: string): void {
  if (!existsSync(dataDir)) {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    chmodSync(dataDir, 0o700); // mkdir's mode is filtered by the umask
  }
}

/** Why the lab cannot write its database, said at start instead of as "internal" on every write. */
function readOnlyMessage(file: string, why: string): string {
  return `the lab database ${file} is read-only (${why}); Puzzle Lab must be able to write it: make it and its folder writable for your user, or start with another data folder (--data-dir)`;
}

/** Throws the read-only message when the data folder or lab.db cannot be written. */
export function checkWritable(dataDir: string, file = path.join(dataDir, DB_FILE)): void {
  for (const p of existsSync(file) ? [dataDir, file] : [dataDir]) {
    try {
      accessSync(p, constants.W_OK);
    } catch (e) {
      throw new Error(readOnlyMessage(file, `${(e as NodeJS.ErrnoException).code ?? 'no write access'} on ${p}`));
    }
  }
}

const isReadOnlyError = (e: unknown): boolean =>
  /SQLITE_READONLY|SQLITE_CANTOPEN|readonly|read-only|EROFS|EACCES/i.test(`${(e as { code?: string }).code ?? ''} ${(e as Error).message ?? ''}`);

/** Opens (creating if needed) the database in `dataDir`, or in memory for ':memory:'. */
export function openDb(dataDir: string | ':memory:'): Db {
  let file = ':memory:';
  if (dataDir !== ':memory:') {
    ensureDataDir(dataDir);
    file = path.join(dataDir, DB_FILE);
    checkWritable(dataDir, file);
    // Created 0600 before SQLite opens it; SQLite gives the -wal and -shm files the same mode.
    if (!existsSync(file)) closeSync(openSync(file, 'wx', 0o600));
  }
  try {
    return setUp(new Database(file), file);
  } catch (e) {
    if (file !== ':memory:' && isReadOnlyError(e)) throw new Error(readOnlyMessage(file, (e as Error).message));
    throw e;
  }
}

function setUp(db: Db, file: string): Db {
  if (file !== ':memory:') {
    const mode = String(pragmaValue(db, 'journal_mode = WAL'));
    if (mode.toLowerCase() !== 'wal') throw new Error(`could not switch ${file} to WAL mode (got ${mode})`);
  }
  db.exec('PRAGMA synchronous = FULL');
  db.exec('PRAGMA foreign_keys = ON');
  // Another process (a second lab instance, a test reader) may hold the write lock briefly.
  db.exec('PRAGMA busy_timeout = 5000');
  try {
    // A write lock proves the file is writable (a read-only mount, or an immutable file, passes access()).
    db.exec('BEGIN IMMEDIATE');
    db.exec('ROLLBACK');
    migrate(db);
  } catch (e) {
    db.close();
    throw e;
  }
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
