// numpy's .npy format (format versions 1.0–3.0), for the arrays of the authors' dataset folders:
// uint8 token tables and int32 index arrays in theirs, any little-endian integer or float type read
// back. The header is parsed as data (a tiny dict grammar), never evaluated. Large tables are read by
// row ranges through a file handle, so a 3 GB train split never has to fit in memory.
import { open, writeFile, type FileHandle } from 'node:fs/promises';

export type NpyDtype = 'bool' | 'uint8' | 'int8' | 'uint16' | 'int16' | 'uint32' | 'int32' | 'int64' | 'uint64' | 'float32' | 'float64';

export type NpyTypedArray =
  | Uint8Array
  | Int8Array
  | Uint16Array
  | Int16Array
  | Uint32Array
  | Int32Array
  | BigInt64Array
  | BigUint64Array
  | Float32Array
  | Float64Array;

const DESCR: Record<NpyDtype, string> = {
  bool: '|b1',
  uint8: '|u1',
  int8: '|i1',
  uint16: '<u2',
  int16: '<i2',
  uint32: '<u4',
  int32: '<i4',
  int64: '<i8',
  uint64: '<u8',
  float32: '<f4',
  float64: '<f8',
};

const ITEM_SIZE: Record<NpyDtype, number> = {
  bool: 1,
  uint8: 1,
  int8: 1,
  uint16: 2,
  int16: 2,
  uint32: 4,
  int32: 4,
  int64: 8,
  uint64: 8,
  float32: 4,
  float64: 8,
};

const INTEGER_DTYPES: ReadonlySet<NpyDtype> = new Set(['uint8', 'int8', 'uint16', 'int16', 'uint32', 'int32', 'int64', 'uint64']);

export function isIntegerDtype(d: NpyDtype): boolean {
  return INTEGER_DTYPES.has(d);
}

/** A bad .npy file: the message names the file and what is wrong. */
export class NpyError extends Error {
  constructor(
    readonly file: string,
    detail: string,
  ) {
    super(`${file}: ${detail}`);
    this.name = 'NpyError';
  }
}

export interface NpyHeader {
  dtype: NpyDtype;
  /** the descr string as written, e.g. "|u1" */
  descr: string;
  shape: number[];
  /** byte offset of the first element */
  dataOffset: number;
  itemSize: number;
  /** product of the shape (1 for a 0-d array) */
  count: number;
}

const MAGIC = Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]); // \x93NUMPY

function dtypeOfDescr(file: string, descr: string): NpyDtype {
  // '=' (native) is little-endian on every machine the authors' code runs on; '|' marks 1-byte types.
  const norm = descr.replace(/^[=|]/, (m) => (m === '=' ? '<' : '|'));
  for (const [k, v] of Object.entries(DESCR) as Array<[NpyDtype, string]>) {
    if (v === norm || (v.startsWith('|') && norm === `<${v.slice(1)}`)) return k;
  }
  if (/^>/.test(descr)) throw new NpyError(file, `big-endian arrays (dtype '${descr}') are not supported; save it little-endian`);
  throw new NpyError(file, `unsupported dtype '${descr}' (expected an integer, bool or float type)`);
}

/** Parses the header dict: {'descr': '<i4', 'fortran_order': False, 'shape': (3, 900), } */
function parseHeaderDict(file: string, text: string): { descr: string; fortran: boolean; shape: number[] } {
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(text)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(text)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(text)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) {
    throw new NpyError(file, `malformed .npy header ${JSON.stringify(text.trim().slice(0, 120))} (needs 'descr', 'fortran_order' and 'shape')`);
  }
  const parts = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const shape = parts.map((s) => {
    const n = /^\d+L?$/.test(s) ? Number(s.replace('L', '')) : NaN;
    if (!Number.isSafeInteger(n)) throw new NpyError(file, `malformed shape (${shapeText}) in the .npy header`);
    return n;
  });
  return { descr, fortran: fortran === 'True', shape };
}

