// The service side of importing PyTorch checkpoints: chunked uploads (serve mode has no file paths;
// the browser sends the bytes in UPLOAD_CHUNK_BYTES pieces, each well under the WebSocket's request
// limit), inspection, and the import itself, which writes the run folder (pipeline/import-checkpoint.ts)
// and then records the run as completed, with its checkpoint, in one transaction. A failed import
// leaves neither a folder nor a row. Paired with a library dataset imported from the authors' folder
// (which keeps that folder's identifiers), every puzzle-embedding row meets its task version, as with
// the CLI's --dataset.
import { createWriteStream } from 'node:fs';
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { CheckpointInspection, CheckpointSource, LabApi, RunSummary } from '../../src-shared/api/contract';
import { UPLOAD_CHUNK_BYTES } from '../../src-shared/api/contract';
import type { DataSource } from '../../src-shared/method/run-config';
import { readCheckpointMeta } from '../engine/checkpoint-io';
import { identifiersRefOf, loadIdentifiers } from '../pipeline/authors-dataset/identifiers-store';
import { importCheckpoint, inspectCheckpoint, NeedsConfirmationError, type PairedDataset } from '../pipeline/import-checkpoint';
import { runsDir } from './data-dir';
import { badRequest, conflict, notFound } from './errors';
import { newId, nowIso } from './ids';
import type { Library } from './library';
import { checkSourceExists } from './run-data';
import type { RunStore } from './store/run-store';

type Params<M extends keyof LabApi> = Parameters<LabApi[M]>[0];

const UPLOADS = 'uploads';
const UPLOAD_ID = /^up-[0-9a-f]{12}$/;

interface Upload {
  dir: string;
  file: string;
  name: string;
  total: number;
  received: number;
}

export class CheckpointImports {
  private readonly uploads = new Map<string, Upload>();
  private readonly root: string;

  constructor(
    private readonly dataDir: string,
    private readonly runs: RunStore,
    private readonly library: Library,
    private readonly summary: (id: string) => RunSummary,
    private readonly emitRun: (id: string) => void,
  ) {
    this.root = path.join(dataDir, UPLOADS);
  }

  /** Removes uploads left by an earlier session (they cannot be continued: their state was in memory). */
  async cleanLeftovers(): Promise<void> {
    let names: string[];
    try {
      names = await readdir(this.root);
    } catch {
      return;
    }
    await Promise.all(names.filter((n) => !this.uploads.has(n)).map((n) => rm(path.join(this.root, n), { recursive: true, force: true })));
  }

