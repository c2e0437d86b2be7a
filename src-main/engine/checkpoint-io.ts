// Atomic, verifiable checkpoints on disk.
//
// Layout: runDir/checkpoints/step-00001234/{arrays.bin, manifest.json}.
//   arrays.bin     every array's raw little-endian bytes, concatenated (4-byte aligned: all are 32-bit)
//   manifest.json  step, meta (JSON), the array table (name, dtype, length, byte offset), the sha256 of
//                  arrays.bin and of the meta, and a sha256 of the manifest's own fields
// A checkpoint is written into a temporary folder next to its final place (same directory, so the
// rename is atomic), each file is fsynced, the folder is renamed to step-N and the parent directory is
// fsynced, so after a crash a step-N folder is either complete or absent. Readers verify every size
// and checksum; latestCheckpoint skips anything that fails and removes leftover temporary folders.
// One process writes a run's checkpoints at a time (the engine that owns the run).

import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm } from 'node:fs/promises';
import { endianness } from 'node:os';
import path from 'node:path';
import { pathExists } from './fs';

export interface CheckpointPayload {
  step: number;
  /** JSON-serialisable */
  meta: unknown;
  arrays: Record<string, Float32Array | Int32Array>;
}

type DType = 'float32' | 'int32';

interface ArrayEntry {
  name: string;
  dtype: DType;
  length: number;
  /** byte offset in arrays.bin */
  offset: number;
}

interface Manifest {
  format: typeof FORMAT;
  version: 1;
  step: number;
  meta: unknown;
  metaSha256: string;
  arrays: ArrayEntry[];
  arraysBytes: number;
  arraysSha256: string;
  /** sha256 over the JSON of every field above */
  headerSha256: string;
}

const FORMAT = 'puzzle-lab-checkpoint' as const;
const CHECKPOINTS = 'checkpoints';
const ARRAYS_FILE = 'arrays.bin';
const MANIFEST_FILE = 'manifest.json';
const STEP_DIR = /^step-(\d+)$/;
const TMP_PREFIX = '.tmp-';
const LITTLE_ENDIAN = endianness() === 'LE';

function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

export function checkpointsDir(runDir: string): string {
  return path.join(runDir, CHECKPOINTS);
}

export function stepDirName(step: number): string {
  return `step-${String(step).padStart(8, '0')}`;
}

function headerHash(m: Omit<Manifest, 'headerSha256'>): string {
  return sha256(
    JSON.stringify([m.format, m.version, m.step, m.meta, m.metaSha256, m.arrays, m.arraysBytes, m.arraysSha256]),
  );
}

/** The bytes of a 32-bit array in little-endian order, whatever the host's byte order. */
function littleEndianBytes(a: Float32Array | Int32Array): Uint8Array {
  const bytes = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  if (LITTLE_ENDIAN) return bytes;
  const out = new Uint8Array(a.byteLength);
  const view = new DataView(out.buffer);
  for (let i = 0; i < a.length; i++) {
    if (a instanceof Float32Array) view.setFloat32(i * 4, a[i] as number, true);
    else view.setInt32(i * 4, a[i] as number, true);
  }
  return out;
}

function fromLittleEndian(bytes: Uint8Array, dtype: DType, length: number): Float32Array | Int32Array {
  // Copy into a fresh, aligned buffer; the caller owns the result.
  const copy = bytes.slice();
  if (LITTLE_ENDIAN) return dtype === 'float32' ? new Float32Array(copy.buffer, 0, length) : new Int32Array(copy.buffer, 0, length);
  const view = new DataView(copy.buffer);
  if (dtype === 'float32') return Float32Array.from({ length }, (_, i) => view.getFloat32(i * 4, true));
  return Int32Array.from({ length }, (_, i) => view.getInt32(i * 4, true));
}

async function writeFileSynced(file: string, data: string | Uint8Array): Promise<void> {
  const fh = await open(file, 'w');
  try {
    await fh.writeFile(data);
    await fh.sync();
  } finally {
    await fh.close();
  }
}

async function fsyncDir(dir: string): Promise<void> {
  let fh;
  try {
    fh = await open(dir, 'r');
    await fh.sync();
  } catch (e) {
    // Windows cannot open or fsync a directory; its renames are already durable enough there.
    const code = (e as NodeJS.ErrnoException).code;
    if (process.platform !== 'win32' || (code !== 'EPERM' && code !== 'EISDIR' && code !== 'EACCES')) throw e;
  } finally {
    await fh?.close();
  }
}


export async function writeCheckpoint(runDir: string, payload: CheckpointPayload): Promise<{ path: string; sha256: string }> {
  return writeCheckpointAt(path.join(checkpointsDir(runDir), stepDirName(payload.step)), payload);
}

/**
 * Writes a checkpoint atomically to exactly `final` (a folder; its parent is created), replacing one
 * already there. Same files, checksums and crash guarantees as writeCheckpoint: the temporary folder
 * is a sibling of `final`, so the rename is atomic. Used for artefacts that live beside a run's
 * checkpoints (e.g. adapted puzzle embeddings).
 */
