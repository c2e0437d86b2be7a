// One view over the two file formats a state_dict arrives in: the PyTorch zip of torch.save (a safe
// pickle read, pickle.ts, plus raw storages) and .safetensors (an 8-byte header length, a JSON header,
// then the raw tensors). Tensors are not read until asked; a 2-D tensor can be read a slice of rows
// at a time (the puzzle-embedding table), so nothing forces a multi-GB table into memory.
import { open, type FileHandle } from 'node:fs/promises';
import { isFloatDType, toFloat32 } from './dtype';
import { DTYPE_BYTES, isTensor, readStateDictPickle, type TensorRef, type TorchDType } from './pickle';
import { ZipReader } from './zip-reader';

export interface TensorEntry {
  /** the key as stored in the file */
  key: string;
  dtype: TorchDType;
  shape: number[];
  /** every value, as fp32 */
  read(): Promise<Float32Array>;
  /** rows [start, start + count) of a 2-D tensor, as fp32 */
  readRows(start: number, count: number): Promise<Float32Array>;
}

export interface StateDictFile {
  file: string;
  format: 'torch-zip' | 'safetensors';
  /** in file order */
  entries: Map<string, TensorEntry>;
  close(): Promise<void>;
}

export class StateDictError extends Error {
  constructor(file: string, why: string) {
    super(`${file}: ${why}`);
    this.name = 'StateDictError';
  }
}

const numelOf = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

function contiguous(shape: readonly number[], stride: readonly number[]): boolean {
  let expected = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    if ((shape[i] as number) !== 1 && stride[i] !== expected) return false;
    expected *= shape[i] as number;
  }
  return true;
}

/** Opens a checkpoint by content: a zip (torch.save) or a safetensors file. */
export async function openStateDict(file: string): Promise<StateDictFile> {
  const fh = await open(file, 'r').catch((e: NodeJS.ErrnoException) => {
    throw new StateDictError(file, `cannot open (${e.code ?? e.message})`);
  });
  const head = new Uint8Array(8);
  const size = (await fh.stat()).size;
  await fh.read(head, 0, 8, 0);
  if (head[0] === 0x50 && head[1] === 0x4b) {
    await fh.close();
    return openTorchZip(file);
  }
  const headerLen = Number(new DataView(head.buffer).getBigUint64(0, true));
  if (size >= 10 && headerLen > 1 && headerLen <= Math.min(100_000_000, size - 8)) {
    const first = new Uint8Array(1);
    await fh.read(first, 0, 1, 8);
    if (first[0] === 0x7b /* { */) return openSafetensors(file, fh, size, headerLen);
  }
  await fh.close();
  if (size < 8) throw new StateDictError(file, `is ${size} bytes: too short to be a checkpoint (truncated?)`);
  throw new StateDictError(
    file,
    `is neither a PyTorch checkpoint (a zip written by torch.save, starting with "PK") nor a .safetensors file (wrong magic: starts with ${Array.from(head.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ')})`,
  );
}

async function openTorchZip(file: string): Promise<StateDictFile> {
  const zip = await ZipReader.open(file);
  try {
    const pkls = [...zip.entries.keys()].filter((n) => n.endsWith('/data.pkl') || n === 'data.pkl');
    if (pkls.length !== 1) {
      throw new StateDictError(file, pkls.length === 0 ? 'is a zip but not a PyTorch checkpoint (no data.pkl inside)' : `holds ${pkls.length} data.pkl records (${pkls.join(', ')})`);
    }
    const pkl = pkls[0] as string;
    const prefix = pkl.slice(0, pkl.length - 'data.pkl'.length);
    // torch.save records the storages' byte order since 1.12; older files are little-endian.
    if (zip.entries.has(`${prefix}byteorder`)) {
      const order = new TextDecoder().decode(await zip.read(`${prefix}byteorder`)).trim();
      if (order !== 'little') throw new StateDictError(file, `its storages are ${order}-endian (${prefix}byteorder); only little-endian checkpoints are read`);
    }
    const root = readStateDictPickle(await zip.read(pkl), `${file}: ${pkl}`);
    const tensors = flattenTensors(root, file);
    const entries = new Map<string, TensorEntry>();
    for (const [key, t] of tensors) entries.set(key, torchEntry(zip, prefix, key, t));
    return { file, format: 'torch-zip', entries, close: () => zip.close() };
  } catch (e) {
    await zip.close();
    throw e;
  }
}

