// `puzzle-lab export-dataset | import-dataset | export-run`, in-process on a temp data directory.
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../../../src-main/cli/index';
import type { Io } from '../../../../src-main/cli/io';
import { defaultRunConfig } from '../../../../src-shared/method/run-config';
import { generateTasks } from '../../../../src-shared/generators';
import { writeCombined } from '../../../../src-shared/puzzle/formats';
import { tempDir } from '../../pipeline/authors-dataset/helpers';

function capture(): { io: Io; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    io: { out: (t) => void (out += t), err: (t) => void (err += t), isTTY: false, columns: 120, colour: 'none' },
    out: () => out,
    err: () => err,
  };
}

let dir = '';
let dataDir = '';
beforeEach(async () => {
  dir = await tempDir('cli-authors');
  dataDir = path.join(dir, 'lab-data');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("the CLI's authors' pipeline commands", () => {
  it('exports an ARC file, validates the folder with --check, imports it into the library and exports that library dataset again', async () => {
    const tasks = generateTasks('recolour', { count: 3, minSide: 3, maxSide: 5, difficulty: 1, seed: 4 });
    const pair = writeCombined(tasks);
    await writeFile(path.join(dir, 'mine_challenges.json'), pair.challenges);
    await writeFile(path.join(dir, 'mine_solutions.json'), pair.solutions);
    const out = path.join(dir, 'mine-aug-5');
    const c1 = capture();
    expect(await main(['export-dataset', path.join(dir, 'mine_challenges.json'), '--augmentations', '5', '--out', out], c1.io)).toBe(0);
    expect(c1.out()).toMatch(/wrote .*mine-aug-5\n {2}3 task\(s\), \d+ puzzle identifiers/);
    const c2 = capture();
    expect(await main(['import-dataset', out, '--check', '--data-dir', dataDir], c2.io)).toBe(0);
    expect(c2.out()).toContain('valid (ARC, 30×30)');
    const c3 = capture();
    expect(await main(['import-dataset', out, '--name', 'mine (authors)', '--data-dir', dataDir, '--json'], c3.io)).toBe(0);
    expect(JSON.parse(c3.out())).toMatchObject({ name: 'mine (authors)', loaded: 3, evaluationTasks: 3 });
    const c4 = capture();
    expect(await main(['export-dataset', '--dataset', 'mine (authors)', '--augmentations', '2', '--no-translate', '--out', path.join(dir, 'again'), '--data-dir', dataDir, '--json'], c4.io)).toBe(0);
    expect(JSON.parse(c4.out())).toMatchObject({ tasks: 3, splits: { train: { groups: 3 } } });
  });

  it('says what is wrong: no source, two sources, an unknown dataset, a bad folder', async () => {
    const c = capture();
    expect(await main(['export-dataset', '--out', path.join(dir, 'x')], c.io)).toBe(2);
    expect(c.err()).toContain('give exactly one of <tasks>, --dataset or --family');
    const c2 = capture();
    expect(await main(['export-dataset', '--dataset', 'nope', '--out', path.join(dir, 'x'), '--data-dir', dataDir], c2.io)).toBe(2);
    expect(c2.err()).toContain('no library dataset "nope"');
    const c3 = capture();
    await mkdir(path.join(dir, 'empty'));
    expect(await main(['import-dataset', path.join(dir, 'empty'), '--data-dir', dataDir], c3.io)).toBe(1);
    expect(c3.err()).toContain('identifiers.json: file is missing');
  });

  it('exports a run folder with its scripts and prints every option without an equivalent on stderr', async () => {
    const runDir = path.join(dir, 'runs', 'r-1');
    await mkdir(runDir, { recursive: true });
    const config = { ...defaultRunConfig('dis', 'tiny'), batchSize: 8 };
    config.dis.targets = 'mask';
    config.data.augmentations = 2;
    await writeFile(path.join(runDir, 'config.json'), JSON.stringify(config));
    const c = capture();
    const out = path.join(dir, 'dis-export');
    expect(await main(['export-run', runDir, '--out', out, '--gpus', '2'], c.io)).toBe(0);
    expect(c.err()).toContain('no equivalent in machinestein/Deep-Improvement-Supervision: dis.targets = mask');
    expect(c.out()).toContain('DIS for https://github.com/machinestein/Deep-Improvement-Supervision @ 032f116');
    expect(await readFile(path.join(out, 'train_1node.sh'), 'utf8')).toContain('puzzle_lab_dis.py');
    // a run of the lab by id: the lab exports it (exportRunForAuthors) and the folder moves to --out
    const { LabService } = await import('../../../../src-main/service/api');
    const { forkLauncher } = await import('../../../../src-main/engine/process/host');
    const { SCRIPTED_ENGINE } = await import('../../service/helpers');
    const lab = new LabService({ dataDir, mode: 'serve', launcher: forkLauncher({ entry: SCRIPTED_ENGINE }), queue: { startable: () => false }, probeBackend: false, log: () => {} });
    let runId: string;
    try {
      runId = (await lab.queueRuns({ configs: [config] }))[0]!.id;
    } finally {
      await lab.close();
    }
    const c2 = capture();
    const byId = path.join(dir, 'by-id');
    expect(await main(['export-run', runId, '--out', byId, '--data-dir', dataDir, '--json'], c2.io), c2.err()).toBe(0);
    const exported = JSON.parse(c2.out()) as { folder: string; method: string; dataset: { folder: string } };
    expect(exported).toMatchObject({ folder: byId, method: 'dis', repo: { commit: '032f116' } });
    expect(exported.dataset.folder.startsWith(byId)).toBe(true);
    expect(await readFile(path.join(byId, 'train_1node.sh'), 'utf8')).toContain('puzzle_lab_dis.py');
    // nothing is left in the lab's exports/ folder
    const { readdir } = await import('node:fs/promises');
    expect(await readdir(path.join(dataDir, 'exports'))).toEqual([]);
    const c3 = capture();
    expect(await main(['export-run', 'nope', '--out', path.join(dir, 'n'), '--data-dir', dataDir], c3.io)).toBe(2);
    expect(c3.err()).toContain('is neither a run folder (with config.json) nor a run id in');
  });
});
