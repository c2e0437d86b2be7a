// A small read-only zip reader for PyTorch checkpoints (torch.save since 1.6 writes a zip: a
// `<archive>/data.pkl` pickle plus one raw little-endian storage per tensor under `<archive>/data/`).
// torch.save stores entries uncompressed; deflated entries (a re-zipped checkpoint) are inflated with
// node:zlib. Entries are never read whole unless asked: the central directory gives each entry's place,
// and stored entries are read with positional reads, so a 2 GB puzzle-embedding table can be copied
// in slices. ZIP64 records are understood (checkpoints over 4 GB).
import { open, type FileHandle } from 'node:fs/promises';
import { inflateRawSync } from 'node:zlib';
import { crc32 } from './crc32';

export interface ZipEntry {
  name: string;
  /** 0 stored, 8 deflate */
  method: number;
  compressedSize: number;
  size: number;
  crc32: number;
  localHeaderOffset: number;
}

const EOCD_SIG = 0x06054b50;
const ZIP64_EOCD_LOCATOR_SIG = 0x07064b50;
const ZIP64_EOCD_SIG = 0x06064b50;
const CENTRAL_SIG = 0x02014b50;
const LOCAL_SIG = 0x04034b50;

export class ZipError extends Error {
  constructor(file: string, why: string) {
    super(`${file}: ${why}`);
    this.name = 'ZipError';
  }
}

export class ZipReader {
  private readonly dataOffsets = new Map<string, number>();

  private constructor(
    readonly file: string,
    private readonly fh: FileHandle,
    readonly fileSize: number,
    readonly entries: ReadonlyMap<string, ZipEntry>,
  ) {}

  static async open(file: string): Promise<ZipReader> {
    const fh = await open(file, 'r');
    try {
      const size = (await fh.stat()).size;
      const entries = await readCentralDirectory(file, fh, size);
      return new ZipReader(file, fh, size, entries);
    } catch (e) {
      await fh.close();
      throw e;
    }
  }

  async close(): Promise<void> {
    await this.fh.close();
  }

  entry(name: string): ZipEntry {
    const e = this.entries.get(name);
    if (!e) throw new ZipError(this.file, `the archive has no entry ${name}`);
    return e;
  }

  /** Where a stored entry's bytes start in the file (after its local header), bounds-checked. */
  async dataOffset(name: string): Promise<number> {
    const cached = this.dataOffsets.get(name);
    if (cached !== undefined) return cached;
    const e = this.entry(name);
    const head = await this.readAt(e.localHeaderOffset, 30, `the local header of ${name}`);
    const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
    if (view.getUint32(0, true) !== LOCAL_SIG) throw new ZipError(this.file, `the local header of ${name} is damaged (bad signature)`);
    const offset = e.localHeaderOffset + 30 + view.getUint16(26, true) + view.getUint16(28, true);
    if (offset + e.compressedSize > this.fileSize) {
      throw new ZipError(this.file, `entry ${name} runs past the end of the file (truncated: needs ${offset + e.compressedSize} bytes, the file has ${this.fileSize})`);
    }
    this.dataOffsets.set(name, offset);
    return offset;
  }

  /** The whole (inflated) entry, its CRC-32 checked. */
  async read(name: string): Promise<Uint8Array> {
    const e = this.entry(name);
    const offset = await this.dataOffset(name);
    const raw = await this.readAt(offset, e.compressedSize, `entry ${name}`);
    let data: Uint8Array;
    if (e.method === 0) data = raw;
    else if (e.method === 8) {
      try {
        data = new Uint8Array(inflateRawSync(raw));
      } catch (err) {
        throw new ZipError(this.file, `entry ${name} does not inflate (${(err as Error).message})`);
      }
    } else throw new ZipError(this.file, `entry ${name} uses compression method ${e.method}; only stored (0) and deflate (8) are supported`);
    if (data.byteLength !== e.size) throw new ZipError(this.file, `entry ${name} holds ${data.byteLength} bytes, the directory says ${e.size}`);
    if (crc32(data) !== e.crc32) throw new ZipError(this.file, `entry ${name} does not match its CRC-32 (damaged file)`);
    return data;
  }

  /** `length` bytes of a stored entry from `start` (no CRC: callers reading slices check the whole with crc32 themselves). */
  async readSlice(name: string, start: number, length: number): Promise<Uint8Array> {
    const e = this.entry(name);
    if (e.method !== 0) return (await this.read(name)).subarray(start, start + length);
    if (start < 0 || start + length > e.size) throw new ZipError(this.file, `a read of bytes ${start}..${start + length} is outside entry ${name} (${e.size} bytes)`);
    return this.readAt((await this.dataOffset(name)) + start, length, `entry ${name}`);
  }

