// Pairing an imported PyTorch checkpoint with the library dataset that came from the authors' dataset
// folder it trained on: the library keeps that folder's identifiers (puzzle id → version), so the
// import gives every puzzle-embedding row its task version, as `import-checkpoint --dataset` does; a
// table of another size is refused with the same message, and a plain dataset stays unmatched.
import { existsSync, readdirSync } from 'node:fs';
import { copyFile, mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readCheckpoint } from '../../../src-main/engine/checkpoint-io';
import { parseMeta } from '../../../src-main/engine/checkpoint-state';
import { identifiersRefOf } from '../../../src-main/pipeline/authors-dataset/identifiers-store';
import { openStateDict } from '../../../src-main/pipeline/torch/state-dict';
import { writeTorchStateDict } from '../../../src-main/pipeline/torch/torch-writer';
import { generateTasks } from '../../../src-shared/generators';
import { writeTaskJson } from '../../../src-shared/puzzle/formats';
import { realEngineService } from './helpers';

const FIX = path.resolve('test/fixtures/torch');
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const setup = () => realEngineService(cleanups);

/** The fp32 TRM fixture with its puzzle table resized to `rows` (and its all_config.yaml beside it). */
async function checkpointWithRows(rows: number): Promise<string> {
  const sd = await openStateDict(path.join(FIX, 'trm', 'step_7'));
  const entries = [];
  for (const [key, e] of sd.entries) {
    const data = await e.read();
    if (key.endsWith('puzzle_emb.weights')) {
      const dim = e.shape[1] as number;
      const table = new Float32Array(rows * dim);
      for (let i = 0; i < table.length; i++) table[i] = data[i % data.length] as number;
      entries.push({ key, shape: [rows, dim], data: table });
    } else entries.push({ key, shape: e.shape, data });
  }
  await sd.close();
  const dir = await mkdtemp(path.join(tmpdir(), 'puzzle-lab-pair-'));
  cleanups.push(() => import('node:fs').then((fs) => fs.rmSync(dir, { recursive: true, force: true })));
  await writeTorchStateDict(path.join(dir, 'step_7'), entries);
  await copyFile(path.join(FIX, 'trm', 'all_config.yaml'), path.join(dir, 'all_config.yaml'));
  return path.join(dir, 'step_7');
}

describe('pairing an imported checkpoint with an authors’ dataset in the library', () => {
  it('keeps the folder’s identifiers with the library dataset and gives every puzzle row its version on import', async () => {
    const { service, dir } = setup();
    const tasks = generateTasks('flip-rotate', { count: 3, minSide: 3, maxSide: 5, difficulty: 1, seed: 2 });
    const mine = await service.importFiles({ name: 'flips', files: tasks.map((t) => ({ name: `${t.id}.json`, content: writeTaskJson(t) })) });
    const exp = await service.exportAuthorsDataset({ datasetId: mine.datasetId!, augmentations: 4, seed: 9 });
    const identifiers = JSON.parse(await readFile(path.join(exp.folder, 'identifiers.json'), 'utf8')) as string[];
    const authors = await service.importAuthorsDataset({ folder: exp.folder, name: 'flips (authors)' });

    // The list is kept in the data dir, referenced (not copied) by the dataset's provenance.
    const summary = (await service.listDatasets()).find((d) => d.id === authors.datasetId)!;
    const ref = identifiersRefOf(summary.provenance);
    expect(ref).toMatchObject({ count: identifiers.length, source: path.join(exp.folder, 'identifiers.json') });
    expect(summary.provenance.length).toBeLessThan(2000);
    expect(existsSync(path.join(dir, ref!.file))).toBe(true);

    const file = await checkpointWithRows(identifiers.length);
    const run = await service.importCheckpoint({ source: { kind: 'path', path: file }, overrides: { canvas: 6 }, pair: { kind: 'dataset', datasetId: authors.datasetId } });
    const detail = await service.getRun({ id: run.id });
    expect(detail.config.provenance?.notes.join(' ')).toContain('kept with library dataset "flips (authors)"');
    const ckpt = (await service.listCheckpoints({ runId: run.id }))[0]!;
    const meta = parseMeta((await readCheckpoint(ckpt.path)).meta, ckpt.path);
    expect(meta.versionNames).toEqual(identifiers);
    expect(Object.keys(meta.fingerprints).sort()).toEqual(tasks.map((t) => t.id).sort());
    // The playground sees the tasks as trained, not as unseen.
    const task = (await service.listTasks({ datasetId: authors.datasetId })).items[0]!;
    const lib = await service.getTask({ id: task.id });
    expect((await service.classifyTask({ runId: run.id, task: lib.task })).embedding).toBe('trained');
  }, 180_000);

  it('refuses a checkpoint whose table does not match the kept identifiers, with the CLI’s message, and leaves a plain dataset unmatched', async () => {
    const { service, dir } = setup();
    const tasks = generateTasks('recolour', { count: 2, minSide: 3, maxSide: 4, difficulty: 1, seed: 5 });
    const mine = await service.importFiles({ name: 'recolours', files: tasks.map((t) => ({ name: `${t.id}.json`, content: writeTaskJson(t) })) });
    const exp = await service.exportAuthorsDataset({ datasetId: mine.datasetId!, augmentations: 2, seed: 1 });
    const authors = await service.importAuthorsDataset({ folder: exp.folder });
    const n = (JSON.parse(await readFile(path.join(exp.folder, 'identifiers.json'), 'utf8')) as string[]).length;
    expect(n).not.toBe(10);

    const tenRows = path.join(FIX, 'trm', 'step_7');
    await expect(service.importCheckpoint({ source: { kind: 'path', path: tenRows }, overrides: { canvas: 6 }, pair: { kind: 'dataset', datasetId: authors.datasetId } })).rejects.toThrow(
      new RegExp(`identifiers\\.json \\(kept with library dataset .*\\): lists ${n} puzzle identifiers, but key .*puzzle_emb\\.weights of .* has 10 rows: the dataset is not the one this checkpoint trained on`),
    );
    expect(await service.listRuns()).toEqual([]);
    expect(existsSync(path.join(dir, 'runs')) ? readdirSync(path.join(dir, 'runs')) : []).toEqual([]);

    // A library dataset of the user's own: nothing to match with, blank embeddings (as before).
    const plain = await service.importCheckpoint({ source: { kind: 'path', path: tenRows }, overrides: { canvas: 6 }, pair: { kind: 'dataset', datasetId: mine.datasetId! } });
    const ckpt = (await service.listCheckpoints({ runId: plain.id }))[0]!;
    expect(parseMeta((await readCheckpoint(ckpt.path)).meta, ckpt.path).versionNames).toEqual([]);
  }, 180_000);
});
