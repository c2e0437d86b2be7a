// The zip reader: stored entries by positional reads, deflated ones through node:zlib, CRC checks.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { crc32 } from '../../../../src-main/pipeline/torch/crc32';
import { zipStored } from '../../../../src-main/pipeline/torch/torch-writer';
import { ZipReader } from '../../../../src-main/pipeline/torch/zip-reader';

async function tmpFile(name: string, data: Uint8Array): Promise<string> {
  const f = path.join(await mkdtemp(path.join(tmpdir(), 'zip-')), name);
  await writeFile(f, data);
  return f;
}

/** A zip whose one entry is deflated (a checkpoint re-zipped by a generic tool). */
function deflatedZip(name: string, data: Uint8Array): Uint8Array {
  const comp = deflateRawSync(data);
  const n = new TextEncoder().encode(name);
  const local = Buffer.alloc(30 + n.length);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt16LE(8, 8);
  local.writeUInt32LE(crc32(data), 14);
  local.writeUInt32LE(comp.length, 18);
  local.writeUInt32LE(data.length, 22);
  local.writeUInt16LE(n.length, 26);
  Buffer.from(n).copy(local, 30);
  const central = Buffer.alloc(46 + n.length);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(8, 10);
  central.writeUInt32LE(crc32(data), 16);
  central.writeUInt32LE(comp.length, 20);
  central.writeUInt32LE(data.length, 24);
  central.writeUInt16LE(n.length, 28);
  Buffer.from(n).copy(central, 46);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.length, 12);
  end.writeUInt32LE(local.length + comp.length, 16);
  return Buffer.concat([local, comp, central, end]);
}

describe('the zip reader', () => {
  it('reads stored entries whole and by slice, on 64-byte aligned data as torch writes them', async () => {
    const data = Uint8Array.from({ length: 300 }, (_, i) => i % 251);
    const f = await tmpFile('a.zip', Buffer.concat(zipStored([{ name: 'a/data.pkl', data: new Uint8Array([1, 2, 3]) }, { name: 'a/data/0', data }])));
    const z = await ZipReader.open(f);
    try {
      expect([...z.entries.keys()]).toEqual(['a/data.pkl', 'a/data/0']);
      expect((await z.dataOffset('a/data/0')) % 64).toBe(0);
      expect(Array.from(await z.read('a/data/0'))).toEqual(Array.from(data));
      expect(Array.from(await z.readSlice('a/data/0', 100, 5))).toEqual(Array.from(data.subarray(100, 105)));
    } finally {
      await z.close();
    }
  });

  it('inflates deflated entries and checks their CRC-32', async () => {
    const data = new TextEncoder().encode('hello hello hello hello');
    const good = deflatedZip('x/data.pkl', data);
    const z = await ZipReader.open(await tmpFile('d.zip', good));
    expect(new TextDecoder().decode(await z.read('x/data.pkl'))).toBe('hello hello hello hello');
    await z.close();
    const bad = Buffer.from(good);
    bad.writeUInt32LE(12345, bad.length - 22 - (46 + 'x/data.pkl'.length) + 16); // the central directory's CRC
    const zb = await ZipReader.open(await tmpFile('e.zip', bad));
    await expect(zb.read('x/data.pkl')).rejects.toThrow(/e\.zip: entry x\/data\.pkl does not match its CRC-32/);
    await zb.close();
  });

  it('says "truncated" for a zip cut short and names the file', async () => {
    const whole = Buffer.concat(zipStored([{ name: 'a/data/0', data: new Uint8Array(1000) }]));
    const f = await tmpFile('cut.zip', whole.subarray(0, 500));
    await expect(ZipReader.open(f)).rejects.toThrow(/cut\.zip: a truncated zip archive/);
  });
});
