// TRM's variants leave the lab in the authors' names and come back identical: a lab-trained run with
// the MLP-mixer (mlp_t) or learned positions → step_N + all_config.yaml (archYaml) → import, with
// nothing confirmed by hand (the keys and the config say everything).
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { latestCheckpoint, readCheckpoint } from '../../../../src-main/engine/checkpoint-io';
import { parseMeta } from '../../../../src-main/engine/checkpoint-state';
import { importCheckpoint } from '../../../../src-main/pipeline/import-checkpoint';
import { archYaml, exportLabCheckpoint } from '../../../../src-main/pipeline/torch/export-checkpoint';
import type { RunConfig } from '../../../../src-shared/method/run-config';
import { useWasm } from '../../engine/helpers';
import { arcConfig, runJob, tempRunDir } from '../../engine/trainer-fixtures';

beforeAll(async () => {
  await useWasm();
});

async function roundTrip(model: Partial<RunConfig['model']>): Promise<{ keys: string[]; yaml: string; config: RunConfig }> {
  const runDir = await tempRunDir();
  const config = arcConfig('trm', 2, { hidden: 32, heads: 2, puzzleEmbDim: 32, ...model });
  await runJob(config, runDir);
  const latest = await latestCheckpoint(runDir);
  expect(latest?.step).toBe(2);
  const out = path.join(runDir, 'torch', 'step_2');
  await mkdir(path.dirname(out), { recursive: true });
  const { keys, meta } = await exportLabCheckpoint(latest!.path, out);
  const yaml = archYaml(meta);
  await writeFile(path.join(path.dirname(out), 'all_config.yaml'), yaml);
  const back = await importCheckpoint({ file: out, runDir: path.join(runDir, 'back'), dataSource: config.data.source });
  const a = await readCheckpoint(latest!.path);
  const b = await readCheckpoint(back.checkpointDir);
  expect(back.architecture.unresolved).toEqual([]);
  expect(back.architecture.encoding).toMatchObject({ kind: 'arc', side: 6 });
  const params = Object.keys(b.arrays).filter((k) => k.startsWith('param/'));
  // every lab parameter came back, EMA weights where the run kept them (what pretrain.py saves)
  const labParams = Object.keys(a.arrays).filter((k) => k.startsWith('param/'));
  expect(params.sort()).toEqual(labParams.sort());
  for (const k of params) {
    const name = k.slice('param/'.length);
    expect(Array.from(b.arrays[k]!), k).toEqual(Array.from((a.arrays[`ema/${name}`] ?? a.arrays[k])!));
  }
  for (const k of ['buffer/H_init', 'buffer/L_init']) expect(Array.from(b.arrays[k]!)).toEqual(Array.from(a.arrays[k]!));
  expect(await readFile(path.join(back.runDir, 'puzzle-table.f32'))).toBeDefined();
  return { keys, yaml, config: parseMeta(b.meta, back.checkpointDir).config };
}

describe('exporting TRM variants to the authors’ format and back', () => {
  it('carries the MLP-mixer as mlp_t.gate_up_proj / mlp_t.down_proj and arch.mlp_t: true, and imports back identically', async () => {
    const { keys, yaml, config } = await roundTrip({ mixer: 'mlp_t', posEncodings: 'none' });
    expect(keys).toContain('model.inner.L_level.layers.0.mlp_t.gate_up_proj.weight');
    expect(keys).toContain('model.inner.L_level.layers.0.mlp_t.down_proj.weight');
    expect(keys.some((k) => k.includes('self_attn'))).toBe(false);
    expect(yaml).toContain('  mlp_t: true');
    expect(yaml).toContain('  pos_encodings: none');
    expect(config.model).toMatchObject({ mixer: 'mlp_t', posEncodings: 'none' });
  });

  it('carries learned positions as embed_pos.embedding_weight and arch.pos_encodings: learned, and imports back identically', async () => {
    const { keys, yaml, config } = await roundTrip({ posEncodings: 'learned' });
    expect(keys).toContain('model.inner.embed_pos.embedding_weight');
    expect(keys).toContain('model.inner.L_level.layers.0.self_attn.qkv_proj.weight');
    expect(yaml).toContain('  mlp_t: false');
    expect(yaml).toContain('  pos_encodings: learned');
    expect(config.model).toMatchObject({ mixer: 'attention', posEncodings: 'learned' });
  });
});
