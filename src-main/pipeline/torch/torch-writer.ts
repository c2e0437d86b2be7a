// Writes a state_dict in the format of torch.save (PyTorch ≥ 1.6 zip): `<archive>/data.pkl` (a
// protocol-2 pickle of an OrderedDict whose values are torch._utils._rebuild_tensor_v2(storage, 0,
// size, stride, False, OrderedDict()), each storage a persistent id ('storage', torch.FloatStorage,
// '<n>', 'cpu', numel)), `<archive>/data/<n>` (the raw little-endian values, stored, 64-byte aligned
// as torch aligns them), `<archive>/byteorder` and `<archive>/version`. torch.load (also with
// weights_only=True) reads it, and so does the lab's own reader (state-dict.ts). Written to a
// temporary file beside the target, fsynced and renamed, so a crash never leaves half a checkpoint.
import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { crc32 } from './crc32';
import { float32ToBf16Bits } from './dtype';

export interface TorchTensorEntry {
  key: string;
  shape: number[];
  data: Float32Array;
}

export interface WriteTorchOptions {
  /** storage dtype; default float32 */
  dtype?: 'float32' | 'bfloat16';
  /** the zip's top folder; default the file name without extension, as torch.save names it */
  archiveName?: string;
}

// --- pickle (protocol 2) ---

class PickleWriter {
  private readonly parts: number[] = [];
  private readonly enc = new TextEncoder();

  op(...bytes: number[]): this {
    this.parts.push(...bytes);
    return this;
  }
  raw(b: Uint8Array): this {
    for (const x of b) this.parts.push(x);
    return this;
  }
  uint32(n: number): this {
    return this.op(n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff);
  }
  str(s: string): this {
    const b = this.enc.encode(s);
    return this.op(0x58).uint32(b.length).raw(b); // BINUNICODE
  }
  int(n: number): this {
    if (!Number.isInteger(n) || n < 0) throw new Error(`pickle: ${n} is not a non-negative integer`);
    if (n < 256) return this.op(0x4b, n); // BININT1
    if (n < 65536) return this.op(0x4d, n & 0xff, n >>> 8); // BININT2
    if (n < 2 ** 31) return this.op(0x4a).uint32(n); // BININT
    // LONG1: little-endian two's complement, with a spare sign byte
    const bytes: number[] = [];
    let v = BigInt(n);
    while (v > 0n) {
      bytes.push(Number(v & 0xffn));
      v >>= 8n;
    }
    if (((bytes[bytes.length - 1] as number) & 0x80) !== 0) bytes.push(0);
    return this.op(0x8a, bytes.length, ...bytes);
  }
  global(module: string, name: string): this {
    return this.op(0x63).raw(this.enc.encode(`${module}\n${name}\n`));
  }
  tuple(items: number[]): this {
    if (items.length === 0) return this.op(0x29);
    if (items.length <= 3) {
      for (const i of items) this.int(i);
      return this.op(0x84 + items.length); // TUPLE1..3
    }
    this.op(0x28);
    for (const i of items) this.int(i);
    return this.op(0x74);
  }
  bytes(): Uint8Array {
    return Uint8Array.from(this.parts);
  }
}

function statePickle(entries: readonly TorchTensorEntry[], storageClass: string): Uint8Array {
  const w = new PickleWriter();
  w.op(0x80, 2); // PROTO 2
  w.global('collections', 'OrderedDict').op(0x29, 0x52); // OrderedDict()
  w.op(0x28); // MARK for SETITEMS
  entries.forEach((e, i) => {
    const numel = e.shape.reduce((a, b) => a * b, 1);
    const stride = e.shape.map((_, d) => e.shape.slice(d + 1).reduce((a, b) => a * b, 1));
    w.str(e.key);
    w.global('torch._utils', '_rebuild_tensor_v2');
    w.op(0x28); // MARK: the argument tuple
    w.op(0x28).str('storage').global('torch', storageClass).str(String(i)).str('cpu').int(numel).op(0x74).op(0x51); // BINPERSID
    w.int(0);
    w.tuple(e.shape);
    w.tuple(stride);
    w.op(0x89); // requires_grad False
    w.global('collections', 'OrderedDict').op(0x29, 0x52); // backward hooks
    w.op(0x74, 0x52); // TUPLE, REDUCE
  });
  w.op(0x75); // SETITEMS
  w.op(0x2e); // STOP
  return w.bytes();
}

// --- zip (stored entries) ---

interface Record {
  name: string;
  data: Uint8Array;
}

function u16(v: DataView, at: number, x: number): void {
  v.setUint16(at, x, true);
}
function u32(v: DataView, at: number, x: number): void {
  v.setUint32(at, x >>> 0, true);
}

