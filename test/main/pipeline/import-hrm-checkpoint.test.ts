// HRM checkpoints in the authors' names (sapientinc/HRM: `_orig_mod.model.inner.` + H_level/L_level,
// fused qkv_proj and gate_up_proj, nn.Linear's [out, in]) are built here from a lab network by a
// conversion written independently of the exporter; importing them must give back the same network
// (the same logits and Q values at every supervision step).
import * as tf from '@tensorflow/tfjs';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readCheckpoint } from '../../../src-main/engine/checkpoint-io';
import { rollout } from '../../../src-main/engine/methods/inference';
import { gatherRows } from '../../../src-main/engine/methods/executor';
import { netSpec, TrmNet } from '../../../src-main/engine/model/trm';
import { parseMeta, restoreModel } from '../../../src-main/engine/checkpoint-state';
import { importCheckpoint } from '../../../src-main/pipeline/import-checkpoint';
import { archYaml, exportLabCheckpoint } from '../../../src-main/pipeline/torch/export-checkpoint';
import { writeTorchStateDict, type TorchTensorEntry } from '../../../src-main/pipeline/torch/torch-writer';
import { defaultRunConfig, swigluWidth, type RunConfig } from '../../../src-shared/method/run-config';
import { Rng } from '../../../src-shared/prng';
import { getEncoding } from '../../../src-shared/puzzle/tokens';
import { useWasm } from '../engine/helpers';

beforeAll(useWasm);

const D = 16;
const ROWS = 5;
const enc = getEncoding('arc', 3);
const config: RunConfig = (() => {
  const c = defaultRunConfig('hrm', 'tiny');
  return { ...c, model: { ...c.model, preset: 'custom', hidden: D, heads: 2, expansion: 2, layers: 2, hLayers: 1, puzzleEmbLen: 1, puzzleEmbDim: D, T: 2, n: 2, Nsup: 3 } };
})();

