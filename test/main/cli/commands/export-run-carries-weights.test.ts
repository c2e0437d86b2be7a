// `puzzle-lab export-run` on a lab-trained run carries the run's newest checkpoint as the authors'
// init/step_N, and that file imports back to the very weights the lab saved.
import { existsSync } from 'node:fs';
import { readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../../src-main/cli/index';
import { latestCheckpoint, readCheckpoint } from '../../../../src-main/engine/checkpoint-io';
import { parseMeta } from '../../../../src-main/engine/checkpoint-state';
import { importCheckpoint } from '../../../../src-main/pipeline/import-checkpoint';
import { readPairedDataset } from '../../../../src-main/pipeline/paired-dataset';
import { arcConfig, runJob, tempRunDir } from '../../engine/trainer-fixtures';
import { useWasm } from '../../engine/helpers';
import { captureIo } from '../capture-io';

beforeAll(async () => {
  await useWasm();
});

describe('export-run with weights', () => {
  it('writes the newest checkpoint of a trained run as init/step_N, which imports back identically with --dataset pairing every puzzle row to its version', async () => {
    const runDir = await tempRunDir();
    const config = arcConfig('trm', 3, { hidden: 32, heads: 2, puzzleEmbDim: 32 });
    await runJob(config, runDir);
    await writeFile(path.join(runDir, 'config.json'), JSON.stringify(config));
    const latest = await latestCheckpoint(runDir);
    expect(latest?.step).toBe(3);

    const out = path.join(runDir, 'for-torchrun');
    const c = captureIo();
    expect(await main(['export-run', runDir, '--out', out, '--data-dir', path.join(runDir, 'lab')], c), c.stderr()).toBe(0);
    expect(await readdir(path.join(out, 'init'))).toContain('step_3');
    expect(c.stdout()).toContain(path.join('init', 'step_3'));
    const dataFolder = /data: +(\S+)/.exec(c.stdout())?.[1];
    expect(dataFolder).toBeDefined();

    const back = path.join(runDir, 'reimported');
    const r = await importCheckpoint({
      file: path.join(out, 'init', 'step_3'),
      runDir: back,
      dataSource: config.data.source,
      // the exported dataset folder: its identifiers.json names every row of the exported table
      dataset: await readPairedDataset(dataFolder!),
      overrides: { T: config.model.T, n: config.model.n, Nsup: config.model.Nsup, heads: 2, puzzleEmbLen: config.model.puzzleEmbLen, canvas: 6 },
    });
    expect(existsSync(r.checkpointDir)).toBe(true);
    const a = await readCheckpoint(latest!.path);
    const b = await readCheckpoint(r.checkpointDir);
    // every puzzle id names the same task version as in the lab run
    expect(parseMeta(b.meta, r.checkpointDir).versionNames).toEqual(parseMeta(a.meta, latest!.path).versionNames);
    // The authors evaluate and save the EMA copy, so a TRM run exports its averaged weights; the
    // imported run holds them as its parameters. (Optimizer state has no place in a state_dict.)
    const params = Object.keys(b.arrays).filter((k) => k.startsWith('param/'));
    expect(params.length).toBeGreaterThan(0);
    for (const k of params) {
      const name = k.slice('param/'.length);
      expect(Array.from(b.arrays[k]!), k).toEqual(Array.from((a.arrays[`ema/${name}`] ?? a.arrays[k])!));
    }
  });
});
