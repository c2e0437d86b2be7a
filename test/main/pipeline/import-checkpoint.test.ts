// Importing the authors' PyTorch checkpoints: the fixtures in test/fixtures/torch/ were written by
// scripts/fixtures/make-torch-fixtures.py with torch.save (fp32 and bf16, with and without
// `_orig_mod.`), together with the logits of an independent PyTorch forward on a fixed batch.
import * as tf from '@tensorflow/tfjs';
import { existsSync } from 'node:fs';
import { copyFile, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readCheckpoint } from '../../../src-main/engine/checkpoint-io';
import { rollout } from '../../../src-main/engine/methods/inference';
import { gatherRows } from '../../../src-main/engine/methods/executor';
import { parseMeta, restoreModel } from '../../../src-main/engine/checkpoint-state';
import { importCheckpoint, inspectCheckpoint, NeedsConfirmationError, type ImportCheckpointOptions } from '../../../src-main/pipeline/import-checkpoint';
import type { ImportOverrides } from '../../../src-main/pipeline/torch/architecture';
import { exportLabCheckpoint } from '../../../src-main/pipeline/torch/export-checkpoint';
import { openStateDict } from '../../../src-main/pipeline/torch/state-dict';
import { writeTorchStateDict, zipStored } from '../../../src-main/pipeline/torch/torch-writer';
import type { DataSource } from '../../../src-shared/method/run-config';
import { useWasm } from '../engine/helpers';

const FIX = path.resolve('test/fixtures/torch');
const SOURCE: DataSource = { kind: 'library', taskIds: ['t1'] };

interface Reference {
  arch: { canvas: number; T: number; n: number; Nsup: number; heads: number; puzzle_len: number; method: 'trm' | 'dis' };
  inputs: number[][];
  puzzleIds: number[];
  steps: Array<{ logits: number[]; qHalt: number[] }>;
}

async function reference(name: string): Promise<Reference> {
  return JSON.parse(await readFile(path.join(FIX, name, 'reference.json'), 'utf8')) as Reference;
}

async function tempDir(): Promise<string> {
  return mkdtemp(path.join(tmpdir(), 'puzzle-lab-import-'));
}

async function runImport(file: string, o: Partial<ImportCheckpointOptions> = {}) {
  const root = await tempDir();
  const runDir = path.join(root, 'run');
  const r = await importCheckpoint({ file, runDir, dataSource: SOURCE, ...o });
  return { ...r, root };
}

/** The lab's rollout on the imported checkpoint, for the reference batch. */
async function labSteps(checkpointDir: string, ref: Reference): Promise<Array<{ logits: Float32Array; qHalt: Float32Array }>> {
  const payload = await readCheckpoint(checkpointDir);
  const meta = parseMeta(payload.meta, checkpointDir);
  const { net, table } = restoreModel(payload, meta, 'ema', checkpointDir);
  const S = ref.inputs[0]!.length;
  const tokens = tf.tensor2d(Int32Array.from(ref.inputs.flat()), [ref.inputs.length, S], 'int32');
  const rows = gatherRows(table, Int32Array.from(ref.puzzleIds));
  const out: Array<{ logits: Float32Array; qHalt: Float32Array }> = [];
  try {
    await rollout(net, meta.config, tokens, rows, {
      withLu: false,
      onStep: async (s) => {
        out.push({ logits: (await s.logits.data()) as Float32Array, qHalt: (await s.qHalt.data()) as Float32Array });
      },
    });
  } finally {
    tokens.dispose();
    rows?.dispose();
    net.dispose();
  }
  return out;
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let d = 0;
  for (let i = 0; i < b.length; i++) d = Math.max(d, Math.abs((a[i] as number) - (b[i] as number)));
  return d;
}

async function expectMatchesPyTorch(checkpointDir: string, ref: Reference): Promise<void> {
  const steps = await labSteps(checkpointDir, ref);
  expect(steps).toHaveLength(ref.steps.length);
  steps.forEach((s, i) => {
    expect(maxAbsDiff(s.logits, ref.steps[i]!.logits)).toBeLessThan(1e-4);
    expect(maxAbsDiff(s.qHalt, ref.steps[i]!.qHalt)).toBeLessThan(1e-4);
  });
}

const overridesOf = (ref: Reference): ImportOverrides => ({ T: ref.arch.T, n: ref.arch.n, Nsup: ref.arch.Nsup, heads: ref.arch.heads, puzzleEmbLen: ref.arch.puzzle_len, canvas: ref.arch.canvas });

beforeAll(async () => {
  await useWasm();
});