/** [rows, cols] → [cols, rows]. */
function t(a: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(a.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = a[r * cols + c]!;
  return out;
}
const cat = (...xs: Float32Array[]): Float32Array => Float32Array.from(xs.flatMap((x) => Array.from(x)));

/** The authors' state_dict of a lab HRM network, keys as torch.compile + ACTLossHead save them. */
async function authorsEntries(net: TrmNet, table: Float32Array): Promise<TorchTensorEntry[]> {
  const I = swigluWidth(D, config.model.expansion);
  const V = enc.vocab;
  const w = async (name: string): Promise<Float32Array> => (await net.weights[name]!.data()) as Float32Array;
  const p = '_orig_mod.model.inner.';
  const entries: TorchTensorEntry[] = [
    { key: `${p}embed_tokens.embedding_weight`, shape: [V, D], data: await w('embed_tokens') },
    { key: `${p}lm_head.weight`, shape: [V, D], data: t(await w('lm_head'), D, V) },
    { key: `${p}q_head.weight`, shape: [2, D], data: t(await w('q_head.w'), D, 2) },
    { key: `${p}q_head.bias`, shape: [2], data: await w('q_head.b') },
    { key: `${p}puzzle_emb.weights`, shape: [ROWS, D], data: table },
    { key: `${p}H_init`, shape: [D], data: (await net.hInit.data()) as Float32Array },
    { key: `${p}L_init`, shape: [D], data: (await net.lInit.data()) as Float32Array },
  ];
  for (const [level, count] of [['L', 2], ['H', 1]] as const) {
    for (let l = 0; l < count; l++) {
      const lab = `${level}_level.layers.${l}.`;
      const k = `${p}${level}_level.layers.${l}.`;
      entries.push(
        { key: `${k}self_attn.qkv_proj.weight`, shape: [3 * D, D], data: cat(t(await w(lab + 'wq'), D, D), t(await w(lab + 'wk'), D, D), t(await w(lab + 'wv'), D, D)) },
        { key: `${k}self_attn.o_proj.weight`, shape: [D, D], data: t(await w(lab + 'wo'), D, D) },
        { key: `${k}mlp.gate_up_proj.weight`, shape: [2 * I, D], data: cat(t(await w(lab + 'w_gate'), D, I), t(await w(lab + 'w_up'), D, I)) },
        { key: `${k}mlp.down_proj.weight`, shape: [D, I], data: t(await w(lab + 'w_down'), I, D) },
      );
    }
  }
  return entries;
}

/** Logits and (q_halt, q_continue) of every supervision step, for a fixed batch. */
async function steps(net: TrmNet, table: Pick<import('../../../src-main/engine/model/puzzle-table').PuzzleTable, 'gather' | 'dim'> | null, cfg: RunConfig): Promise<number[][]> {
  const tokens = tf.tensor2d(Int32Array.from({ length: 2 * enc.seqLen }, (_, i) => 2 + (i % 5)), [2, enc.seqLen], 'int32');
  const rows = gatherRows(table, [1, 3]);
  const out: number[][] = [];
  await rollout(net, cfg, tokens, rows, {
    withLu: false,
    onStep: async (s) => {
      out.push([...(await s.logits.data()), ...(await s.qHalt.data()), ...(await s.qContinue.data())]);
    },
  });
  tf.dispose([tokens, ...(rows ? [rows] : [])]);
  return out;
}

function maxDiff(a: number[][], b: number[][]): number {
  expect(a.length).toBe(b.length);
  let d = 0;
  a.forEach((x, i) => x.forEach((v, j) => (d = Math.max(d, Math.abs(v - b[i]![j]!)))));
  return d;
}

describe('importing the authors’ HRM checkpoints', () => {
  it('maps H_level/L_level, the one-position puzzle prefix and the heads onto the lab’s HRM, which then computes what the original computes', async () => {
    const net = TrmNet.init(netSpec(config.model, enc.vocab, enc.seqLen, 'hrm'), new Rng(11));
    // Non-zero Q weights and puzzle rows, so that every tensor shows in the outputs.
    (net.weights['q_head.w'] as tf.Variable).assign(tf.randomNormal([D, 2], 0, 0.3, 'float32', 3));
    const rng = new Rng(5);
    const table = Float32Array.from({ length: ROWS * D }, () => rng.float() - 0.5);
    const root = await mkdtemp(path.join(tmpdir(), 'puzzle-lab-hrm-import-'));
    const file = path.join(root, 'step_9');
    await writeTorchStateDict(file, await authorsEntries(net, table));
    // No all_config.yaml: HRM is told by its H_level keys; heads, cycles and N_sup are confirmed.
    const r = await importCheckpoint({ file, runDir: path.join(root, 'run'), dataSource: { kind: 'library', taskIds: ['t1'] }, overrides: { heads: 2, T: 2, n: 2, Nsup: 3, canvas: 3 } });
    expect(r.config.method).toBe('hrm');
    expect(r.architecture).toMatchObject({ method: 'hrm', layers: 2, hLayers: 1, puzzleEmbLen: 1, puzzleEmbDim: D, puzzleRows: ROWS });
    expect(r.architecture.sources).toMatchObject({ method: 'shapes', puzzleEmbLen: 'shapes' });
    expect(r.config.model).toMatchObject({ layers: 2, hLayers: 1, T: 2, n: 2, Nsup: 3, puzzleEmbLen: 1 });
    expect(r.config.halting.enabled).toBe(true);

    const payload = await readCheckpoint(r.checkpointDir);
    const meta = parseMeta(payload.meta, r.checkpointDir);
    const imported = restoreModel(payload, meta, 'ema', r.checkpointDir);
    const original = { gather: (ids: ArrayLike<number>) => Float32Array.from(Array.from(ids).flatMap((id) => Array.from(table.subarray(id * D, (id + 1) * D)))), dim: D };
    const want = await steps(net, original, config);
    const got = await steps(imported.net, imported.table, meta.config);
    expect(want).toHaveLength(3);
    expect(maxDiff(got, want)).toBeLessThan(1e-5);

    // The export writes the same names back, with HRM's arch section, and imports to identical weights.
    await mkdir(path.join(root, 'exported'));
    const out = path.join(root, 'exported', 'step_9');
    const { keys } = await exportLabCheckpoint(r.checkpointDir, out);
    expect(keys).toContain('model.inner.H_level.layers.0.self_attn.qkv_proj.weight');
    expect(keys).toContain('model.inner.L_level.layers.1.mlp.down_proj.weight');
    await writeFile(path.join(root, 'exported', 'all_config.yaml'), archYaml(meta));
    const again = await importCheckpoint({ file: out, runDir: path.join(root, 'run2'), dataSource: { kind: 'library', taskIds: ['t1'] }, overrides: { canvas: 3 } });
    expect(again.architecture.sources).toMatchObject({ method: 'all_config.yaml', heads: 'all_config.yaml', T: 'all_config.yaml' });
    expect(again.architecture.archName).toBe('hrm.hrm_act_v1@HierarchicalReasoningModel_ACTV1');
    const b = await readCheckpoint(again.checkpointDir);
    for (const k of Object.keys(payload.arrays)) expect(Array.from(b.arrays[k]!)).toEqual(Array.from(payload.arrays[k]!));
    net.dispose();
    imported.net.dispose();
  });

  it('refuses HRM keys under a TRM method and an HRM all_config.yaml whose H_layers the blocks contradict, naming the key or file', async () => {
    const net = TrmNet.init(netSpec(config.model, enc.vocab, enc.seqLen, 'hrm'), new Rng(2));
    const root = await mkdtemp(path.join(tmpdir(), 'puzzle-lab-hrm-refuse-'));
    const file = path.join(root, 'step_1');
    await writeTorchStateDict(file, await authorsEntries(net, new Float32Array(ROWS * D)));
    const asTrm = await importCheckpoint({ file, runDir: path.join(root, 'a'), dataSource: { kind: 'library', taskIds: ['t1'] }, overrides: { method: 'trm', heads: 2, T: 2, n: 2, Nsup: 3, canvas: 3 } }).catch((e: unknown) => e as Error);
    expect(String(asTrm)).toContain('H_level.layers.0.self_attn.qkv_proj.weight');
    expect(String(asTrm)).toContain('HRM');
    await writeFile(path.join(root, 'all_config.yaml'), 'arch:\n  name: hrm.hrm_act_v1@HierarchicalReasoningModel_ACTV1\n  H_layers: 3\n  L_layers: 2\n  H_cycles: 2\n  L_cycles: 2\n  halt_max_steps: 3\n  num_heads: 2\n');
    const wrong = await importCheckpoint({ file, runDir: path.join(root, 'b'), dataSource: { kind: 'library', taskIds: ['t1'] }, overrides: { canvas: 3 } }).catch((e: unknown) => e as Error);
    expect(String(wrong)).toContain('H_layers 3');
    expect(String(wrong)).toContain('1 H_level block');
    net.dispose();
  });
});
