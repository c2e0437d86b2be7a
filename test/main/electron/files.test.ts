import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { planExport, readImportFiles, safeFolderName, writeExportFiles, writeExportPlan } from '../../../src-main/electron/files';
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

describe('exporting datasets into a chosen folder', () => {
  it('keeps a dataset named .. or . inside the chosen folder, as its own subfolder', async () => {
    const root = path.join(dir, 'chosen');
    mkdirSync(root, { recursive: true });
    const files = [{ name: 'a.json', content: '{}' }];
    const plan = planExport(root, [
      { name: '..', id: 'ds-1', files },
      { name: '.', id: 'ds-2', files },
      { name: '../../etc', id: 'ds-3', files },
      { name: 'CON', id: 'ds-4', files },
    ]);
    for (const w of plan.writes) expect(path.relative(root, w.file)).toMatch(/^[^.][^/\\]*[/\\]a\.json$/);
    expect(plan.writes.map((w) => path.relative(root, path.dirname(w.file)))).toEqual(['ds-1', 'ds-2', '_.._etc', '_CON']);
    await writeExportPlan(plan, false);
    expect(readFileSync(path.join(root, 'ds-1', 'a.json'), 'utf8')).toBe('{}');
  });

  it('does not overwrite an existing file unless the user agreed', async () => {
    const root = path.join(dir, 'again');
    mkdirSync(path.join(root, 'set'), { recursive: true });
    writeFileSync(path.join(root, 'set', 'a.json'), 'mine');
    const plan = planExport(root, [{ name: 'set', id: 'ds-1', files: [{ name: 'a.json', content: 'new' }] }]);
    expect(plan.existing).toEqual([path.join(root, 'set', 'a.json')]);
    await expect(writeExportPlan(plan, false)).rejects.toThrow(/already exist/);
    expect(readFileSync(path.join(root, 'set', 'a.json'), 'utf8')).toBe('mine');
    await writeExportPlan(plan, true);
    expect(readFileSync(path.join(root, 'set', 'a.json'), 'utf8')).toBe('new');
    expect(safeFolderName('  ..  ', 'fallback')).toBe('fallback');
  });
});
