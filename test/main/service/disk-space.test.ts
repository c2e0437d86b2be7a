import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { freeBytes, isDiskFull } from '../../../src-main/service/disk-space';
import { tempDataDir } from './helpers';

describe('recognising a full disk', () => {
  it('knows SQLite and file-system disk-full errors, and engine messages that carry them', () => {
    expect(isDiskFull(Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' }))).toBe(true);
    expect(isDiskFull(Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' }))).toBe(true);
    expect(isDiskFull('ENOSPC: no space left on device, open /x/checkpoints/.tmp-1/arrays.bin')).toBe(true);
    expect(isDiskFull(new Error('cannot rollback - no transaction is active'))).toBe(false);
    expect(isDiskFull('engine process was killed (SIGKILL)')).toBe(false);
  });

  it('measures free space on the nearest existing folder when the runs folder does not exist yet', () => {
    const { dir, cleanup } = tempDataDir();
    try {
      const free = freeBytes(path.join(dir, 'not', 'yet', 'runs'));
      expect(free).not.toBeNull();
      expect(free!).toBeGreaterThan(0);
    } finally {
      cleanup();
    }
  });
});