  async uploadChunk(q: Params<'uploadChunk'>): Promise<{ uploadId: string; received: number }> {
    const bytes = Buffer.from(q.data, 'base64');
    if (bytes.byteLength > UPLOAD_CHUNK_BYTES) throw badRequest(`uploadChunk: a chunk holds at most ${UPLOAD_CHUNK_BYTES} bytes, got ${bytes.byteLength}`);
    let up: Upload;
    if (q.uploadId === undefined) {
      if (q.offset !== 0) throw badRequest('uploadChunk: an upload starts at offset 0 (pass uploadId to continue one)');
      const id = `up-${newId('run').slice(4)}`;
      const dir = path.join(this.root, id);
      await mkdir(dir, { recursive: true });
      // Keep the original name (step_N tells the step; the extension tells safetensors) but nothing path-like.
      const safe = path.basename(q.name).replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^\.+/, '') || 'checkpoint';
      up = { dir, file: path.join(dir, safe), name: q.name, total: q.total, received: 0 };
      this.uploads.set(id, up);
      q = { ...q, uploadId: id };
    } else {
      const found = this.uploads.get(q.uploadId);
      if (!found) throw notFound(`uploadChunk: no upload ${q.uploadId} in progress (uploads do not survive a restart of the lab)`);
      up = found;
      if (q.offset !== up.received) throw conflict(`uploadChunk: upload ${q.uploadId} has ${up.received} bytes; the next chunk must start there, not at ${q.offset}`);
    }
    if (up.received + bytes.byteLength > up.total) throw badRequest(`uploadChunk: ${up.name} was announced as ${up.total} bytes; this chunk goes past that`);
    await new Promise<void>((resolve, reject) => {
      const ws = createWriteStream(up.file, { flags: up.received === 0 ? 'w' : 'a' });
      ws.on('error', reject);
      ws.end(bytes, () => resolve());
    });
    up.received += bytes.byteLength;
    return { uploadId: q.uploadId as string, received: up.received };
  }

  async discardUpload(q: Params<'discardUpload'>): Promise<void> {
    const up = this.uploads.get(q.uploadId);
    if (!up) return;
    this.uploads.delete(q.uploadId);
    await rm(up.dir, { recursive: true, force: true });
  }

  private async resolve(source: CheckpointSource): Promise<{ file: string; displayName: string; uploadId: string | null }> {
    if (source.kind === 'path') {
      const file = path.resolve(source.path);
      const s = await stat(file).catch(() => null);
      if (s === null || !s.isFile()) throw notFound(`${source.path}: no such checkpoint file`);
      return { file, displayName: file, uploadId: null };
    }
    if (!UPLOAD_ID.test(source.uploadId)) throw badRequest(`source.uploadId ${source.uploadId} is not an upload id`);
    const up = this.uploads.get(source.uploadId);
    if (!up) throw notFound(`no upload ${source.uploadId} (uploads do not survive a restart of the lab)`);
    if (up.received !== up.total) throw conflict(`upload ${source.uploadId} (${up.name}) is incomplete: ${up.received} of ${up.total} bytes`);
    return { file: up.file, displayName: up.name, uploadId: source.uploadId };
  }

  async inspect(q: Params<'inspectCheckpoint'>): Promise<CheckpointInspection> {
    const { file, displayName } = await this.resolve(q.source);
    try {
      return await inspectCheckpoint({ file, displayName, ...(q.overrides ? { overrides: q.overrides } : {}), ...(q.allConfig !== undefined ? { allConfigText: q.allConfig } : {}) });
    } catch (e) {
      throw badRequest((e as Error).message);
    }
  }

  /**
   * The identifiers kept with a library dataset imported from the authors' folder (authors-library-import.ts),
   * with the dataset's tasks, or null for any other dataset.
   */
  async pairedFromLibrary(datasetId: string): Promise<PairedDataset | null> {
    const d = this.library.store.dataset(datasetId);
    if (d === null) return null;
    const ref = identifiersRefOf(d.provenance);
    if (ref === null) return null;
    const where = `library dataset "${d.name}"`;
    try {
      const versionNames = await loadIdentifiers(this.dataDir, ref, where);
      return { identifiersFile: `${ref.source} (kept with ${where})`, versionNames, tasks: this.library.store.tasksOfDataset(datasetId) };
    } catch (e) {
      throw badRequest((e as Error).message);
    }
  }

  /**
   * Imports and records the run. `dataset` is the authors' dataset folder (the CLI's --dataset); without
   * it, a paired library dataset that was imported from such a folder gives its kept identifiers.
   */
  async import(q: Params<'importCheckpoint'>, dataset: PairedDataset | null = null): Promise<RunSummary> {
    const { file, displayName, uploadId } = await this.resolve(q.source);
    let source: DataSource;
    if (q.pair === undefined) source = { kind: 'dataset', datasetId: this.library.userDataset() };
    else {
      source = q.pair;
      checkSourceExists(source, this.library.store);
      if (dataset === null && q.pair.kind === 'dataset') dataset = await this.pairedFromLibrary(q.pair.datasetId);
    }
    const id = newId('run');
    const runDir = path.join(runsDir(this.dataDir), id);
    await mkdir(path.dirname(runDir), { recursive: true });
    let imported;
    try {
      imported = await importCheckpoint({
        file,
        runDir,
        displayName,
        dataSource: source,
        dataset,
        ...(q.overrides ? { overrides: q.overrides } : {}),
        ...(q.allConfig !== undefined ? { allConfigText: q.allConfig } : {}),
        ...(q.name !== undefined ? { name: q.name } : {}),
      });
    } catch (e) {
      if (e instanceof NeedsConfirmationError) throw badRequest(e.message);
      throw badRequest((e as Error).message);
    }
    try {
      const header = await readCheckpointMeta(imported.checkpointDir);
      this.runs.transaction(() => {
        this.runs.insertImportedRun({ id, config: imported.config, runDir, step: imported.step, trainableParams: imported.trainableParams, finishedAt: nowIso() });
        this.runs.insertCheckpoint(id, { step: imported.step, path: imported.checkpointDir, sha256: header.sha256 });
      });
    } catch (e) {
      await rm(runDir, { recursive: true, force: true });
      throw e;
    }
    if (uploadId !== null) await this.discardUpload({ uploadId });
    this.emitRun(id);
    return this.summary(id);
  }
}