describe('importing the authors’ checkpoints', () => {
  it('imports a compiled fp32 TRM step_N with its all_config.yaml and reproduces the PyTorch logits of every step', async () => {
    const ref = await reference('trm');
    const r = await runImport(path.join(FIX, 'trm', 'step_7'), { overrides: { canvas: ref.arch.canvas } });
    expect(r.step).toBe(7);
    expect(r.config.method).toBe('trm');
    expect(r.config.model).toMatchObject({ hidden: 32, layers: 2, heads: 4, expansion: 4, T: 2, n: 2, Nsup: 3, puzzleEmbLen: 2, puzzleEmbDim: 32 });
    expect(r.architecture.sources).toMatchObject({ heads: 'all_config.yaml', T: 'all_config.yaml', hidden: 'shapes' });
    expect(r.config.provenance).toMatchObject({ kind: 'pytorch-checkpoint', step: 7, format: 'torch-zip', archName: 'recursive_reasoning.trm@TinyRecursiveReasoningModel_ACTV1' });
    expect(r.config.provenance?.sha256).toMatch(/^[0-9a-f]{64}$/);
    // The puzzle table lives beside the checkpoint, not in it.
    const payload = await readCheckpoint(r.checkpointDir);
    expect(payload.arrays['puzzle_table']).toBeUndefined();
    expect(existsSync(path.join(r.runDir, 'puzzle-table.f32'))).toBe(true);
    await expectMatchesPyTorch(r.checkpointDir, ref);
  });

  it('imports a bf16 TRM without all_config.yaml only once T, n, N_sup and heads are confirmed, and leaves nothing behind when they are not', async () => {
    const ref = await reference('trm-bf16');
    const file = path.join(FIX, 'trm-bf16', 'step_7');
    const insp = await inspectCheckpoint({ file });
    expect(insp.architecture.unresolved).toEqual(['heads', 'T', 'n', 'Nsup']);
    const root = await tempDir();
    const err = await importCheckpoint({ file, runDir: path.join(root, 'run'), dataSource: SOURCE }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NeedsConfirmationError);
    expect(String(err)).toContain(file);
    expect(String(err)).toContain('--heads');
    expect(await readdir(root)).toEqual([]);
    const r = await runImport(file, { overrides: overridesOf(ref) });
    expect(r.architecture.sources).toMatchObject({ heads: 'user', T: 'user' });
    await expectMatchesPyTorch(r.checkpointDir, ref);
  });

  it('imports fp32 and compiled bf16 DIS (ACTV5) checkpoints with their step table and matches PyTorch with argmax re-feeding', async () => {
    for (const name of ['dis', 'dis-bf16']) {
      const ref = await reference(name);
      const r = await runImport(path.join(FIX, name, 'step_5'), { overrides: { canvas: ref.arch.canvas } });
      expect(r.config.method).toBe('dis');
      expect(r.config.model.Nsup).toBe(3);
      await expectMatchesPyTorch(r.checkpointDir, ref);
    }
  });

  it('imports a .safetensors state_dict to the same network', async () => {
    const ref = await reference('trm');
    const r = await runImport(path.join(FIX, 'safetensors', 'model.safetensors'), { overrides: overridesOf(ref) });
    expect(r.config.provenance?.format).toBe('safetensors');
    await expectMatchesPyTorch(r.checkpointDir, ref);
  });

  it('imports TRM’s MLP-mixer (mlp_t) with its all_config.yaml, reads the sequence length from its shapes, and matches PyTorch at every step', async () => {
    const ref = await reference('trm-mlp-t');
    const r = await runImport(path.join(FIX, 'trm-mlp-t', 'step_9'));
    expect(r.config.model).toMatchObject({ mixer: 'mlp_t', posEncodings: 'none', hidden: 32, layers: 1, T: 2, n: 2, Nsup: 3, puzzleEmbLen: 2 });
    expect(r.architecture).toMatchObject({ mixer: 'mlp_t', posEncodings: 'none', encoding: { kind: 'arc', side: 6, seqLen: 36 } });
    expect(r.architecture.sources).toMatchObject({ mixer: 'shapes', posEncodings: 'all_config.yaml', seqLen: 'shapes' });
    await expectMatchesPyTorch(r.checkpointDir, ref);
  });

  it('tells the MLP-mixer from its keys alone and needs no heads for it, only the prefix or the grid to split its length', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'step_9');
    await copyFile(path.join(FIX, 'trm-mlp-t', 'step_9'), file); // no all_config.yaml beside it
    // 38 positions minus the default prefix of 16 is no grid
    await expect(inspectCheckpoint({ file })).rejects.toThrow(/mlp_t\.gate_up_proj\.weight spans 38 positions.*--puzzle-emb-len/);
    const insp = await inspectCheckpoint({ file, overrides: { canvas: 6 } });
    expect(insp.architecture).toMatchObject({ mixer: 'mlp_t', puzzleEmbLen: 2, posEncodings: 'rope' });
    expect(insp.architecture.sources).toMatchObject({ mixer: 'shapes', puzzleEmbLen: 'shapes', heads: 'default' });
    expect(insp.architecture.unresolved).toEqual(['T', 'n', 'Nsup']);
  });

  it('imports learned positions (embed_pos) from the keys, with the grid from the table’s length, and matches PyTorch at every step', async () => {
    const ref = await reference('trm-learned');
    const file = path.join(FIX, 'trm-learned', 'step_4');
    const { canvas: _canvas, ...noCanvas } = overridesOf(ref);
    const r = await runImport(file, { overrides: noCanvas });
    expect(r.config.model).toMatchObject({ mixer: 'attention', posEncodings: 'learned', heads: 4 });
    expect(r.architecture.encoding).toEqual({ kind: 'arc', side: 6, seqLen: 36 });
    expect(r.architecture.sources).toMatchObject({ mixer: 'shapes', posEncodings: 'shapes', seqLen: 'shapes' });
    await expectMatchesPyTorch(r.checkpointDir, ref);
  });

  it('reads pos_encodings none from the user when neither keys nor all_config.yaml tell', async () => {
    const ref = await reference('trm-bf16');
    const insp = await inspectCheckpoint({ file: path.join(FIX, 'trm-bf16', 'step_7'), overrides: overridesOf(ref) });
    expect(insp.architecture).toMatchObject({ posEncodings: 'rope' });
    expect(insp.architecture.sources['posEncodings']).toBe('default');
    const none = await inspectCheckpoint({ file: path.join(FIX, 'trm-bf16', 'step_7'), overrides: { ...overridesOf(ref), posEncodings: 'none' } });
    expect(none.architecture).toMatchObject({ posEncodings: 'none' });
    expect(none.architecture.sources['posEncodings']).toBe('user');
  });

  it('exports a lab checkpoint as a torch.save step_N that imports back to identical weights', async () => {
    const first = await runImport(path.join(FIX, 'dis', 'step_5'), { overrides: { canvas: 6 } });
    const out = path.join(first.root, 'step_5');
    const { keys } = await exportLabCheckpoint(first.checkpointDir, out);
    expect(keys).toContain('model.inner.timestep_embed.embedding_weight');
    await copyFile(path.join(FIX, 'dis', 'all_config.yaml'), path.join(first.root, 'all_config.yaml'));
    const root2 = await tempDir();
    const second = await importCheckpoint({ file: out, runDir: path.join(root2, 'run'), dataSource: SOURCE, overrides: { canvas: 6 } });
    const a = await readCheckpoint(first.checkpointDir);
    const b = await readCheckpoint(second.checkpointDir);
    expect(Object.keys(b.arrays).sort()).toEqual(Object.keys(a.arrays).sort());
    for (const k of Object.keys(a.arrays)) expect(Array.from(b.arrays[k]!)).toEqual(Array.from(a.arrays[k]!));
    expect(await readFile(path.join(second.runDir, 'puzzle-table.f32'))).toEqual(await readFile(path.join(first.runDir, 'puzzle-table.f32')));
    // Same tensors through the raw reader, bf16 too (rounded to bf16, then widened exactly).
    const bf = path.join(first.root, 'step_5_bf16');
    await exportLabCheckpoint(first.checkpointDir, bf, { dtype: 'bfloat16' });
    const sd = await openStateDict(bf);
    try {
      const h = await sd.entries.get('model.inner.H_init')!.read();
      const orig = a.arrays['buffer/H_init']!;
      for (let i = 0; i < h.length; i++) expect(Math.abs(h[i]! - orig[i]!)).toBeLessThanOrEqual(Math.abs(orig[i]!) / 128);
    } finally {
      await sd.close();
    }
  });
});