  private async readAt(position: number, length: number, what: string): Promise<Uint8Array> {
    const out = new Uint8Array(length);
    let done = 0;
    while (done < length) {
      const { bytesRead } = await this.fh.read(out, done, length - done, position + done);
      if (bytesRead === 0) throw new ZipError(this.file, `${what} is cut short at byte ${position + done} (truncated file)`);
      done += bytesRead;
    }
    return out;
  }
}

async function readCentralDirectory(file: string, fh: FileHandle, size: number): Promise<Map<string, ZipEntry>> {
  if (size < 22) throw new ZipError(file, `not a zip archive (${size} bytes; a PyTorch checkpoint written by torch.save is a zip)`);
  // The end-of-central-directory record is in the last 22 + 65535 (comment) bytes.
  const tailLen = Math.min(size, 22 + 0xffff + 20);
  const tail = new Uint8Array(tailLen);
  await fh.read(tail, 0, tailLen, size - tailLen);
  const tv = new DataView(tail.buffer);
  let eocd = -1;
  for (let i = tailLen - 22; i >= 0; i--) {
    if (tv.getUint32(i, true) === EOCD_SIG) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) {
    const magic = new Uint8Array(4);
    await fh.read(magic, 0, 4, 0);
    const mv = new DataView(magic.buffer).getUint32(0, true);
    throw new ZipError(
      file,
      mv === LOCAL_SIG
        ? 'a truncated zip archive (it starts like one, but its end-of-central-directory record is missing)'
        : `not a zip archive (it starts with bytes ${Array.from(magic, (b) => b.toString(16).padStart(2, '0')).join(' ')}; a torch.save checkpoint starts with "PK")`,
    );
  }
  let count = tv.getUint16(eocd + 10, true);
  let cdSize = tv.getUint32(eocd + 12, true);
  let cdOffset = tv.getUint32(eocd + 16, true);
  if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
    const loc = eocd - 20;
    if (loc < 0 || tv.getUint32(loc, true) !== ZIP64_EOCD_LOCATOR_SIG) throw new ZipError(file, 'a ZIP64 archive without its ZIP64 locator (damaged)');
    const z64Offset = Number(tv.getBigUint64(loc + 8, true));
    const z = new Uint8Array(56);
    await fh.read(z, 0, 56, z64Offset);
    const zv = new DataView(z.buffer);
    if (zv.getUint32(0, true) !== ZIP64_EOCD_SIG) throw new ZipError(file, 'the ZIP64 end-of-central-directory record is damaged');
    count = Number(zv.getBigUint64(32, true));
    cdSize = Number(zv.getBigUint64(40, true));
    cdOffset = Number(zv.getBigUint64(48, true));
  }
  if (cdOffset + cdSize > size) throw new ZipError(file, `the central directory (bytes ${cdOffset}..${cdOffset + cdSize}) lies past the end of the file (${size} bytes): truncated`);
  const cd = new Uint8Array(cdSize);
  await fh.read(cd, 0, cdSize, cdOffset);
  const v = new DataView(cd.buffer);
  const entries = new Map<string, ZipEntry>();
  let p = 0;
  const decoder = new TextDecoder();
  for (let i = 0; i < count; i++) {
    if (p + 46 > cdSize || v.getUint32(p, true) !== CENTRAL_SIG) throw new ZipError(file, `central directory entry ${i} is damaged`);
    const method = v.getUint16(p + 10, true);
    const crc = v.getUint32(p + 16, true);
    let compressedSize = v.getUint32(p + 20, true);
    let uncompressed = v.getUint32(p + 24, true);
    const nameLen = v.getUint16(p + 28, true);
    const extraLen = v.getUint16(p + 30, true);
    const commentLen = v.getUint16(p + 32, true);
    let localHeaderOffset = v.getUint32(p + 42, true);
    const name = decoder.decode(cd.subarray(p + 46, p + 46 + nameLen));
    // ZIP64 extended information: the 64-bit values of the fields that hold 0xffffffff, in order.
    let x = p + 46 + nameLen;
    const xEnd = x + extraLen;
    while (x + 4 <= xEnd) {
      const id = v.getUint16(x, true);
      const len = v.getUint16(x + 2, true);
      if (id === 0x0001) {
        let q = x + 4;
        if (uncompressed === 0xffffffff) (uncompressed = Number(v.getBigUint64(q, true))), (q += 8);
        if (compressedSize === 0xffffffff) (compressedSize = Number(v.getBigUint64(q, true))), (q += 8);
        if (localHeaderOffset === 0xffffffff) localHeaderOffset = Number(v.getBigUint64(q, true));
      }
      x += 4 + len;
    }
    entries.set(name, { name, method, compressedSize, size: uncompressed, crc32: crc, localHeaderOffset });
    p = xEnd + commentLen;
  }
  return entries;
}