function parseHeader(file: string, head: Buffer, fileSize: number): NpyHeader {
  if (head.length < 10 || !head.subarray(0, 6).equals(MAGIC)) throw new NpyError(file, 'not a .npy file (the \\x93NUMPY magic is missing)');
  const major = head[6] as number;
  let headerLen: number;
  let start: number;
  if (major === 1) {
    headerLen = head.readUInt16LE(8);
    start = 10;
  } else if (major === 2 || major === 3) {
    if (head.length < 12) throw new NpyError(file, 'truncated .npy header');
    headerLen = head.readUInt32LE(8);
    start = 12;
  } else {
    throw new NpyError(file, `unsupported .npy format version ${major}.${head[7]}`);
  }
  if (start + headerLen > head.length) throw new NpyError(file, 'truncated .npy header');
  const text = head.subarray(start, start + headerLen).toString(major === 3 ? 'utf8' : 'latin1');
  const { descr, fortran, shape } = parseHeaderDict(file, text);
  const dtype = dtypeOfDescr(file, descr);
  const count = shape.reduce((a, b) => a * b, 1);
  if (fortran && shape.filter((d) => d > 1).length > 1) throw new NpyError(file, 'Fortran-ordered arrays are not supported; save with np.ascontiguousarray');
  const itemSize = ITEM_SIZE[dtype];
  const dataOffset = start + headerLen;
  const need = dataOffset + count * itemSize;
  if (fileSize < need) {
    throw new NpyError(file, `truncated: shape (${shape.join(', ')}) of ${dtype} needs ${need} bytes, the file has ${fileSize}`);
  }
  if (fileSize > need) throw new NpyError(file, `has ${fileSize - need} bytes after the data that shape (${shape.join(', ')}) of ${dtype} does not account for`);
  return { dtype, descr, shape, dataOffset, itemSize, count };
}

function typedView(dtype: NpyDtype, buf: Buffer): NpyTypedArray {
  // Copy into a fresh, aligned buffer: a Buffer slice may start at any byte offset.
  const ab = new ArrayBuffer(buf.length);
  new Uint8Array(ab).set(buf);
  switch (dtype) {
    case 'bool':
    case 'uint8':
      return new Uint8Array(ab);
    case 'int8':
      return new Int8Array(ab);
    case 'uint16':
      return new Uint16Array(ab);
    case 'int16':
      return new Int16Array(ab);
    case 'uint32':
      return new Uint32Array(ab);
    case 'int32':
      return new Int32Array(ab);
    case 'int64':
      return new BigInt64Array(ab);
    case 'uint64':
      return new BigUint64Array(ab);
    case 'float32':
      return new Float32Array(ab);
    case 'float64':
      return new Float64Array(ab);
  }
}

/** An open .npy file: its header, and reads of element ranges (row ranges of a 2-D table). */
export class NpyFile {
  private constructor(
    readonly file: string,
    readonly header: NpyHeader,
    private readonly fh: FileHandle,
  ) {}

  static async open(file: string): Promise<NpyFile> {
    let fh: FileHandle;
    try {
      fh = await open(file, 'r');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new NpyError(file, code === 'ENOENT' ? 'file is missing' : `cannot be read (${code ?? String(e)})`);
    }
    try {
      const size = (await fh.stat()).size;
      const head = Buffer.alloc(Math.min(size, 65536 + 12));
      await fh.read(head, 0, head.length, 0);
      return new NpyFile(file, parseHeader(file, head, size), fh);
    } catch (e) {
      await fh.close();
      throw e;
    }
  }

  get dtype(): NpyDtype {
    return this.header.dtype;
  }
  get shape(): number[] {
    return this.header.shape;
  }

  /** Elements per leading-axis row (1 for a 1-D array). */
  get rowSize(): number {
    return this.header.shape.slice(1).reduce((a, b) => a * b, 1);
  }

  /** Rows [start, start+count) of the leading axis, flattened. */
  async readRows(start: number, count: number): Promise<NpyTypedArray> {
    const rows = this.header.shape[0] ?? 1;
    if (!Number.isInteger(start) || !Number.isInteger(count) || start < 0 || count < 0 || start + count > rows) {
      throw new NpyError(this.file, `rows ${start}..${start + count - 1} are outside the ${rows} row(s) of the array`);
    }
    const bytes = count * this.rowSize * this.header.itemSize;
    const buf = Buffer.alloc(bytes);
    const { bytesRead } = await this.fh.read(buf, 0, bytes, this.header.dataOffset + start * this.rowSize * this.header.itemSize);
    if (bytesRead !== bytes) throw new NpyError(this.file, `short read at rows ${start}..${start + count - 1}`);
    return typedView(this.header.dtype, buf);
  }

  async readAll(): Promise<NpyTypedArray> {
    if (this.header.shape.length === 0) return this.readScalar();
    return this.readRows(0, this.header.shape[0] as number);
  }

  private async readScalar(): Promise<NpyTypedArray> {
    const buf = Buffer.alloc(this.header.itemSize);
    await this.fh.read(buf, 0, buf.length, this.header.dataOffset);
    return typedView(this.header.dtype, buf);
  }

