// The .npy reader and writer: every dtype round-trips, numpy loads what the writer writes, and a bad
// file is refused with its name and what is wrong.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeNpy, NpyError, NpyFile, readNpy, writeNpy, type NpyDtype } from '../../../../src-main/pipeline/authors-dataset/npy';
import { numpyUnavailable, python, tempDir } from './helpers';

const CASES: Array<{ dtype: NpyDtype; values: number[]; numpy: string }> = [
  { dtype: 'uint8', values: [0, 1, 11, 255], numpy: 'uint8' },
  { dtype: 'int8', values: [-128, -1, 0, 127], numpy: 'int8' },
  { dtype: 'uint16', values: [0, 1, 65535, 300], numpy: 'uint16' },
  { dtype: 'int16', values: [-32768, -1, 32767, 5], numpy: 'int16' },
  { dtype: 'uint32', values: [0, 1, 2 ** 32 - 1, 7], numpy: 'uint32' },
  { dtype: 'int32', values: [-(2 ** 31), -5, 2 ** 31 - 1, 876405], numpy: 'int32' },
  { dtype: 'int64', values: [-(2 ** 40), -1, 2 ** 40, 3], numpy: 'int64' },
  { dtype: 'float32', values: [0.5, -2.25, 1e-3, 3], numpy: 'float32' },
  { dtype: 'float64', values: [0.1, -2.5e-300, 1e300, Math.PI], numpy: 'float64' },
];

describe('npy', () => {
  it('reads back every dtype the writer writes, with its shape, in 1-D and 2-D', async () => {
    const dir = await tempDir('npy');
    for (const c of CASES) {
      for (const shape of [[4], [2, 2]]) {
        const file = path.join(dir, `${c.dtype}-${shape.length}.npy`);
        await writeNpy(file, c.dtype, shape, c.values);
        const r = await readNpy(file);
        expect(r.dtype).toBe(c.dtype);
        expect(r.shape).toEqual(shape);
        const got = Array.from(r.data as ArrayLike<number | bigint>, Number);
        if (c.dtype === 'float32') expect(got).toEqual(Array.from(Float32Array.from(c.values)));
        else expect(got).toEqual(c.values);
      }
    }
  });

  it('pads the header as numpy does (data starts at a multiple of 64 bytes)', () => {
    for (const shape of [[3], [3, 900], [1000, 900]]) {
      const count = shape.reduce((a, b) => a * b, 1);
      const buf = encodeNpy('uint8', shape, new Uint8Array(count));
      expect((buf.length - count) % 64).toBe(0);
    }
  });

  it('reads row ranges of a 2-D table without reading the rest', async () => {
    const dir = await tempDir('npy-rows');
    const file = path.join(dir, 'rows.npy');
    const data = Uint8Array.from({ length: 5 * 3 }, (_, i) => i);
    await writeNpy(file, 'uint8', [5, 3], data);
    const f = await NpyFile.open(file);
    try {
      expect(Array.from((await f.readRows(2, 2)) as Uint8Array)).toEqual([6, 7, 8, 9, 10, 11]);
      await expect(f.readRows(4, 2)).rejects.toThrow(/rows 4\.\.5 are outside the 5 row/);
    } finally {
      await f.close();
    }
  });

  it('refuses a missing, truncated, non-npy, big-endian or Fortran-ordered file, naming the file', async () => {
    const dir = await tempDir('npy-bad');
    const good = encodeNpy('int32', [4], [1, 2, 3, 4]);
    const cases: Array<[string, Buffer | null, RegExp]> = [
      ['missing.npy', null, /missing\.npy: file is missing/],
      ['truncated.npy', good.subarray(0, good.length - 3), /truncated\.npy: truncated: shape \(4\) of int32 needs/],
      ['text.npy', Buffer.from('hello world, not numpy'), /text\.npy: not a \.npy file/],
      ['big.npy', Buffer.from(good.toString('latin1').replace("'<i4'", "'>i4'"), 'latin1'), /big\.npy: big-endian/],
      ['fortran.npy', Buffer.from(encodeNpy('int32', [2, 2], [1, 2, 3, 4]).toString('latin1').replace("'fortran_order': False", "'fortran_order': True "), 'latin1'), /fortran\.npy: Fortran-ordered/],
      ['object.npy', Buffer.from(good.toString('latin1').replace("'<i4'", "'|O8'"), 'latin1'), /object\.npy: unsupported dtype '\|O8'/],
    ];
    for (const [name, bytes, message] of cases) {
      const file = path.join(dir, name);
      if (bytes !== null) await writeFile(file, bytes);
      const err = await readNpy(file).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err, name).toBeInstanceOf(NpyError);
      expect((err as Error).message).toMatch(message);
    }
  });

  const noNumpy = numpyUnavailable();
  it.skipIf(noNumpy !== null)(`numpy loads every written array with its dtype, shape and values${noNumpy === null ? '' : ` (skipped: ${noNumpy})`}`, async () => {
    const dir = await tempDir('npy-numpy');
    for (const c of CASES) await writeNpy(path.join(dir, `${c.dtype}.npy`), c.dtype, [2, 2], c.values);
    const out = python(
      'import sys, json, numpy as np\n' +
        'r = {}\n' +
        'for name in sys.argv[2:]:\n' +
        '    a = np.load(f"{sys.argv[1]}/{name}.npy")\n' +
        '    r[name] = [str(a.dtype), list(a.shape), [float(x) for x in a.ravel()]]\n' +
        'print(json.dumps(r))',
      [dir, ...CASES.map((c) => c.dtype)],
    );
    const got = JSON.parse(out) as Record<string, [string, number[], number[]]>;
    for (const c of CASES) {
      const [dtype, shape, values] = got[c.dtype] as [string, number[], number[]];
      expect(dtype).toBe(c.numpy);
      expect(shape).toEqual([2, 2]);
      expect(values).toEqual(c.dtype === 'float32' ? Array.from(Float32Array.from(c.values)) : c.values);
    }
  });

  it.skipIf(noNumpy !== null)(`reads what numpy writes (format 1.0 and 2.0, any dtype it makes)${noNumpy === null ? '' : ` (skipped: ${noNumpy})`}`, async () => {
    const dir = await tempDir('npy-from-numpy');
    python(
      'import sys, numpy as np\n' +
        'np.save(f"{sys.argv[1]}/u8.npy", np.arange(12, dtype=np.uint8).reshape(3, 4))\n' +
        'np.save(f"{sys.argv[1]}/i64.npy", np.array([0, -3, 2**40], dtype=np.int64))\n' +
        'np.lib.format.write_array(open(f"{sys.argv[1]}/v2.npy", "wb"), np.arange(5, dtype=np.int32), version=(2, 0))',
      [dir],
    );
    const u8 = await readNpy(path.join(dir, 'u8.npy'));
    expect([u8.dtype, u8.shape, Array.from(u8.data as Uint8Array)]).toEqual(['uint8', [3, 4], Array.from({ length: 12 }, (_, i) => i)]);
    const i64 = await readNpy(path.join(dir, 'i64.npy'));
    expect([i64.dtype, Array.from(i64.data as BigInt64Array, Number)]).toEqual(['int64', [0, -3, 2 ** 40]]);
    const v2 = await readNpy(path.join(dir, 'v2.npy'));
    expect([v2.dtype, Array.from(v2.data as Int32Array)]).toEqual(['int32', [0, 1, 2, 3, 4]]);
  });
});
