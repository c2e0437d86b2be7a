// The weights export-run puts in init/ must load where the authors' scripts load them: pretrain.py
// and train_arc_tiny_corrupt.py compile the model and THEN load_state_dict strictly, so the keys are
// those of a compiled model (`_orig_mod.model.inner.`), as their own saved step files are. The lab's
// importer reads such a file back to the very weights it came from.
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { latestCheckpoint, readCheckpoint } from '../../../../src-main/engine/checkpoint-io';
import { importCheckpoint } from '../../../../src-main/pipeline/import-checkpoint';
import { openStateDict } from '../../../../src-main/pipeline/torch/state-dict';
import { COMPILED_PREFIX, writeTorchStep } from '../../../../src-main/pipeline/torch/export-checkpoint';
import { useWasm } from '../../engine/helpers';
import { arcConfig, runJob, tempRunDir } from '../../engine/trainer-fixtures';

beforeAll(async () => {
  await useWasm();
});

describe('writeTorchStep', () => {
  it('writes an HRM run as step_N keyed like a compiled model of the authors, which imports back to the same weights', async () => {
    const runDir = await tempRunDir();
    const config = arcConfig('hrm', 2, { hidden: 32, heads: 2, puzzleEmbDim: 32, puzzleEmbLen: 1, layers: 1, hLayers: 1 });
    await runJob(config, runDir);
    const latest = await latestCheckpoint(runDir);
    expect(latest?.step).toBe(2);

    const { file, step } = await writeTorchStep(latest!.path, runDir);
    expect([path.basename(file), step]).toEqual(['step_2', 2]);
    const sd = await openStateDict(file);
    const keys = [...sd.entries.keys()];
    await sd.close();
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.filter((k) => !k.startsWith(COMPILED_PREFIX))).toEqual([]);
    expect(keys).toContain(`${COMPILED_PREFIX}H_level.layers.0.self_attn.qkv_proj.weight`);
    expect(keys).toContain(`${COMPILED_PREFIX}L_level.layers.0.mlp.down_proj.weight`);

    const back = await importCheckpoint({
      file,
      runDir: path.join(runDir, 'back'),
      dataSource: config.data.source,
      overrides: { heads: 2, T: config.model.T, n: config.model.n, Nsup: config.model.Nsup, canvas: 6 },
    });
    expect(back.config.method).toBe('hrm');
    const a = await readCheckpoint(latest!.path);
    const b = await readCheckpoint(back.checkpointDir);
    const params = Object.keys(b.arrays).filter((k) => k.startsWith('param/'));
    expect(params.sort()).toEqual(Object.keys(a.arrays).filter((k) => k.startsWith('param/')).sort());
    for (const k of params) expect(Array.from(b.arrays[k]!), k).toEqual(Array.from(a.arrays[k]!));
  });
});
