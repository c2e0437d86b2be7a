// `puzzle-lab import-checkpoint`, in-process: into the library of a data folder, into a bare run
// folder that `puzzle-lab infer` reads, and the errors a user sees.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../../../src-main/cli/index';
import type { Io } from '../../../../src-main/cli/io';
import { openDb } from '../../../../src-main/service/store/db';
import { RunStore } from '../../../../src-main/service/store/run-store';
import { LibraryStore } from '../../../../src-main/service/store/library-store';
import { identifiersRefOf } from '../../../../src-main/pipeline/authors-dataset/identifiers-store';
import { generateTasks } from '../../../../src-shared/generators';
import { writeTaskJson } from '../../../../src-shared/puzzle/formats';

const FIX = path.resolve('test/fixtures/torch');

function io(): Io & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (t) => void stdout.push(t), err: (t) => void stderr.push(t), isTTY: false, columns: 120, colour: 'none' };
}

describe('puzzle-lab import-checkpoint', () => {
  it('adds a completed run with its checkpoint to the library of the data folder', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'cli-import-'));
    const o = io();
    const code = await main(['import-checkpoint', path.join(FIX, 'trm', 'step_7'), '--data-dir', dataDir, '--canvas', '6', '--json'], o);
    expect(o.stderr.join('')).toBe('');
    expect(code).toBe(0);
    const r = JSON.parse(o.stdout.join('')) as { run: { id: string; status: string; step: number } };
    expect(r.run).toMatchObject({ status: 'completed', step: 7 });
    const db = openDb(dataDir);
    try {
      const runs = new RunStore(db);
      expect(runs.checkpoints(r.run.id).map((c) => c.step)).toEqual([7]);
      expect(JSON.parse(runs.run(r.run.id)!.config).provenance.kind).toBe('pytorch-checkpoint');
    } finally {
      db.close();
    }
  });

  it('writes a bare run folder that `puzzle-lab infer` runs on a task file', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'cli-import-'));
    const task = path.join(dir, 'swap.json');
    await writeFile(task, JSON.stringify({ train: [{ input: [[1, 2]], output: [[2, 1]] }], test: [{ input: [[3, 4]], output: [[4, 3]] }] }));
    const a = io();
    expect(await main(['import-checkpoint', path.join(FIX, 'dis', 'step_5'), '--out', path.join(dir, 'run'), '--tasks', task, '--canvas', '6'], a)).toBe(0);
    expect(a.stdout.join('')).toContain('DIS');
    const b = io();
    expect(await main(['infer', path.join(dir, 'run'), task, '--data-dir', path.join(dir, 'lab'), '--json'], b)).toBe(0);
    const r = JSON.parse(b.stdout.join('')) as { steps: unknown[]; embedding: string; side: number };
    expect(r).toMatchObject({ side: 6, embedding: 'unseen' });
    expect(r.steps).toHaveLength(3);
  });

  it('says which values to confirm when there is no all_config.yaml, and imports nothing', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'cli-import-'));
    const o = io();
    expect(await main(['import-checkpoint', path.join(FIX, 'trm-bf16', 'step_7'), '--data-dir', dataDir], o)).toBe(1);
    expect(o.stderr.join('')).toMatch(/trm-bf16\/step_7: heads, T, n, Nsup cannot be read .*--heads --T --n --nsup/);
    const db = openDb(dataDir);
    try {
      expect(new RunStore(db).runs()).toEqual([]);
    } finally {
      db.close();
    }
    const i = io();
    expect(await main(['import-checkpoint', path.join(FIX, 'trm-bf16', 'step_7'), '--inspect', '--data-dir', dataDir], i)).toBe(0);
    expect(i.stdout.join('')).toContain('still to confirm: heads, T, n, Nsup');
  });

  it('names the MLP-mixer and takes --pos-encodings for what the weights cannot tell', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'cli-import-'));
    const o = io();
    expect(await main(['import-checkpoint', path.join(FIX, 'trm-mlp-t', 'step_9'), '--inspect', '--data-dir', dataDir], o)).toBe(0);
    expect(o.stdout.join('')).toContain('MLP-mixer over positions (mlp_t)');
    expect(o.stdout.join('')).toContain('positions  none (all_config.yaml)');
    const p = io();
    expect(await main(['import-checkpoint', path.join(FIX, 'trm-bf16', 'step_7'), '--inspect', '--pos-encodings', 'none', '--heads', '4', '--data-dir', dataDir], p)).toBe(0);
    expect(p.stdout.join('')).toContain('positions  none (user)');
  });

  it('keeps the identifiers of an imported authors’ folder, so --pair-dataset checks the table against them', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'cli-import-'));
    const dataDir = path.join(dir, 'lab');
    const file = path.join(dir, 'task.json');
    await writeFile(file, writeTaskJson(generateTasks('recolour', { count: 1, minSide: 3, maxSide: 4, difficulty: 1, seed: 4 })[0]!));
    expect(await main(['export-dataset', file, '--augmentations', '2', '--out', path.join(dir, 'authors'), '--data-dir', dataDir], io())).toBe(0);
    const imp = io();
    expect(await main(['import-dataset', path.join(dir, 'authors'), '--data-dir', dataDir, '--json'], imp)).toBe(0);
    const { datasetId } = JSON.parse(imp.stdout.join('')) as { datasetId: string };
    const db = openDb(dataDir);
    let count: number;
    try {
      const ref = identifiersRefOf(new LibraryStore(db).dataset(datasetId)!.provenance);
      expect(ref?.file).toMatch(/^authors-identifiers\//);
      count = ref!.count;
    } finally {
      db.close();
    }
    const o = io();
    expect(await main(['import-checkpoint', path.join(FIX, 'trm', 'step_7'), '--data-dir', dataDir, '--canvas', '6', '--pair-dataset', datasetId], o)).toBe(1);
    expect(o.stderr.join('')).toMatch(new RegExp(`kept with library dataset .*lists ${count} puzzle identifiers, but key .* has 10 rows`));

    // --dataset with that folder pairs with the dataset already imported from it (no second copy), by the same check
    const d = io();
    expect(await main(['import-checkpoint', path.join(FIX, 'trm', 'step_7'), '--data-dir', dataDir, '--canvas', '6', '--dataset', path.join(dir, 'authors')], d)).toBe(1);
    expect(d.stderr.join('')).toMatch(new RegExp(`lists ${count} puzzle identifiers, but key .* has 10 rows`));
    const db2 = openDb(dataDir);
    try {
      expect(new LibraryStore(db2).datasets().filter((x) => identifiersRefOf(x.provenance) !== null)).toHaveLength(1);
    } finally {
      db2.close();
    }
  });
});
