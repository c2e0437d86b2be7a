// Importing the authors' PyTorch checkpoints (issue 11, points 1, 2, 4): a `step_N` written by
// pretrain.py (`torch.save(model.state_dict(), …)`) or a .safetensors file becomes a lab run folder
// that every consumer of lab checkpoints (inference, evaluation, vote view, adaptation) accepts:
//
//   <runDir>/checkpoints/step-0000000N/   a lab checkpoint (engine/checkpoint-io.ts): the network in
//                                         the lab's layout, meta with the RunConfig, encoding, and
//                                         `imported` + `puzzleTableFile` (engine/checkpoint-state.ts)
//   <runDir>/puzzle-table.f32             the puzzle-embedding table, raw fp32 rows, read row by row
//                                         on demand (engine/model/disk-puzzle-table.ts): never loaded
//                                         whole, however large
//   <runDir>/import.json                  what was read, inferred, assumed, and from where
//
// Everything is written into a temporary sibling folder that is renamed into place at the end, so an
// error (or a crash) leaves nothing half-imported. The weights are converted exactly (fp32 copied,
// bf16 widened, [out, in] linears transposed, fused qkv / gate_up split); the lab's forward then
// matches PyTorch's (test/main/pipeline/import-checkpoint.test.ts).
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ImportedArchitecture } from '../../src-shared/api/contract';
import { defaultRunConfig, parseRunConfig, PRESET_SIZES, PRESETS, type DataSource, type RunConfig } from '../../src-shared/method/run-config';
import type { Task } from '../../src-shared/puzzle/types';
import { writeCheckpoint } from '../engine/checkpoint-io';
import { countParameters, netSpec, parameterShapes } from '../engine/model/trm';
import { gridFingerprint, STATE_FORMAT, taskFingerprint, type CheckpointMeta } from '../engine/checkpoint-state';
import { authorsConfigFrom, parseYamlSubset, readAuthorsConfigBeside, type AuthorsConfig } from './torch/all-config';
import { inferArchitecture, type Architecture, type ImportOverrides } from './torch/architecture';
import { rowsTransposed, transpose } from './torch/names';
import { openStateDict, type StateDictFile } from './torch/state-dict';

export const PUZZLE_TABLE_FILE = 'puzzle-table.f32';
export const IMPORT_REPORT_FILE = 'import.json';

/**
 * The authors' dataset a checkpoint was trained on, as the dataset importer reads it (their
 * `identifiers.json` and `train/`, `test/` folders; src-main/pipeline/authors-dataset/, another
 * branch). With it, puzzle id i is the version `versionNames[i]`, and the tasks' demonstrations are
 * fingerprinted so inference finds their trained rows. Without it every task is "unseen" (a zero
 * puzzle vector, or rows adapted in the lab).
 */
export interface PairedDataset {
  /** the identifiers file, named in errors */
  identifiersFile: string;
  /** version name of each puzzle id (index = id) in the lab's naming `task|||t<d>|||<colours>`; id 0 the blank */
  versionNames: string[];
  /** the tasks (originals) the versions belong to */
  tasks: Task[];
}

export interface ImportCheckpointOptions {
  /** the step_N file or .safetensors */
  file: string;
  /** the run folder to create (must not exist) */
  runDir: string;
  /** what the user confirmed or chose (T, n, N_sup, heads, method, canvas, …) */
  overrides?: ImportOverrides;
  /** all_config.yaml text to use instead of the file beside the checkpoint (an upload has no "beside") */
  allConfigText?: string;
  /** run name; default "<method> <file name>" */
  name?: string;
  /** the step; default from the file name step_N, else 0 */
  step?: number;
  /** the lab tasks the run is shown with (run view, vote view); the service picks or creates them */
  dataSource: DataSource;
  /** the authors' dataset (seam for the dataset importer, point 3) */
  dataset?: PairedDataset | null;
  /** shown to the user where the file came from (an upload's original name); default the path */
  displayName?: string;
  onProgress?: (done: number, total: number) => void;
}

