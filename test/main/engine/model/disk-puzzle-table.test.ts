// The on-disk puzzle table of imported checkpoints: only the requested rows are read, unseen ids get
// zero rows, and a missing or cut-short file is named.
import { mkdtemp, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DiskPuzzleTable } from '../../../../src-main/engine/model/disk-puzzle-table';

async function tableFile(rows: number, dim: number): Promise<string> {
  const values = Float32Array.from({ length: rows * dim }, (_, i) => i + 0.5);
  const f = path.join(await mkdtemp(path.join(tmpdir(), 'table-')), 'puzzle-table.f32');
  const bytes = Buffer.alloc(values.length * 4);
  values.forEach((v, i) => bytes.writeFloatLE(v, i * 4));
  await writeFile(f, bytes);
  return f;
}

describe('the on-disk puzzle table', () => {
  it('gathers the requested rows in batch order, zero rows for negative ids', async () => {
    const t = new DiskPuzzleTable(await tableFile(1000, 3), 1000, 3);
    expect(Array.from(t.gather([999, -1, 2]))).toEqual([2997.5, 2998.5, 2999.5, 0, 0, 0, 6.5, 7.5, 8.5]);
    expect(() => t.gather([1000])).toThrow(/puzzle id 1000 is outside the table \(0\.\.999\)/);
  });

  it('names a missing or truncated file', async () => {
    const f = await tableFile(10, 4);
    await truncate(f, 100);
    const t = new DiskPuzzleTable(f, 10, 4);
    expect(() => t.check()).toThrow(new RegExp(`${f.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} has 100 bytes, expected 10×4 fp32 = 160`));
    expect(() => new DiskPuzzleTable(`${f}.gone`, 10, 4).gather([0])).toThrow(/cannot be opened \(ENOENT\)/);
  });
});
