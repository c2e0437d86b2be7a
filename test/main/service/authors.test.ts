// The service's side of the authors' pipeline, through the API as the UI calls it: a library dataset
// exported under the data directory's exports/, imported back as a new dataset (with a library event),
// and a run exported for torchrun; bad requests name what is wrong.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { respond } from '../../../src-main/service/dispatch';
import { generateTasks } from '../../../src-shared/generators';
import { writeTaskJson } from '../../../src-shared/puzzle/formats';
import { scriptedService, tempDataDir, tinyConfig } from './helpers';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

function setup() {
  const { dir, cleanup } = tempDataDir();
  const { service, events } = scriptedService(dir);
  cleanups.push(async () => {
    await service.close();
    cleanup();
  });
  return { dir, service, events };
}

describe("the authors' pipeline in the lab service", () => {
  it('exports a library dataset under exports/ and imports the folder back as a new dataset', async () => {
    const { dir, service, events } = setup();
    const tasks = generateTasks('flip-rotate', { count: 3, minSide: 3, maxSide: 5, difficulty: 1, seed: 2 });
    const imported = await service.importFiles({ name: 'flips', files: tasks.map((t) => ({ name: `${t.id}.json`, content: writeTaskJson(t) })) });
    const exp = await service.exportAuthorsDataset({ datasetId: imported.datasetId!, augmentations: 4, seed: 9 });
    expect(path.dirname(exp.folder)).toBe(path.join(dir, 'exports'));
    expect(exp.splits.test.groups).toBe(3);
    expect(JSON.parse(await readFile(path.join(exp.folder, 'train', 'dataset.json'), 'utf8'))).toMatchObject({ seq_len: 900, vocab_size: 12, total_groups: 3 });

    const back = await service.importAuthorsDataset({ folder: exp.folder, name: 'flips (authors)' });
    expect(back).toMatchObject({ name: 'flips (authors)', loaded: 3, evaluationTasks: 3, trainSplitTasks: 0 });
    expect(events).toContainEqual({ type: 'library', datasetId: back.datasetId });
    const again = (await service.listTasks({ datasetId: back.datasetId })).items.map((t) => t.taskId).sort();
    expect(again).toEqual(tasks.map((t) => t.id).sort());
  });

  it('exports a generated Sudoku dataset in the board layout (81 tokens, vocab 11, the blank id)', async () => {
    const { service } = setup();
    const { datasetId } = await service.generateTasks({ family: 'sudoku', count: 2, minSide: 9, maxSide: 9, difficulty: 1, seed: 1, save: true });
    const exp = await service.exportAuthorsDataset({ datasetId: datasetId!, augmentations: 2 });
    expect(exp.numPuzzleIdentifiers).toBe(1);
    expect(JSON.parse(await readFile(path.join(exp.folder, 'train', 'dataset.json'), 'utf8'))).toMatchObject({ seq_len: 81, vocab_size: 11, num_puzzle_identifiers: 1 });
  });

  it('refuses, through the API, a relative folder, a missing dataset and an export too large to hold', async () => {
    const { service } = setup();
    const rel = await respond(service, 1, 'importAuthorsDataset', { folder: 'data/x' });
    expect(rel).toMatchObject({ ok: false, error: { code: 'bad-request', message: expect.stringContaining('must be an absolute path') } });
    const missing = await respond(service, 2, 'importAuthorsDataset', { folder: '/nonexistent/authors-folder' });
    expect(missing).toMatchObject({ ok: false, error: { code: 'bad-request', message: 'identifiers.json: file is missing' } });
    const noDs = await respond(service, 3, 'exportAuthorsDataset', { datasetId: 'ds-nope' });
    expect(noDs).toMatchObject({ ok: false, error: { code: 'not-found' } });
    const tooMany = await respond(service, 4, 'exportAuthorsDataset', { augmentations: 5000, datasetId: 'x' });
    expect(tooMany).toMatchObject({ ok: false, error: { code: 'bad-request', message: expect.stringContaining('params.augmentations') } });
    const big = generateTasks('gravity', { count: 150, minSide: 3, maxSide: 4, difficulty: 1, seed: 0 });
    const ds = await service.importFiles({ name: 'many', files: big.map((t) => ({ name: `${t.id}.json`, content: writeTaskJson(t) })) });
    const huge = await respond(service, 5, 'exportAuthorsDataset', { datasetId: ds.datasetId, augmentations: 1000 });
    expect(huge).toMatchObject({ ok: false, error: { code: 'bad-request', message: expect.stringContaining('more than one export holds') } });
  });

  it('exports a run with its method, the checked commit, scripts and the options that have no equivalent', async () => {
    const { dir, service } = setup();
    const [run] = await service.queueRuns({ configs: [{ ...tinyConfig('trm export', 20), data: { ...tinyConfig('x', 1).data, augmentations: 2 } }] });
    const r = await service.exportRunForAuthors({ runId: run!.id, gpus: 2, nodes: 2 });
    expect(path.dirname(r.folder)).toBe(path.join(dir, 'exports'));
    expect(r.method).toBe('trm');
    expect(r.repo.commit).toBe('e7b6871');
    expect(r.command).toContain('torchrun --nproc-per-node 2 pretrain.py arch=trm');
    expect(r.unsupported.some((u) => u.startsWith('checkpointInterval = 10'))).toBe(true);
    expect(r.checkpoint).toBeNull();
    const script = await readFile(path.join(r.folder, 'train_multinode.sh'), 'utf8');
    expect(script).toContain('--rdzv_backend c10d');
    await service.controlRun({ id: run!.id, action: 'cancel' });
  });
});

describe('exportRunForAuthors on a run folder outside the lab', () => {
  it('exports a granted run folder from its config.json, and refuses one it may not read or that is no run folder, naming the field and file', async () => {
    const { mkdir, writeFile } = await import('node:fs/promises');
    const { dir, service } = setup();
    const runDir = path.join(dir, 'outside', 'my-run');
    await mkdir(runDir, { recursive: true });
    const refused = await respond(service, 1, 'exportRunForAuthors', { runDir });
    expect(refused).toMatchObject({ ok: false, error: { code: 'bad-request', where: { field: 'params.runDir', file: runDir } } });
    service.grants.grant(runDir);
    const noConfig = await respond(service, 2, 'exportRunForAuthors', { runDir });
    expect(noConfig).toMatchObject({ ok: false, error: { code: 'bad-request', message: expect.stringMatching(/is not a run folder: .*config\.json/), where: { file: path.join(runDir, 'config.json') } } });
    await writeFile(path.join(runDir, 'config.json'), JSON.stringify(tinyConfig('outside', 4)));
    const ok = await respond(service, 3, 'exportRunForAuthors', { runDir, gpus: 2 });
    expect(ok).toMatchObject({ ok: true, result: { method: 'trm', checkpoint: null } });
    expect(path.dirname((ok as { result: { folder: string } }).result.folder)).toBe(path.join(dir, 'exports'));
    const both = await respond(service, 4, 'exportRunForAuthors', { runDir, runId: 'run-x' });
    expect(both).toMatchObject({ ok: false, error: { code: 'bad-request', message: expect.stringMatching(/exactly one of runId .* and runDir/) } });
  });
});