export interface ImportedRun {
  runDir: string;
  checkpointDir: string;
  step: number;
  config: RunConfig;
  architecture: ImportedArchitecture;
  trainableParams: number;
  /** sha256 of the imported file */
  sha256: string;
}

export interface CheckpointInspection {
  file: string;
  format: StateDictFile['format'];
  step: number;
  /** all_config.yaml that was read, or null */
  allConfig: string | null;
  architecture: ImportedArchitecture;
  /** trainable parameters in the lab's layout (no puzzle table), 0 while heads are unknown */
  trainableParams: number;
  keys: number;
}

export class NeedsConfirmationError extends Error {
  constructor(
    readonly file: string,
    readonly unresolved: string[],
  ) {
    const flags: Record<string, string> = { heads: '--heads', T: '--T', n: '--n', Nsup: '--nsup' };
    super(
      `${file}: ${unresolved.join(', ')} cannot be read from the weights and there is no all_config.yaml beside the checkpoint; ` +
        `confirm ${unresolved.length === 1 ? 'it' : 'them'} (${unresolved.map((u) => flags[u] ?? u).join(' ')}; the authors' ARC settings are TRM heads 8, T 3, n 4, N_sup 16 and DIS heads 8, T 1, n 2, N_sup 6)`,
    );
    this.name = 'NeedsConfirmationError';
  }
}

function stepFromName(file: string): number | null {
  const m = /step_(\d+)/.exec(path.basename(file));
  return m ? Number(m[1]) : null;
}

async function sha256File(file: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(file)) h.update(chunk as Buffer);
  return h.digest('hex');
}

async function authorsConfig(o: { file: string; allConfigText?: string | undefined }): Promise<AuthorsConfig | null> {
  if (o.allConfigText !== undefined) return authorsConfigFrom(parseYamlSubset(o.allConfigText, 'all_config.yaml'), 'all_config.yaml');
  return readAuthorsConfigBeside(o.file);
}

/** What the API and import.json show: the contract's fields, without the file keys and internal widths. */
function publicArchitecture(a: Architecture): ImportedArchitecture {
  const { keys: _keys, innerT: _innerT, totalLen: _totalLen, ...rest } = a;
  return rest;
}

/** Reads and checks a checkpoint and says what it is, without writing anything. */
export async function inspectCheckpoint(o: { file: string; overrides?: ImportOverrides; allConfigText?: string; displayName?: string }): Promise<CheckpointInspection> {
  const sd = await openStateDict(o.file);
  try {
    const cfg = await authorsConfig(o);
    const arch = inferArchitecture(sd, cfg, o.overrides ?? {});
    const trainableParams = arch.unresolved.length === 0 ? countParameters(netSpec(modelOf(arch), arch.vocab, arch.encoding.seqLen, arch.method)) : 0;
    return {
      file: o.displayName ?? o.file,
      format: sd.format,
      step: stepFromName(o.displayName ?? o.file) ?? 0,
      allConfig: cfg?.file ?? null,
      architecture: publicArchitecture(arch),
      trainableParams,
      keys: sd.entries.size,
    };
  } finally {
    await sd.close();
  }
}

function modelOf(a: Architecture): RunConfig['model'] {
  const preset =
    PRESETS.find((p) => {
      const s = PRESET_SIZES[p];
      return s.hidden === a.hidden && s.layers === a.layers && s.heads === a.heads && s.expansion === a.expansion && s.puzzleEmbDim === a.puzzleEmbDim;
    }) ?? 'custom';
  return {
    preset,
    hidden: a.hidden,
    layers: a.layers,
    heads: a.heads,
    expansion: a.expansion,
    puzzleEmbLen: a.puzzleEmbLen,
    puzzleEmbDim: a.puzzleEmbDim,
    ropeTheta: a.ropeTheta,
    mixer: a.mixer,
    posEncodings: a.posEncodings,
    T: a.T,
    n: a.n,
    Nsup: a.Nsup,
  };
}

