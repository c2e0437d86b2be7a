// Importing a PyTorch checkpoint through the service (the API the app and the browser use): a chunked
// upload, inspection, import as a completed run, then the playground (infer, classify, explain votes,
// adapt) on it with the real engine, exactly as for a run trained in the lab.
import { existsSync, readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { LabService } from '../../../src-main/service/api';
import { UPLOAD_CHUNK_BYTES } from '../../../src-shared/api/contract';
import { realEngineService } from './helpers';

const FIX = path.resolve('test/fixtures/torch');
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const setup = () => realEngineService(cleanups);

/** Uploads a file in chunks of `chunk` bytes, as the renderer does. */
async function upload(service: LabService, file: string, name: string, chunk = 64 * 1024): Promise<string> {
  const bytes = await readFile(file);
  let uploadId: string | undefined;
  for (let offset = 0; offset < bytes.length; offset += chunk) {
    const r = await service.uploadChunk({ ...(uploadId ? { uploadId } : {}), name, total: bytes.length, offset, data: bytes.subarray(offset, offset + chunk).toString('base64') });
    uploadId = r.uploadId;
    expect(r.received).toBe(Math.min(bytes.length, offset + chunk));
  }
  return uploadId!;
}

describe('importing a PyTorch checkpoint through the lab service', () => {
  it('uploads in chunks, says what still needs confirming, imports a completed run and answers the playground on it', async () => {
    const { service } = setup();
    expect(UPLOAD_CHUNK_BYTES * (4 / 3)).toBeLessThan(32 * 1024 * 1024);
    const uploadId = await upload(service, path.join(FIX, 'dis', 'step_5'), 'step_5');
    // An upload has nothing beside it: without the config text, heads/T/n stay unresolved.
    const bare = await service.inspectCheckpoint({ source: { kind: 'upload', uploadId } });
    expect(bare.architecture.unresolved).toEqual(['heads', 'T', 'n']);
    expect(bare.step).toBe(5);
    const allConfig = await readFile(path.join(FIX, 'dis', 'all_config.yaml'), 'utf8');
    const insp = await service.inspectCheckpoint({ source: { kind: 'upload', uploadId }, allConfig, overrides: { canvas: 6 } });
    expect(insp.architecture).toMatchObject({ method: 'dis', unresolved: [], heads: 4, T: 1, n: 2, Nsup: 3 });

    const lib = await service.generateTasks({ family: 'recolour', count: 2, minSide: 3, maxSide: 4, difficulty: 1, seed: 3, save: true });
    const run = await service.importCheckpoint({ source: { kind: 'upload', uploadId }, allConfig, overrides: { canvas: 6 }, pair: { kind: 'dataset', datasetId: lib.datasetId! } });
    expect(run).toMatchObject({ status: 'completed', method: 'dis', step: 5, queuePosition: null });
    const detail = await service.getRun({ id: run.id });
    expect(detail.config.provenance).toMatchObject({ kind: 'pytorch-checkpoint', file: 'step_5', step: 5 });
    expect(detail.config.data.source).toEqual({ kind: 'dataset', datasetId: lib.datasetId });
    expect(detail.trainableParams).toBeGreaterThan(0);
    expect((await service.listCheckpoints({ runId: run.id })).map((c) => c.step)).toEqual([5]);
    // The upload is gone once imported.
    await expect(service.inspectCheckpoint({ source: { kind: 'upload', uploadId } })).rejects.toThrow(/no upload/);

    const task = lib.tasks[0]!;
    expect((await service.classifyTask({ runId: run.id, task })).embedding).toBe('unseen');
    const r = await service.infer({ runId: run.id, task, testIndex: 0 });
    expect(r).toMatchObject({ side: 6, vocab: 12, embedding: 'unseen' });
    expect(r.steps).toHaveLength(3);
    const why = await service.explainVotes({ runId: run.id, task, testIndex: 0, augmentations: 2 });
    expect(why.versions.length).toBe(3);
    const adapted = await service.adapt({ requestId: 'a1', runId: run.id, task, steps: 2 });
    expect(adapted.reused).toBe(false);
    expect((await service.classifyTask({ runId: run.id, task })).embedding).toBe('adapted');
  }, 180_000);

  it('refuses a malicious or broken checkpoint with the file named, leaving no run and no folder', async () => {
    const { service, dir } = setup();
    const uploadId = await upload(service, path.join(FIX, 'malicious', 'step_1'), 'step_1');
    await expect(service.importCheckpoint({ source: { kind: 'upload', uploadId } })).rejects.toThrow(/step_1: .*refused.*posix\.system/);
    await expect(service.importCheckpoint({ source: { kind: 'path', path: path.join(FIX, 'trm', 'all_config.yaml') } })).rejects.toThrow(/all_config\.yaml.*wrong magic/);
    expect(await service.listRuns()).toEqual([]);
    const runs = path.join(dir, 'runs');
    expect(existsSync(runs) ? readdirSync(runs) : []).toEqual([]);
    // chunks must continue where the upload stands
    const first = await service.uploadChunk({ name: 'x', total: 10, offset: 0, data: Buffer.from('abcde').toString('base64') });
    await expect(service.uploadChunk({ uploadId: first.uploadId, name: 'x', total: 10, offset: 7, data: Buffer.from('fgh').toString('base64') })).rejects.toThrow(/must start there/);
    await expect(service.importCheckpoint({ source: { kind: 'upload', uploadId: first.uploadId } })).rejects.toThrow(/incomplete: 5 of 10/);
  });
});