export async function writeCheckpointAt(final: string, payload: CheckpointPayload): Promise<{ path: string; sha256: string }> {
  const { step } = payload;
  if (!Number.isInteger(step) || step < 0) throw new Error(`writeCheckpoint: step must be a non-negative integer, got ${step}`);
  const entries: ArrayEntry[] = [];
  const chunks: Uint8Array[] = [];
  let offset = 0;
  for (const [name, a] of Object.entries(payload.arrays)) {
    let dtype: DType;
    if (a instanceof Float32Array) dtype = 'float32';
    else if (a instanceof Int32Array) dtype = 'int32';
    else throw new Error(`writeCheckpoint: array "${name}" must be a Float32Array or Int32Array`);
    entries.push({ name, dtype, length: a.length, offset });
    chunks.push(littleEndianBytes(a));
    offset += a.byteLength;
  }
  const bin = new Uint8Array(offset);
  let at = 0;
  for (const c of chunks) {
    bin.set(c, at);
    at += c.byteLength;
  }
  const metaJson = JSON.stringify(payload.meta ?? null);
  const meta = JSON.parse(metaJson) as unknown;
  const body = {
    format: FORMAT,
    version: 1 as const,
    step,
    meta,
    metaSha256: sha256(metaJson),
    arrays: entries,
    arraysBytes: bin.byteLength,
    arraysSha256: sha256(bin),
  };
  const manifest: Manifest = { ...body, headerSha256: headerHash(body) };
  const manifestText = JSON.stringify(manifest);

  const dir = path.dirname(final);
  await mkdir(dir, { recursive: true });
  const tmp = path.join(dir, `${TMP_PREFIX}step-${step}-${randomBytes(6).toString('hex')}`);
  await mkdir(tmp);
  try {
    await writeFileSynced(path.join(tmp, ARRAYS_FILE), bin);
    await writeFileSynced(path.join(tmp, MANIFEST_FILE), manifestText);
    await fsyncDir(tmp);
    if (await pathExists(final)) {
      // Re-saving a step (e.g. after a resume): move the old one aside first, since a rename cannot
      // replace a non-empty folder; a crash in between leaves only .tmp-* folders, which readers clean.
      const old = path.join(dir, `${TMP_PREFIX}replaced-${path.basename(final)}-${randomBytes(6).toString('hex')}`);
      await rename(final, old);
      await rename(tmp, final);
      await fsyncDir(dir);
      await rm(old, { recursive: true, force: true });
    } else {
      await rename(tmp, final);
      await fsyncDir(dir);
    }
    return { path: final, sha256: sha256(manifestText) };
  } catch (e) {
    await rm(tmp, { recursive: true, force: true });
    throw e;
  }
}

function corrupt(p: string, why: string): Error {
  return new Error(`checkpoint ${p} is corrupt: ${why}`);
}

const HEX64 = /^[0-9a-f]{64}$/;

function parseManifest(p: string, text: string): Manifest {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw corrupt(p, `${MANIFEST_FILE} is not valid JSON (${(e as Error).message})`);
  }
  const m = raw as Partial<Manifest> | null;
  if (m === null || typeof m !== 'object' || m.format !== FORMAT) throw corrupt(p, `${MANIFEST_FILE} is not a Puzzle Lab checkpoint manifest`);
  if (m.version !== 1) throw corrupt(p, `unsupported manifest version ${String(m.version)}`);
  if (!Number.isInteger(m.step) || (m.step as number) < 0) throw corrupt(p, `step ${String(m.step)} is not a non-negative integer`);
  for (const k of ['metaSha256', 'arraysSha256', 'headerSha256'] as const) {
    if (typeof m[k] !== 'string' || !HEX64.test(m[k])) throw corrupt(p, `${k} is not a sha256 hex digest`);
  }
  if (!Number.isInteger(m.arraysBytes) || (m.arraysBytes as number) < 0) throw corrupt(p, 'arraysBytes is not a byte count');
  if (!Array.isArray(m.arrays)) throw corrupt(p, 'the array table is missing');
  const full = m as Manifest;
  const { headerSha256, ...body } = full;
  if (headerHash(body) !== headerSha256) throw corrupt(p, `${MANIFEST_FILE} does not match its own checksum (edited or damaged)`);
  return full;
}

