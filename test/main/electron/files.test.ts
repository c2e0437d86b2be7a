import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readImportFiles, writeExportFiles } from '../../../src-main/electron/files';
import { tempDataDir } from '../service/helpers';

const { dir, cleanup } = tempDataDir();
afterAll(cleanup);

describe('import and export files of the desktop dialogs', () => {
  it('reads chosen files and the .json files of chosen folders, named relative to the choice', async () => {
    mkdirSync(path.join(dir, 'set/sub'), { recursive: true });
    writeFileSync(path.join(dir, 'set/a.json'), '{"a":1}');
    writeFileSync(path.join(dir, 'set/sub/b.json'), '{"b":2}');
    writeFileSync(path.join(dir, 'set/readme.txt'), 'skip');
    writeFileSync(path.join(dir, 'single.json'), '{}');
    const files = await readImportFiles([path.join(dir, 'set'), path.join(dir, 'single.json')]);
    expect(files.map((f) => f.name)).toEqual(['set/a.json', 'set/sub/b.json', 'single.json']);
    expect(files[1]!.content).toBe('{"b":2}');
  });

  it('writes export files into a folder and refuses names that would escape it', async () => {
    const out = path.join(dir, 'out');
    await writeExportFiles(out, [{ name: 'x.json', content: '{}' }]);
    expect(readFileSync(path.join(out, 'x.json'), 'utf8')).toBe('{}');
    await expect(writeExportFiles(out, [{ name: '../evil.json', content: '' }])).rejects.toThrow(/refusing/);
  });
});