/** Tensors of a state_dict, or of one nested under a wrapper dict ({"model": state_dict, …}), by dotted key. */
function flattenTensors(root: unknown, file: string): Array<[string, TensorRef]> {
  if (!(root instanceof Map)) throw new StateDictError(file, 'the pickle does not hold a dict of tensors (not a state_dict)');
  const out: Array<[string, TensorRef]> = [];
  const walk = (m: Map<unknown, unknown>, prefix: string): void => {
    for (const [k, v] of m) {
      if (typeof k !== 'string') continue;
      if (isTensor(v)) out.push([prefix + k, v]);
      else if (v instanceof Map) walk(v, `${prefix}${k}.`);
      // plain numbers/strings beside the weights (a step counter, a config) carry no tensor
    }
  };
  walk(root, '');
  if (out.length === 0) throw new StateDictError(file, 'the state_dict holds no tensors');
  return out;
}

function torchEntry(zip: ZipReader, prefix: string, key: string, t: TensorRef): TensorEntry {
  const record = `${prefix}data/${t.storage.key}`;
  const eb = DTYPE_BYTES[t.storage.dtype];
  const numel = numelOf(t.shape);
  const where = `${zip.file}: key ${key}`;
  const check = (): void => {
    const e = zip.entries.get(record);
    if (!e) throw new StateDictError(zip.file, `key ${key}: its storage record ${record} is missing from the zip`);
    if (e.size < t.storage.numel * eb) throw new StateDictError(zip.file, `key ${key}: storage ${record} holds ${e.size} bytes, ${t.storage.numel} ${t.storage.dtype} values need ${t.storage.numel * eb}`);
    let last = t.offset;
    for (let i = 0; i < t.shape.length; i++) if ((t.shape[i] as number) > 0) last += ((t.shape[i] as number) - 1) * (t.stride[i] as number);
    if (numel > 0 && last >= t.storage.numel) throw new StateDictError(zip.file, `key ${key}: shape [${t.shape.join(', ')}] at offset ${t.offset} reaches past its storage (${t.storage.numel} values)`);
    if (!isFloatDType(t.storage.dtype)) throw new StateDictError(zip.file, `key ${key} is a ${t.storage.dtype} tensor; weights must be float32, bfloat16, float16 or float64`);
  };
  const dense = contiguous(t.shape, t.stride);
  return {
    key,
    dtype: t.storage.dtype,
    shape: t.shape,
    async read() {
      check();
      if (dense) {
        const e = zip.entry(record);
        // Small storages are read whole so their CRC-32 is checked; big ones by slice.
        const bytes = e.size <= 256 * 1024 * 1024 ? (await zip.read(record)).subarray(t.offset * eb, (t.offset + numel) * eb) : await zip.readSlice(record, t.offset * eb, numel * eb);
        return toFloat32(bytes, t.storage.dtype, numel);
      }
      const all = toFloat32(await zip.read(record), t.storage.dtype, t.storage.numel);
      const out = new Float32Array(numel);
      const idx = new Array<number>(t.shape.length).fill(0);
      for (let i = 0; i < numel; i++) {
        let at = t.offset;
        for (let d = 0; d < idx.length; d++) at += (idx[d] as number) * (t.stride[d] as number);
        out[i] = all[at] as number;
        for (let d = idx.length - 1; d >= 0; d--) {
          idx[d] = (idx[d] as number) + 1;
          if ((idx[d] as number) < (t.shape[d] as number)) break;
          idx[d] = 0;
        }
      }
      return out;
    },
    async readRows(start, count) {
      check();
      if (t.shape.length !== 2 || !dense) throw new StateDictError(zip.file, `key ${key}: row reads need a contiguous 2-D tensor`);
      const cols = t.shape[1] as number;
      if (start < 0 || start + count > (t.shape[0] as number)) throw new Error(`${where}: rows ${start}..${start + count} are outside its ${t.shape[0]} rows`);
      const bytes = await zip.readSlice(record, (t.offset + start * cols) * eb, count * cols * eb);
      return toFloat32(bytes, t.storage.dtype, count * cols);
    },
  };
}