/** The lab's parameters (engine/model/trm.ts names and layout) from the authors' tensors. */
async function labParameters(sd: StateDictFile, a: Architecture): Promise<{ params: Record<string, Float32Array>; buffers: Record<string, Float32Array> }> {
  const read = async (key: string): Promise<Float32Array> => {
    const e = sd.entries.get(key);
    if (!e) throw new Error(`${sd.file}: missing key ${key}`);
    const values = await e.read();
    for (let i = 0; i < values.length; i++) {
      if (!Number.isFinite(values[i] as number)) throw new Error(`${sd.file}: key ${key} holds a non-finite value at index ${i}`);
    }
    return values;
  };
  const D = a.hidden;
  const I = a.inner;
  const V = a.vocab;
  const params: Record<string, Float32Array> = {};
  params['embed_tokens'] = await read(a.keys.embed);
  if (a.method === 'dis') {
    if (a.keys.step === null) throw new Error(`${sd.file}: missing key timestep_embed.embedding_weight`);
    params['step_embed'] = await read(a.keys.step);
  }
  if (a.keys.pos !== null) params['embed_pos'] = await read(a.keys.pos); // [L, D], an embedding table as is
  const L = a.totalLen;
  const It = a.innerT;
  for (const [l, k] of a.keys.layers.entries()) {
    if (k.tGateUp !== null && k.tDown !== null) {
      const tgu = await read(k.tGateUp); // [2·I_t, L]: rows gate | up
      params[`layers.${l}.t_gate`] = rowsTransposed(tgu, L, 0, It);
      params[`layers.${l}.t_up`] = rowsTransposed(tgu, L, It, It);
      params[`layers.${l}.t_down`] = transpose(await read(k.tDown), L, It);
    } else if (k.qkv !== null && k.o !== null) {
      const qkv = await read(k.qkv); // [3D, D]: rows q | k | v
      params[`layers.${l}.wq`] = rowsTransposed(qkv, D, 0, D);
      params[`layers.${l}.wk`] = rowsTransposed(qkv, D, D, D);
      params[`layers.${l}.wv`] = rowsTransposed(qkv, D, 2 * D, D);
      params[`layers.${l}.wo`] = transpose(await read(k.o), D, D);
    } else {
      throw new Error(`${sd.file}: internal: block ${l} has neither attention nor MLP-mixer keys`);
    }
    const gu = await read(k.gateUp); // [2I, D]: rows gate | up
    params[`layers.${l}.w_gate`] = rowsTransposed(gu, D, 0, I);
    params[`layers.${l}.w_up`] = rowsTransposed(gu, D, I, I);
    params[`layers.${l}.w_down`] = transpose(await read(k.down), D, I);
  }
  params['lm_head'] = transpose(await read(a.keys.lmHead), V, D);
  params['q_head.w'] = transpose(await read(a.keys.qW), 2, D);
  params['q_head.b'] = await read(a.keys.qB);
  return { params, buffers: { H_init: await read(a.keys.hInit), L_init: await read(a.keys.lInit) } };
}

/** Copies the puzzle table to `out` in slices of rows (fp32, little-endian); returns its sha256. */
async function copyPuzzleTable(sd: StateDictFile, key: string, rows: number, dim: number, out: string, progress?: (done: number, total: number) => void): Promise<string> {
  const e = sd.entries.get(key);
  if (!e) throw new Error(`${sd.file}: missing key ${key}`);
  const fh = await open(out, 'w');
  const h = createHash('sha256');
  try {
    const slice = Math.max(1, Math.floor((16 * 1024 * 1024) / (dim * 4)));
    for (let start = 0; start < rows; start += slice) {
      const count = Math.min(slice, rows - start);
      const values = await e.readRows(start, count);
      for (let i = 0; i < values.length; i++) {
        if (!Number.isFinite(values[i] as number)) throw new Error(`${sd.file}: key ${key} holds a non-finite value in row ${start + Math.floor(i / dim)}`);
      }
      const bytes = new Uint8Array(values.length * 4);
      const view = new DataView(bytes.buffer);
      for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i] as number, true);
      h.update(bytes);
      await fh.write(bytes);
      progress?.(start + count, rows);
    }
    await fh.sync();
  } finally {
    await fh.close();
  }
  return h.digest('hex');
}

