// Bad authors' dataset folders: each defect is an error naming the file and the key (or example), and
// a library import of such a folder adds nothing.
import { cp, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { importAuthorsDatasetIntoLibrary } from '../../../../src-main/service/authors-library-import';
import { encodeNpy, readNpy } from '../../../../src-main/pipeline/authors-dataset/npy';
import { readAuthorsDataset, verifyTestSplit } from '../../../../src-main/pipeline/authors-dataset/read';
import { writeAuthorsDataset } from '../../../../src-main/pipeline/authors-dataset/write';
import { openDb } from '../../../../src-main/service/store/db';
import { LibraryStore } from '../../../../src-main/service/store/library-store';
import { arcTasks, tempDir } from './helpers';

let good = '';

beforeAll(async () => {
  good = path.join(await tempDir('authors-good'), 'good');
  await writeAuthorsDataset(await arcTasks(3), good, { augmentations: 6, seed: 5 });
});

/** A copy of the good folder with one defect. */
async function broken(mutate: (dir: string) => Promise<void>): Promise<string> {
  const dir = path.join(await tempDir('authors-bad'), 'bad');
  await cp(good, dir, { recursive: true });
  await mutate(dir);
  return dir;
}

async function errorOf(dir: string, full = false): Promise<string> {
  try {
    const ds = await readAuthorsDataset(dir);
    try {
      if (full) await verifyTestSplit(ds);
    } finally {
      await ds.close();
    }
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected an error');
}

async function editJson(file: string, f: (x: unknown) => unknown): Promise<void> {
  await writeFile(file, JSON.stringify(f(JSON.parse(await readFile(file, 'utf8')))));
}

describe("reading a bad authors' dataset folder", () => {
  it('names a missing file', async () => {
    const dir = await broken((d) => rm(path.join(d, 'test', 'all__group_indices.npy')));
    expect(await errorOf(dir)).toBe('test/all__group_indices.npy: file is missing');
    const noIds = await broken((d) => rm(path.join(d, 'identifiers.json')));
    expect(await errorOf(noIds)).toBe('identifiers.json: file is missing');
  });

  it('names a table with the wrong dtype', async () => {
    const dir = await broken(async (d) => {
      const f = path.join(d, 'train', 'all__labels.npy');
      const a = await readNpy(f);
      await writeFile(f, encodeNpy('float32', a.shape, a.data as Uint8Array));
    });
    expect(await errorOf(dir)).toBe('train/all__labels.npy › dtype: must be an integer type (the builder writes uint8), got float32');
  });

  it('names a table whose shape disagrees with dataset.json or the other tables', async () => {
    const wide = await broken(async (d) => {
      const f = path.join(d, 'test', 'all__inputs.npy');
      const a = await readNpy(f);
      const rows = a.shape[0]!;
      await writeFile(f, encodeNpy('uint8', [rows, 899], (a.data as Uint8Array).subarray(0, rows * 899)));
    });
    expect(await errorOf(wide)).toMatch(/^test\/all__inputs\.npy › shape: must be \(examples, 900\) as test\/dataset\.json seq_len says, got \(\d+, 899\)$/);
    const short = await broken(async (d) => {
      const f = path.join(d, 'train', 'all__puzzle_identifiers.npy');
      const a = await readNpy(f);
      await writeFile(f, encodeNpy('int32', [a.shape[0]! - 1], (a.data as Int32Array).subarray(1)));
    });
    expect(await errorOf(short)).toMatch(/^train\/all__puzzle_identifiers\.npy › shape: must hold one identifier per puzzle \(\d+, from train\/all__puzzle_indices\.npy\), got \d+$/);
  });

  it('names a dataset.json count that does not match the tables', async () => {
    const dir = await broken((d) => editJson(path.join(d, 'train', 'dataset.json'), (m) => ({ ...(m as object), total_puzzles: 3 })));
    expect(await errorOf(dir)).toMatch(/^train\/dataset\.json › total_puzzles: says 3, but train\/all__puzzle_indices\.npy holds \d+ puzzles$/);
  });

  it('refuses an identifiers file that does not match the table', async () => {
    // one identifier too few
    const fewer = await broken((d) => editJson(path.join(d, 'identifiers.json'), (ids) => (ids as string[]).slice(0, -1)));
    expect(await errorOf(fewer)).toMatch(/puzzle id \d+ is outside identifiers\.json|num_puzzle_identifiers: says \d+, but identifiers\.json lists \d+ identifiers/);
    // two tasks' names swapped: a group then mixes tasks
    const crossed = await broken((d) =>
      editJson(path.join(d, 'identifiers.json'), (raw) => {
        const ids = raw as string[];
        const a = ids.findIndex((n) => n.includes('|||'));
        const other = ids[a]!.split('|||')[0];
        const b = ids.findIndex((n) => n.includes('|||') && !n.startsWith(other!));
        [ids[a], ids[b]] = [ids[b]!, ids[a]!];
        return ids;
      }),
    );
    expect(await errorOf(crossed)).toMatch(/^train\/all__group_indices\.npy › group \d+: mixes versions of task \w+ and task \w+ .*identifiers\.json does not match the table$/);
    // two versions of one task swapped: the transforms no longer undo the stored grids
    const swapped = await broken((d) =>
      editJson(path.join(d, 'identifiers.json'), (raw) => {
        const ids = raw as string[];
        const task = ids[1]!.split('|||')[0]!;
        const vs = ids.map((n, i) => [n, i] as const).filter(([n]) => n.startsWith(`${task}|||`));
        const i = vs[0]![1];
        const j = vs.find(([n]) => n.split('|||')[1] !== vs[0]![0].split('|||')[1])![1];
        [ids[i], ids[j]] = [ids[j]!, ids[i]!];
        return ids;
      }),
    );
    expect(await errorOf(swapped, true)).toMatch(/^test\/all__inputs\.npy › example \d+: undone with ".*" \(identifier \d+\) it matches no test input of task \w+ in test_puzzles\.json; identifiers\.json does not match the table$/);
    const badName = await broken((d) => editJson(path.join(d, 'identifiers.json'), (ids) => (ids as string[]).map((n, i) => (i === 2 ? `${n.split('|||')[0]}|||t9|||0123456789` : n))));
    expect(await errorOf(badName)).toMatch(/^identifiers\.json › \[2\]: version name ".*" must be|^identifiers\.json › \[2\]: .*transform "t9" must be t0\.\.t7/);
  });

  it('names a token outside the vocabulary with its example and position', async () => {
    const dir = await broken(async (d) => {
      const f = path.join(d, 'test', 'all__labels.npy');
      const a = await readNpy(f);
      const data = Uint8Array.from(a.data as Uint8Array);
      data[900 + 17] = 12;
      await writeFile(f, encodeNpy('uint8', a.shape, data));
    });
    expect(await errorOf(dir, true)).toBe('test/all__labels.npy › example 1, position 17: token 12 is outside the vocabulary (vocab_size 12)');
  });

  it('imports nothing into the library when the folder has any defect, and everything when it has none', async () => {
    const db = openDb(':memory:');
    try {
      const store = new LibraryStore(db);
      const dir = await broken((d) => rm(path.join(d, 'test_puzzles.json')));
      await expect(importAuthorsDatasetIntoLibrary(store, dir)).rejects.toThrow('test_puzzles.json: file is missing');
      expect(store.datasets()).toEqual([]);
      const r = await importAuthorsDatasetIntoLibrary(store, good, 'ARC eval (authors)');
      expect(r.loaded).toBe(3);
      expect(store.datasets().map((d) => [d.name, d.kind, d.taskCount])).toEqual([['ARC eval (authors)', 'import', 3]]);
      expect(JSON.parse(store.datasets()[0]!.provenance)).toMatchObject({ authorsDataset: good });
    } finally {
      db.close();
    }
  });
});