const SAFETENSORS_DTYPES: Record<string, TorchDType> = { F32: 'float32', BF16: 'bfloat16', F16: 'float16', F64: 'float64', I64: 'int64', I32: 'int32', I16: 'int16', I8: 'int8', U8: 'uint8', BOOL: 'bool' };

async function openSafetensors(file: string, fh: FileHandle, size: number, headerLen: number): Promise<StateDictFile> {
  try {
    const headerBytes = new Uint8Array(headerLen);
    await fh.read(headerBytes, 0, headerLen, 8);
    let header: Record<string, unknown>;
    try {
      header = JSON.parse(new TextDecoder().decode(headerBytes)) as Record<string, unknown>;
    } catch (e) {
      throw new StateDictError(file, `the safetensors header is not valid JSON (${(e as Error).message})`);
    }
    const base = 8 + headerLen;
    const entries = new Map<string, TensorEntry>();
    for (const [key, raw] of Object.entries(header)) {
      if (key === '__metadata__') continue;
      const info = raw as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
      const dtype = SAFETENSORS_DTYPES[String(info.dtype)];
      if (dtype === undefined) throw new StateDictError(file, `key ${key}: unknown safetensors dtype ${String(info.dtype)}`);
      const shape = info.shape;
      const offs = info.data_offsets;
      if (!Array.isArray(shape) || !shape.every((s) => Number.isInteger(s) && s >= 0)) throw new StateDictError(file, `key ${key}: shape is not a list of sizes`);
      if (!Array.isArray(offs) || offs.length !== 2 || !offs.every((s) => Number.isInteger(s) && s >= 0)) throw new StateDictError(file, `key ${key}: data_offsets is not [begin, end]`);
      const [begin, end] = offs as [number, number];
      const numel = numelOf(shape as number[]);
      const eb = DTYPE_BYTES[dtype];
      if (end - begin !== numel * eb) throw new StateDictError(file, `key ${key}: data_offsets span ${end - begin} bytes, shape [${(shape as number[]).join(', ')}] of ${dtype} needs ${numel * eb}`);
      if (base + end > size) throw new StateDictError(file, `key ${key}: its data (bytes ${base + begin}..${base + end}) lies past the end of the file (${size} bytes): truncated`);
      const readBytes = async (from: number, length: number): Promise<Uint8Array> => {
        const out = new Uint8Array(length);
        let done = 0;
        while (done < length) {
          const { bytesRead } = await fh.read(out, done, length - done, base + from + done);
          if (bytesRead === 0) throw new StateDictError(file, `key ${key}: truncated`);
          done += bytesRead;
        }
        return out;
      };
      const notFloat = () => new StateDictError(file, `key ${key} is a ${dtype} tensor; weights must be float32, bfloat16, float16 or float64`);
      entries.set(key, {
        key,
        dtype,
        shape: shape as number[],
        async read() {
          if (!isFloatDType(dtype)) throw notFloat();
          return toFloat32(await readBytes(begin, numel * eb), dtype, numel);
        },
        async readRows(start, count) {
          if (!isFloatDType(dtype)) throw notFloat();
          const s = shape as number[];
          if (s.length !== 2) throw new StateDictError(file, `key ${key}: row reads need a 2-D tensor`);
          const cols = s[1] as number;
          if (start < 0 || start + count > (s[0] as number)) throw new StateDictError(file, `key ${key}: rows ${start}..${start + count} are outside its ${s[0]} rows`);
          return toFloat32(await readBytes(begin + start * cols * eb, count * cols * eb), dtype, count * cols);
        },
      });
    }
    if (entries.size === 0) throw new StateDictError(file, 'the safetensors file holds no tensors');
    return { file, format: 'safetensors', entries, close: () => fh.close() };
  } catch (e) {
    await fh.close();
    throw e;
  }
}
