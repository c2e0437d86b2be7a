// A full disk is a state the lab waits out, not a crash: recognising disk-full errors from SQLite and
// the file system, and measuring free space so the queue can pause a run before its next checkpoint
// fails and resume it when space returns.
import { statfsSync } from 'node:fs';
import path from 'node:path';

/** Prefix of a run's error while it waits for disk space (also how a restart recognises the state). */
export const DISK_FULL_PREFIX = 'Disk full:';
/** Prefix of a run's error while it waits because the database refused a write for another reason. */
export const STORAGE_PREFIX = "Cannot write to the lab's data folder";

const CODES = new Set(['ENOSPC', 'EDQUOT', 'SQLITE_FULL']);
const MESSAGES = /ENOSPC|EDQUOT|no space left on device|disk quota exceeded|database or disk is full/i;

/** Is this error (or engine message) the disk or quota running out? */
export function isDiskFull(e: unknown): boolean {
  if (typeof e === 'string') return MESSAGES.test(e);
  if (typeof e !== 'object' || e === null) return false;
  const code = (e as { code?: unknown }).code;
  if (typeof code === 'string' && (CODES.has(code) || code.startsWith('SQLITE_FULL'))) return true;
  const message = (e as { message?: unknown }).message;
  return typeof message === 'string' && MESSAGES.test(message);
}

/** Bytes an unprivileged process may still write on the file system holding `dir`, or null if unknown. */
export function freeBytes(dir: string): number | null {
  // The runs folder may not exist yet: measure the nearest folder above it that does.
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    try {
      const s = statfsSync(d);
      return Number(s.bavail) * Number(s.bsize);
    } catch {
      if (path.dirname(d) === d) return null;
    }
  }
}

export function formatBytes(n: number): string {
  if (n >= 2 ** 30) return `${(n / 2 ** 30).toFixed(1)} GB`;
  if (n >= 2 ** 20) return `${(n / 2 ** 20).toFixed(1)} MB`;
  return `${Math.max(0, Math.round(n / 2 ** 10))} KB`;
}