export async function readCheckpoint(p: string): Promise<CheckpointPayload> {
  let manifestText: string;
  let bin: Uint8Array;
  try {
    manifestText = await readFile(path.join(p, MANIFEST_FILE), 'utf8');
  } catch (e) {
    throw corrupt(p, `cannot read ${MANIFEST_FILE} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  const m = parseManifest(p, manifestText);
  try {
    bin = new Uint8Array(await readFile(path.join(p, ARRAYS_FILE)));
  } catch (e) {
    throw corrupt(p, `cannot read ${ARRAYS_FILE} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  if (bin.byteLength !== m.arraysBytes) throw corrupt(p, `${ARRAYS_FILE} has ${bin.byteLength} bytes, the manifest says ${m.arraysBytes}`);
  if (sha256(bin) !== m.arraysSha256) throw corrupt(p, `${ARRAYS_FILE} does not match its sha256`);
  if (sha256(JSON.stringify(m.meta)) !== m.metaSha256) throw corrupt(p, 'meta does not match its sha256');
  const arrays: Record<string, Float32Array | Int32Array> = {};
  for (const e of m.arrays) {
    const ok =
      e !== null &&
      typeof e === 'object' &&
      typeof e.name === 'string' &&
      (e.dtype === 'float32' || e.dtype === 'int32') &&
      Number.isInteger(e.length) &&
      e.length >= 0 &&
      Number.isInteger(e.offset) &&
      e.offset >= 0 &&
      e.offset % 4 === 0 &&
      e.offset + e.length * 4 <= bin.byteLength;
    if (!ok) throw corrupt(p, `array entry ${JSON.stringify(e)} does not fit ${ARRAYS_FILE}`);
    if (e.name in arrays) throw corrupt(p, `array "${e.name}" appears twice`);
    arrays[e.name] = fromLittleEndian(bin.subarray(e.offset, e.offset + e.length * 4), e.dtype, e.length);
  }
  return { step: m.step, meta: m.meta, arrays };
}

/**
 * Only the manifest of a checkpoint: its step and meta (both checked against their checksums) and the
 * manifest's sha256 (the checkpoint's identity, as writeCheckpoint and listCheckpoints report it).
 * Cheap: arrays.bin is neither read nor hashed, so it does not prove the arrays are intact.
 */
export async function readCheckpointMeta(p: string): Promise<{ step: number; meta: unknown; sha256: string }> {
  let manifestText: string;
  try {
    manifestText = await readFile(path.join(p, MANIFEST_FILE), 'utf8');
  } catch (e) {
    throw corrupt(p, `cannot read ${MANIFEST_FILE} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  const m = parseManifest(p, manifestText);
  if (sha256(JSON.stringify(m.meta)) !== m.metaSha256) throw corrupt(p, 'meta does not match its sha256');
  return { step: m.step, meta: m.meta, sha256: sha256(manifestText) };
}

/** Step folders of a run (complete or not), oldest first. */
async function stepDirs(runDir: string): Promise<Array<{ path: string; step: number }>> {
  const dir = checkpointsDir(runDir);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  const out: Array<{ path: string; step: number }> = [];
  for (const name of names) {
    const match = STEP_DIR.exec(name);
    if (match !== null) out.push({ path: path.join(dir, name), step: Number(match[1]) });
  }
  return out.sort((a, b) => a.step - b.step);
}

/** Checkpoints with a readable manifest, oldest first; sha256 is that of the manifest (which covers the arrays). */
export async function listCheckpoints(runDir: string): Promise<Array<{ path: string; step: number; sha256: string }>> {
  const out: Array<{ path: string; step: number; sha256: string }> = [];
  for (const d of await stepDirs(runDir)) {
    try {
      const text = await readFile(path.join(d.path, MANIFEST_FILE), 'utf8');
      out.push({ ...d, sha256: sha256(text) });
    } catch {
      // Not a checkpoint (no manifest): left out of the list.
    }
  }
  return out;
}

/** Removes temporary folders of interrupted writes. Only call when no write is in progress. */
async function cleanTemporary(runDir: string): Promise<void> {
  const dir = checkpointsDir(runDir);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return;
  }
  await Promise.all(names.filter((n) => n.startsWith(TMP_PREFIX)).map((n) => rm(path.join(dir, n), { recursive: true, force: true })));
}

/** The newest checkpoint that passes every check, or null; removes leftovers of interrupted writes. */
export async function latestCheckpoint(runDir: string): Promise<{ path: string; step: number } | null> {
  await cleanTemporary(runDir);
  const dirs = await stepDirs(runDir);
  for (let i = dirs.length - 1; i >= 0; i--) {
    const d = dirs[i] as { path: string; step: number };
    try {
      const c = await readCheckpoint(d.path);
      if (c.step === d.step) return d;
    } catch {
      // Corrupt or partial: fall back to the next older one.
    }
  }
  return null;
}

/** Deletes all but the newest `keep` checkpoints (by step). */
export async function pruneCheckpoints(runDir: string, keep: number): Promise<void> {
  if (!Number.isInteger(keep) || keep < 1) throw new Error(`pruneCheckpoints: keep must be a positive integer, got ${keep}`);
  const dirs = await stepDirs(runDir);
  await Promise.all(dirs.slice(0, Math.max(0, dirs.length - keep)).map((d) => rm(d.path, { recursive: true, force: true })));
}