/** The bytes of a stored zip of `records`, each entry's data starting on a 64-byte boundary. */
export function zipStored(records: readonly Record[]): Uint8Array[] {
  const enc = new TextEncoder();
  const chunks: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  let offset = 0;
  for (const r of records) {
    const name = enc.encode(r.name);
    const base = offset + 30 + name.length + 4; // with an empty 'FB' extra block
    const pad = (64 - (base % 64)) % 64;
    const extraLen = 4 + pad;
    const head = new Uint8Array(30 + name.length + extraLen);
    const v = new DataView(head.buffer);
    const crc = crc32(r.data);
    if (offset + head.length + r.data.length >= 0xffffffff) throw new Error('writeTorchStateDict: checkpoints over 4 GB (ZIP64) are not written by this build');
    u32(v, 0, 0x04034b50);
    u16(v, 4, 20);
    u16(v, 6, 0);
    u16(v, 8, 0);
    u16(v, 10, 0);
    u16(v, 12, 0x21); // 1980-01-01
    u32(v, 14, crc);
    u32(v, 18, r.data.length);
    u32(v, 22, r.data.length);
    u16(v, 26, name.length);
    u16(v, 28, extraLen);
    head.set(name, 30);
    u16(v, 30 + name.length, 0x4246); // 'FB': torch's padding block
    u16(v, 32 + name.length, pad);
    const c = new Uint8Array(46 + name.length);
    const cv = new DataView(c.buffer);
    u32(cv, 0, 0x02014b50);
    u16(cv, 4, 20);
    u16(cv, 6, 20);
    u16(cv, 8, 0);
    u16(cv, 10, 0);
    u16(cv, 12, 0);
    u16(cv, 14, 0x21);
    u32(cv, 16, crc);
    u32(cv, 20, r.data.length);
    u32(cv, 24, r.data.length);
    u16(cv, 28, name.length);
    u32(cv, 42, offset);
    c.set(name, 46);
    central.push(c);
    chunks.push(head, r.data);
    offset += head.length + r.data.length;
  }
  const cdSize = central.reduce((a, c) => a + c.length, 0);
  const end = new Uint8Array(22);
  const ev = new DataView(end.buffer);
  u32(ev, 0, 0x06054b50);
  u16(ev, 8, records.length);
  u16(ev, 10, records.length);
  u32(ev, 12, cdSize);
  u32(ev, 16, offset);
  return [...chunks, ...central, end];
}

function storageBytes(data: Float32Array, dtype: 'float32' | 'bfloat16'): Uint8Array {
  if (dtype === 'bfloat16') {
    const out = new Uint8Array(data.length * 2);
    const v = new DataView(out.buffer);
    for (let i = 0; i < data.length; i++) v.setUint16(i * 2, float32ToBf16Bits(data[i] as number), true);
    return out;
  }
  const out = new Uint8Array(data.length * 4);
  const v = new DataView(out.buffer);
  for (let i = 0; i < data.length; i++) v.setFloat32(i * 4, data[i] as number, true);
  return out;
}

/** Writes `entries` as a torch.save state_dict at `file` (atomically). */
export async function writeTorchStateDict(file: string, entries: readonly TorchTensorEntry[], options: WriteTorchOptions = {}): Promise<void> {
  const dtype = options.dtype ?? 'float32';
  const seen = new Set<string>();
  for (const e of entries) {
    if (seen.has(e.key)) throw new Error(`writeTorchStateDict: key ${e.key} appears twice`);
    seen.add(e.key);
    const numel = e.shape.reduce((a, b) => a * b, 1);
    if (numel !== e.data.length) throw new Error(`writeTorchStateDict: key ${e.key} has shape [${e.shape.join(', ')}] but ${e.data.length} values`);
  }
  const archive = options.archiveName ?? path.basename(file).replace(/\.[^.]*$/, '');
  if (!/^[A-Za-z0-9_.-]+$/.test(archive)) throw new Error(`writeTorchStateDict: archive name ${archive} must be a plain file name`);
  const records: Record[] = [{ name: `${archive}/data.pkl`, data: statePickle(entries, dtype === 'bfloat16' ? 'BFloat16Storage' : 'FloatStorage') }];
  records.push({ name: `${archive}/byteorder`, data: new TextEncoder().encode('little') });
  entries.forEach((e, i) => records.push({ name: `${archive}/data/${i}`, data: storageBytes(e.data, dtype) }));
  records.push({ name: `${archive}/version`, data: new TextEncoder().encode('3\n') });
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.tmp-${randomBytes(6).toString('hex')}`);
  const fh = await open(tmp, 'w');
  try {
    for (const chunk of zipStored(records)) await fh.write(chunk);
    await fh.sync();
    await fh.close();
    await rename(tmp, file);
  } catch (e) {
    await fh.close().catch(() => undefined);
    await rm(tmp, { force: true });
    throw e;
  }
}