/** Imports a checkpoint into a new run folder. Throws NeedsConfirmationError when T/n/N_sup/heads are unknown. */
export async function importCheckpoint(o: ImportCheckpointOptions): Promise<ImportedRun> {
  const file = path.resolve(o.file);
  const shown = o.displayName ?? file;
  const runDir = path.resolve(o.runDir);
  if (await stat(runDir).then(() => true, () => false)) throw new Error(`import: the run folder ${runDir} already exists`);
  const sd = await openStateDict(file);
  const tmp = path.join(path.dirname(runDir), `.tmp-import-${path.basename(runDir)}-${randomBytes(6).toString('hex')}`);
  try {
    const cfg = await authorsConfig({ file, allConfigText: o.allConfigText });
    const arch = inferArchitecture(sd, cfg, o.overrides ?? {});
    if (arch.unresolved.length > 0) throw new NeedsConfirmationError(shown, arch.unresolved);
    const step = o.step ?? stepFromName(shown) ?? 0;
    const base = defaultRunConfig(arch.method, 'compact');
    const sha256 = await sha256File(file);
    const notes = [...arch.notes];
    // Before the config: its provenance keeps these notes.
    let versionNames: string[] = [];
    const fingerprints: Record<string, string> = {};
    const testInputs: Record<string, string[]> = {};
    if (o.dataset) {
      const ds = o.dataset;
      if (arch.puzzleRows > 0 && ds.versionNames.length !== arch.puzzleRows) {
        throw new Error(`${ds.identifiersFile}: lists ${ds.versionNames.length} puzzle identifiers, but key ${arch.keys.puzzle} of ${shown} has ${arch.puzzleRows} rows: the dataset is not the one this checkpoint trained on`);
      }
      versionNames = ds.versionNames;
      if (arch.puzzleRows > 0) notes.push(`Every puzzle-embedding row is matched to its task version through ${ds.identifiersFile}.`);
      for (const t of ds.tasks) {
        fingerprints[t.id] = taskFingerprint(t);
        testInputs[t.id] = t.test.map((p) => gridFingerprint(p.input));
      }
    } else if (arch.puzzleRows > 0) {
      notes.push(
        `No dataset was given: the checkpoint's ${arch.puzzleRows} puzzle-embedding rows cannot be matched to tasks, so every task gets a blank (zero) puzzle vector unless you adapt rows to it in the lab.`,
      );
    }

    const candidate: RunConfig = {
      ...base,
      name: o.name ?? `${arch.method.toUpperCase()} ${path.basename(shown)} (PyTorch)`,
      mode: 'code',
      model: modelOf(arch),
      halting: { enabled: arch.method === 'trm', exploreProb: cfg?.halt_exploration_prob ?? base.halting.exploreProb },
      optimizer: {
        ...base.optimizer,
        ...(cfg?.lr !== undefined ? { lr: cfg.lr } : {}),
        ...(cfg?.puzzle_emb_lr !== undefined ? { puzzleEmbLr: cfg.puzzle_emb_lr } : {}),
        ...(cfg?.weight_decay !== undefined ? { weightDecay: cfg.weight_decay } : {}),
        ...(cfg?.ema !== undefined ? { ema: cfg.ema } : {}),
      },
      // augmentations: the versions the lab builds of a task when it adapts or votes on this run (the
      // lab's default); the authors' own versions are known only through their dataset.
      data: { ...base.data, source: o.dataSource, canvas: arch.encoding.kind === 'arc' ? arch.encoding.side : base.data.canvas },
      batchSize: Math.min(4096, cfg?.global_batch_size ?? base.batchSize),
      budget: { optimizerSteps: Math.max(1, step), trajectories: 0 },
      provenance: {
        kind: 'pytorch-checkpoint',
        file: shown,
        sha256,
        step,
        format: sd.format,
        archName: arch.archName,
        allConfig: cfg?.file ?? null,
        importedAt: new Date().toISOString(),
        notes,
      },
    };
    let config: RunConfig;
    try {
      config = parseRunConfig(candidate);
    } catch (e) {
      throw new Error(`${shown}: the network does not fit the lab's run config (${(e as Error).message})`);
    }
    const spec = netSpec(config.model, arch.vocab, arch.encoding.seqLen, arch.method);
    const { params, buffers } = await labParameters(sd, arch);
    for (const [name, shape] of parameterShapes(spec)) {
      const n = shape.reduce((x, y) => x * y, 1);
      if (params[name]?.length !== n) throw new Error(`${shown}: internal: parameter ${name} has ${params[name]?.length} values, the lab expects ${n}`);
    }

    await mkdir(tmp, { recursive: true });
    let puzzleTableFile: CheckpointMeta['puzzleTableFile'];
    if (arch.keys.puzzle !== null && arch.puzzleRows > 0) {
      const tableSha = await copyPuzzleTable(sd, arch.keys.puzzle, arch.puzzleRows, arch.puzzleEmbDim, path.join(tmp, PUZZLE_TABLE_FILE), o.onProgress);
      // Relative to the checkpoint folder (runDir/checkpoints/step-N), so the run folder can move.
      puzzleTableFile = { path: path.join('..', '..', PUZZLE_TABLE_FILE), rows: arch.puzzleRows, dim: arch.puzzleEmbDim, sha256: tableSha };
    }
    const meta: CheckpointMeta = {
      format: STATE_FORMAT,
      config,
      step,
      trajectories: 0,
      calls: { grad: 0, noGrad: 0 },
      dataSeed: 0,
      encoding: { kind: arch.encoding.kind, side: arch.encoding.side, seqLen: arch.encoding.seqLen, vocab: arch.vocab },
      versionNames,
      fingerprints,
      testInputs,
      optimizerSteps: {},
      rng: { targets: [], halting: [] },
      sampler: { rng: [], order: [], pos: 0 },
      carry: null,
      // The file holds the weights pretrain.py evaluated with (the EMA copy when it kept one).
      hasEma: false,
      backend: { name: 'cpu', device: 'not trained in the lab: imported from PyTorch', versions: {}, notes: [] },
      ...(puzzleTableFile ? { puzzleTableFile } : {}),
      imported: { from: shown, sha256, step },
    };
    const arrays: Record<string, Float32Array> = {};
    for (const [name] of parameterShapes(spec)) arrays[`param/${name}`] = params[name] as Float32Array;
    arrays['buffer/H_init'] = buffers['H_init'] as Float32Array;
    arrays['buffer/L_init'] = buffers['L_init'] as Float32Array;
    const written = await writeCheckpoint(tmp, { step, meta, arrays });
    const architecture = publicArchitecture(arch);
    const trainableParams = countParameters(spec);
    await writeFile(
      path.join(tmp, IMPORT_REPORT_FILE),
      `${JSON.stringify({ file: shown, sha256, step, format: sd.format, allConfig: cfg?.file ?? null, architecture, trainableParams, notes }, null, 2)}\n`,
    );
    await rename(tmp, runDir);
    await fsyncDir(path.dirname(runDir));
    return {
      runDir,
      checkpointDir: path.join(runDir, path.relative(tmp, written.path)),
      step,
      config,
      architecture: { ...architecture, notes },
      trainableParams,
      sha256,
    };
  } catch (e) {
    await rm(tmp, { recursive: true, force: true });
    throw e;
  } finally {
    await sd.close();
  }
}

async function fsyncDir(dir: string): Promise<void> {
  try {
    const fh = await open(dir, 'r');
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
  } catch {
    // Windows cannot fsync a directory; the rename is durable enough there.
  }
}