  async close(): Promise<void> {
    await this.fh.close();
  }
}

/** Reads a whole .npy file (for the small index arrays). */
export async function readNpy(file: string): Promise<{ dtype: NpyDtype; shape: number[]; data: NpyTypedArray }> {
  const f = await NpyFile.open(file);
  try {
    return { dtype: f.dtype, shape: f.shape, data: await f.readAll() };
  } finally {
    await f.close();
  }
}

/** Integer array values as plain numbers, refusing any beyond 2^53 (the file and what). */
export function toSafeNumbers(file: string, data: NpyTypedArray): number[] {
  const out = new Array<number>(data.length);
  for (let i = 0; i < data.length; i++) {
    const v = data[i] as number | bigint;
    const n = typeof v === 'bigint' ? Number(v) : v;
    if (!Number.isSafeInteger(n)) throw new NpyError(file, `element ${i} = ${String(v)} is not an integer in the safe range`);
    out[i] = n;
  }
  return out;
}

/** The bytes of an .npy file (format 1.0, header padded to a multiple of 64 as numpy writes it). */
export function encodeNpy(dtype: NpyDtype, shape: readonly number[], data: ArrayLike<number> | NpyTypedArray): Buffer {
  const count = shape.reduce((a, b) => a * b, 1);
  if (shape.some((d) => !Number.isSafeInteger(d) || d < 0)) throw new Error(`encodeNpy: bad shape (${shape.join(', ')})`);
  if (data.length !== count) throw new Error(`encodeNpy: shape (${shape.join(', ')}) holds ${count} elements, got ${data.length}`);
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let dict = `{'descr': '${DESCR[dtype]}', 'fortran_order': False, 'shape': ${shapeText}, }`;
  const unpadded = 10 + dict.length + 1;
  dict += ' '.repeat((64 - (unpadded % 64)) % 64) + '\n';
  if (dict.length > 65535) throw new Error('encodeNpy: header too long for format 1.0');
  const head = Buffer.alloc(10);
  MAGIC.copy(head, 0);
  head[6] = 1;
  head[7] = 0;
  head.writeUInt16LE(dict.length, 8);
  const head2 = Buffer.concat([head, Buffer.from(dict, 'latin1')]);
  // Token tables are large: copy bytes straight through when no conversion is needed.
  if ((dtype === 'uint8' && data instanceof Uint8Array) || (dtype === 'int32' && data instanceof Int32Array)) {
    return Buffer.concat([head2, Buffer.from(data.buffer, data.byteOffset, data.byteLength)]);
  }
  const body = Buffer.alloc(count * ITEM_SIZE[dtype]);
  const check = (v: number, lo: number, hi: number, i: number): number => {
    if (!Number.isInteger(v) || v < lo || v > hi) throw new Error(`encodeNpy: element ${i} = ${v} does not fit ${dtype}`);
    return v;
  };
  for (let i = 0; i < count; i++) {
    const raw = data[i] as number | bigint;
    switch (dtype) {
      case 'bool':
        body[i] = raw ? 1 : 0;
        break;
      case 'uint8':
        body.writeUInt8(check(Number(raw), 0, 255, i), i);
        break;
      case 'int8':
        body.writeInt8(check(Number(raw), -128, 127, i), i);
        break;
      case 'uint16':
        body.writeUInt16LE(check(Number(raw), 0, 65535, i), 2 * i);
        break;
      case 'int16':
        body.writeInt16LE(check(Number(raw), -32768, 32767, i), 2 * i);
        break;
      case 'uint32':
        body.writeUInt32LE(check(Number(raw), 0, 2 ** 32 - 1, i), 4 * i);
        break;
      case 'int32':
        body.writeInt32LE(check(Number(raw), -(2 ** 31), 2 ** 31 - 1, i), 4 * i);
        break;
      case 'int64':
        body.writeBigInt64LE(BigInt(raw), 8 * i);
        break;
      case 'uint64':
        body.writeBigUInt64LE(BigInt(raw), 8 * i);
        break;
      case 'float32':
        body.writeFloatLE(Number(raw), 4 * i);
        break;
      case 'float64':
        body.writeDoubleLE(Number(raw), 8 * i);
        break;
    }
  }
  return Buffer.concat([head2, body]);
}

export async function writeNpy(file: string, dtype: NpyDtype, shape: readonly number[], data: ArrayLike<number> | NpyTypedArray): Promise<void> {
  await writeFile(file, encodeNpy(dtype, shape, data));
}
