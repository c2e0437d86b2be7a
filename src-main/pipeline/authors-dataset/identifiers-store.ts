// The identifiers list (puzzle id → version name) of a library dataset imported from an authors'
// dataset folder, kept so that a PyTorch checkpoint trained on that folder can later be paired with
// the library dataset (its puzzle-embedding rows meet their task versions), as `import-checkpoint
// --dataset <folder>` does, without the folder. The list can be large (ARC-1 with 1000 augmentations:
// ~876k names, ~35 MB of JSON), so it lives outside the database: one gzip'd JSON array per dataset
// under <data dir>/authors-identifiers/, written atomically before the dataset row that references it
// (provenance.identifiers: file relative to the data dir, count, sha256 of the file).
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';

export const IDENTIFIERS_DIR = 'authors-identifiers';
const FILE_RE = /^authors-identifiers\/[0-9a-f]{16}\.json\.gz$/;

export interface IdentifiersRef {
  /** relative to the data dir, posix separators */
  file: string;
  count: number;
  sha256: string;
  /** the identifiers.json it was read from (named in messages) */
  source: string;
}

/** Writes the list (atomically) and returns the reference to keep in the dataset's provenance. */
export async function saveIdentifiers(dataDir: string, names: readonly string[], source: string): Promise<IdentifiersRef> {
  const dir = path.join(dataDir, IDENTIFIERS_DIR);
  await mkdir(dir, { recursive: true });
  const base = `${randomBytes(8).toString('hex')}.json.gz`;
  const bytes = await promisify(gzip)(Buffer.from(JSON.stringify(names), 'utf8'));
  const final = path.join(dir, base);
  const tmp = path.join(dir, `.${base}.tmp`);
  const fh = await open(tmp, 'w');
  try {
    await fh.write(bytes);
    await fh.sync();
  } finally {
    await fh.close();
  }
  await rename(tmp, final);
  return { file: `${IDENTIFIERS_DIR}/${base}`, count: names.length, sha256: createHash('sha256').update(bytes).digest('hex'), source };
}

/** Removes a list whose dataset was never recorded (the import failed after writing it). */
export async function dropIdentifiers(dataDir: string, ref: IdentifiersRef): Promise<void> {
  if (FILE_RE.test(ref.file)) await rm(path.join(dataDir, ref.file), { force: true });
}

/** The reference in a dataset's provenance (JSON text), or null when it has none. */
export function identifiersRefOf(provenance: string): IdentifiersRef | null {
  let p: unknown;
  try {
    p = JSON.parse(provenance);
  } catch {
    return null;
  }
  const r = (p as { identifiers?: unknown } | null)?.identifiers as Partial<IdentifiersRef> | undefined;
  if (!r || typeof r.file !== 'string' || !FILE_RE.test(r.file) || typeof r.count !== 'number' || typeof r.sha256 !== 'string' || typeof r.source !== 'string') return null;
  return { file: r.file, count: r.count, sha256: r.sha256, source: r.source };
}

/** Reads a kept list back, checking its hash and count; `where` names the dataset in errors. */
export async function loadIdentifiers(dataDir: string, ref: IdentifiersRef, where: string): Promise<string[]> {
  if (!FILE_RE.test(ref.file)) throw new Error(`${where}: identifiers file ${JSON.stringify(ref.file)} is not one the lab writes`);
  const file = path.join(dataDir, ref.file);
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (e) {
    throw new Error(`${where}: its identifiers list ${file} cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); import the authors' folder again`);
  }
  if (createHash('sha256').update(bytes).digest('hex') !== ref.sha256) throw new Error(`${where}: its identifiers list ${file} has changed since the import (sha256 differs); import the authors' folder again`);
  const names = JSON.parse((await promisify(gunzip)(bytes)).toString('utf8')) as unknown;
  if (!Array.isArray(names) || names.length !== ref.count || names.some((n) => typeof n !== 'string')) {
    throw new Error(`${where}: its identifiers list ${file} does not hold ${ref.count} names`);
  }
  return names as string[];
}