describe('refusing bad checkpoints with the file and key named, and nothing half-imported', () => {
  async function expectRefused(file: string, ...parts: string[]): Promise<void> {
    const root = await tempDir();
    const err = await importCheckpoint({ file, runDir: path.join(root, 'run'), dataSource: SOURCE, overrides: { T: 1, n: 1, Nsup: 3, heads: 4, canvas: 6 } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    for (const p of parts) expect((err as Error).message).toContain(p);
    expect(await readdir(root)).toEqual([]);
  }

  it('refuses a truncated zip', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'step_7');
    const bytes = await readFile(path.join(FIX, 'trm', 'step_7'));
    await writeFile(file, bytes.subarray(0, Math.floor(bytes.length / 2)));
    await expectRefused(file, file, 'truncated');
  });

  it('refuses a file with the wrong magic', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'step_3');
    await writeFile(file, 'this is not a checkpoint at all, just text');
    await expectRefused(file, file, 'wrong magic');
  });

  it('refuses a malicious pickle (os.system through GLOBAL/REDUCE) without running it', async () => {
    const marker = '/tmp/puzzle-lab-pwned';
    const file = path.join(FIX, 'malicious', 'step_1');
    await expectRefused(file, file, 'data.pkl', 'refused', 'posix.system', 'was not run');
    expect(existsSync(marker)).toBe(false);
  });

  it('refuses a pickle with an opcode a state_dict never uses', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'step_2');
    // PROTO 2, EMPTY_TUPLE, NEWOBJ
    const pkl = Uint8Array.from([0x80, 2, 0x29, 0x29, 0x81, 0x2e]);
    const chunks = zipStored([{ name: 'step_2/data.pkl', data: pkl }]);
    await writeFile(file, Buffer.concat(chunks));
    await expectRefused(file, file, 'NEWOBJ', 'refused');
  });

  it('refuses a state_dict with a missing key', async () => {
    const sd = await openStateDict(path.join(FIX, 'trm', 'step_7'));
    const entries = [];
    for (const [key, e] of sd.entries) if (!key.endsWith('lm_head.weight')) entries.push({ key, shape: e.shape, data: await e.read() });
    await sd.close();
    const dir = await tempDir();
    const file = path.join(dir, 'step_7');
    await writeTorchStateDict(file, entries);
    await expectRefused(file, file, 'missing key lm_head.weight');
  });

  it('refuses shapes that fit no TRM/DIS network, naming the key', async () => {
    const sd = await openStateDict(path.join(FIX, 'trm', 'step_7'));
    const entries = [];
    for (const [key, e] of sd.entries) {
      const data = await e.read();
      if (key.endsWith('layers.1.self_attn.qkv_proj.weight')) entries.push({ key, shape: [2 * 32, 32], data: data.subarray(0, 64 * 32) });
      else entries.push({ key, shape: e.shape, data });
    }
    await sd.close();
    const dir = await tempDir();
    const file = path.join(dir, 'step_7');
    await writeTorchStateDict(file, entries);
    await expectRefused(file, file, 'L_level.layers.1.self_attn.qkv_proj.weight', '[64, 32]');
  });

  it('refuses learned positions that the keys contradict, and a chosen learned table the file lacks', async () => {
    const root = await tempDir();
    const noTable = await importCheckpoint({ file: path.join(FIX, 'trm', 'step_7'), runDir: path.join(root, 'run'), dataSource: SOURCE, overrides: { canvas: 6, posEncodings: 'learned' } }).catch((e: unknown) => e);
    expect(String(noTable)).toContain('missing key embed_pos.embedding_weight');
    const withTable = await importCheckpoint({
      file: path.join(FIX, 'trm-learned', 'step_4'),
      runDir: path.join(root, 'run'),
      dataSource: SOURCE,
      overrides: { T: 1, n: 1, Nsup: 3, heads: 4, puzzleEmbLen: 2, posEncodings: 'none' },
    }).catch((e: unknown) => e);
    expect(String(withTable)).toContain('embed_pos.embedding_weight');
    expect(String(withTable)).toContain('learned position table');
    expect(await readdir(root)).toEqual([]);
  });

  it('refuses a network whose blocks mix attention and the MLP-mixer, naming the key', async () => {
    const sd = await openStateDict(path.join(FIX, 'trm', 'step_7'));
    const entries = [];
    for (const [key, e] of sd.entries) entries.push({ key, shape: e.shape, data: await e.read() });
    await sd.close();
    entries.push({ key: 'model.inner.L_level.layers.1.mlp_t.gate_up_proj.weight', shape: [512, 38], data: new Float32Array(512 * 38) });
    const dir = await tempDir();
    const file = path.join(dir, 'step_7');
    await writeTorchStateDict(file, entries);
    await expectRefused(file, file, 'L_level.layers.1.mlp_t.gate_up_proj.weight', 'block 1');
  });

  it('refuses an identifiers list that does not match the puzzle table', async () => {
    const root = await tempDir();
    const err = await importCheckpoint({
      file: path.join(FIX, 'trm', 'step_7'),
      runDir: path.join(root, 'run'),
      dataSource: SOURCE,
      overrides: { canvas: 6 },
      dataset: { identifiersFile: '/data/arc/identifiers.json', versionNames: ['<blank>', 'a', 'b'], tasks: [] },
    }).catch((e: unknown) => e);
    expect(String(err)).toContain('/data/arc/identifiers.json');
    expect(String(err)).toContain('puzzle_emb.weights');
    expect(await readdir(root)).toEqual([]);
  });
});
