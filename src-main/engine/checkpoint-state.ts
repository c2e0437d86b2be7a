// What a checkpoint holds, and how a run's state goes into it and comes back (through checkpoint-io).
//
// Arrays: param/<name> (the raw trained weights), ema/<name> (the EMA shadow, used for evaluation and
// inference when present), adam_m/<name>, adam_v/<name> (optimizer moments), buffer/H_init,
// buffer/L_init, puzzle_table, and carry/* when the checkpoint is taken mid-trajectory (TRM with
// halting: rows are always at different depths, so the carry is saved for an exact resume).
// Meta (JSON): the run config, step, trajectories, call counts, per-parameter optimizer steps, the
// Rng and sampler states, the encoding, the version names (index = puzzle id), a fingerprint of every
// training task's demonstrations and of each of its test inputs, which inference uses to tell trained
// tasks from ones with an edited test input and from unseen ones (adaptation/store.ts).
import { createHash } from 'node:crypto';
import path from 'node:path';
import type { BackendInfo, CallCounts } from '../../src-shared/method/protocol';
import { parseRunConfig, type RunConfig } from '../../src-shared/method/run-config';
import type { RngState } from '../../src-shared/prng';
import { getEncoding, type Encoding, type EncodingKind } from '../../src-shared/puzzle/tokens';
import type { Task } from '../../src-shared/puzzle/types';
import type { CheckpointPayload } from './checkpoint-io';
import type { SamplerState } from './data/sampler';
import type { CarryState } from './methods/types';
import { DiskPuzzleTable } from './model/disk-puzzle-table';
import { PuzzleTable } from './model/puzzle-table';
import { netSpec, parameterShapes, TrmNet } from './model/trm';
import type { AdamOptimizer } from './optim/adam';
import type { Ema } from './optim/ema';

export const STATE_FORMAT = 'puzzle-lab-training-state/1';

export interface CheckpointMeta {
  format: typeof STATE_FORMAT;
  config: RunConfig;
  step: number;
  trajectories: number;
  calls: CallCounts;
  /** the seed the datasets were built with (derived from config.seed) */
  dataSeed: number;
  encoding: { kind: EncodingKind; side: number; seqLen: number; vocab: number };
  versionNames: string[];
  /** task id → fingerprint of its demonstration pairs */
  fingerprints: Record<string, string>;
  /** task id → fingerprint of each test input (absent in checkpoints written before it existed) */
  testInputs?: Record<string, string[]>;
  optimizerSteps: Record<string, number>;
  rng: { targets: number[]; halting: number[] };
  sampler: SamplerState;
  carry: Record<string, unknown> | null;
  hasEma: boolean;
  backend: BackendInfo;
  /**
   * A puzzle table kept outside the checkpoint (imported PyTorch checkpoints, src-main/pipeline/torch):
   * raw little-endian fp32 rows at `path` (relative to the checkpoint folder), read row by row on
   * demand (model/disk-puzzle-table.ts). Such a checkpoint has no `puzzle_table` array and cannot be
   * resumed (it carries no optimizer state).
   */
  puzzleTableFile?: { path: string; rows: number; dim: number; sha256: string };
  /** set on checkpoints made by importing another program's weights: they hold no training state */
  imported?: { from: string; sha256: string; step: number };
}

/** A stable fingerprint of a task's demonstrations (what its puzzle embedding was learned from). */
export function taskFingerprint(task: Pick<Task, 'train'>): string {
  return createHash('sha256').update(JSON.stringify(task.train.map((p) => [p.input, p.output]))).digest('hex').slice(0, 32);
}

/** A stable fingerprint of one grid (tells an edited test input from the trained one). */
export function gridFingerprint(g: Task['test'][number]['input']): string {
  return createHash('sha256').update(JSON.stringify(g)).digest('hex').slice(0, 32);
}

export interface TrainingSnapshot {
  config: RunConfig;
  step: number;
  trajectories: number;
  calls: CallCounts;
  dataSeed: number;
  encoding: Encoding;
  versionNames: string[];
  tasks: Task[];
  net: TrmNet;
  table: PuzzleTable | null;
  optimizer: AdamOptimizer;
  ema: Ema | null;
  rng: { targets: RngState; halting: RngState };
  sampler: SamplerState;
  carry: CarryState | null;
  backend: BackendInfo;
}

/** Async: every read-back goes through data(); WebGPU in Node cannot read synchronously. */
export async function capturePayload(s: TrainingSnapshot): Promise<CheckpointPayload> {
  const arrays: CheckpointPayload['arrays'] = {};
  for (const [name, t] of s.net.trainable()) arrays[`param/${name}`] = (await t.data()) as Float32Array;
  if (s.ema) for (const [name, v] of Object.entries(await s.ema.values())) arrays[`ema/${name}`] = v;
  const opt = await s.optimizer.state();
  for (const name of Object.keys(opt.t)) {
    arrays[`adam_m/${name}`] = opt.m[name]!;
    arrays[`adam_v/${name}`] = opt.v[name]!;
  }
  arrays['buffer/H_init'] = (await s.net.hInit.data()) as Float32Array;
  arrays['buffer/L_init'] = (await s.net.lInit.data()) as Float32Array;
  if (s.table) arrays['puzzle_table'] = s.table.data;
  if (s.carry) Object.assign(arrays, s.carry.arrays);
  const fingerprints: Record<string, string> = {};
  const testInputs: Record<string, string[]> = {};
  for (const t of s.tasks) {
    fingerprints[t.id] = taskFingerprint(t);
    testInputs[t.id] = t.test.map((p) => gridFingerprint(p.input));
  }
  const meta: CheckpointMeta = {
    format: STATE_FORMAT,
    config: s.config,
    step: s.step,
    trajectories: s.trajectories,
    calls: s.calls,
    dataSeed: s.dataSeed,
    encoding: { kind: s.encoding.kind, side: s.encoding.side, seqLen: s.encoding.seqLen, vocab: s.encoding.vocab },
    versionNames: s.versionNames,
    fingerprints,
    testInputs,
    optimizerSteps: opt.t,
    rng: { targets: [...s.rng.targets], halting: [...s.rng.halting] },
    sampler: s.sampler,
    carry: s.carry ? s.carry.json : null,
    hasEma: s.ema !== null,
    backend: s.backend,
  };
  return { step: s.step, meta, arrays };
}

/** The meta of a checkpoint, checked enough to fail with a clear message on a foreign or broken one. */
export function parseMeta(meta: unknown, where: string): CheckpointMeta {
  const m = meta as Partial<CheckpointMeta> | null;
  if (!m || typeof m !== 'object' || m.format !== STATE_FORMAT) {
    throw new Error(`${where}: not a Puzzle Lab training checkpoint (format ${String(m?.format)}, expected ${STATE_FORMAT})`);
  }
  const config = parseRunConfig(m.config);
  for (const key of ['step', 'trajectories', 'dataSeed'] as const) {
    if (!Number.isInteger(m[key])) throw new Error(`${where}: meta.${key} must be an integer`);
  }
  if (!Array.isArray(m.versionNames) || !m.encoding || !m.sampler || !m.rng || !m.calls || !m.fingerprints || !m.optimizerSteps) {
    throw new Error(`${where}: checkpoint meta is incomplete`);
  }
  return { ...(m as CheckpointMeta), config };
}

export function encodingOf(meta: CheckpointMeta): Encoding {
  const enc = getEncoding(meta.encoding.kind, meta.encoding.side);
  if (enc.seqLen !== meta.encoding.seqLen || enc.vocab !== meta.encoding.vocab) {
    throw new Error(`checkpoint encoding ${meta.encoding.kind} ${meta.encoding.side} does not match this build's tokenisation`);
  }
  return enc;
}

function need<T extends Float32Array | Int32Array>(arrays: CheckpointPayload['arrays'], name: string, length: number, where: string): T {
  const a = arrays[name];
  if (!a) throw new Error(`${where}: checkpoint has no array ${name}`);
  if (a.length !== length) throw new Error(`${where}: checkpoint array ${name} holds ${a.length} values, expected ${length}`);
  return a as T;
}

/**
 * The network and puzzle table of a checkpoint. weights: 'raw' (to resume training) or 'ema' (for
 * evaluation and inference: the EMA shadow when the run kept one, else the raw weights).
 */
export function restoreModel(
  payload: CheckpointPayload,
  meta: CheckpointMeta,
  weights: 'raw' | 'ema',
  where: string,
): { net: TrmNet; table: PuzzleTable | DiskPuzzleTable | null } {
  const config = meta.config;
  const spec = netSpec(config.model, meta.encoding.vocab, meta.encoding.seqLen, config.method);
  const prefix = weights === 'ema' && meta.hasEma ? 'ema/' : 'param/';
  const params: Record<string, Float32Array> = {};
  for (const [name, shape] of parameterShapes(spec)) {
    params[name] = need<Float32Array>(payload.arrays, prefix + name, shape.reduce((a, b) => a * b, 1), where);
  }
  const buffers = {
    H_init: need<Float32Array>(payload.arrays, 'buffer/H_init', spec.hidden, where),
    L_init: need<Float32Array>(payload.arrays, 'buffer/L_init', spec.hidden, where),
  };
  const net = TrmNet.create(spec, params, buffers);
  let table: PuzzleTable | DiskPuzzleTable | null = null;
  if (config.model.puzzleEmbDim > 0 && meta.puzzleTableFile) {
    // `where` is the checkpoint folder; the table file's path is relative to it.
    const t = meta.puzzleTableFile;
    if (t.dim !== config.model.puzzleEmbDim) throw new Error(`${where}: the puzzle table file is ${t.dim} wide, the config says ${config.model.puzzleEmbDim}`);
    table = new DiskPuzzleTable(path.resolve(where, t.path), t.rows, t.dim);
    try {
      table.check();
    } catch (e) {
      net.dispose();
      throw e;
    }
  } else if (config.model.puzzleEmbDim > 0) {
    const rows = meta.versionNames.length;
    const dim = config.model.puzzleEmbDim;
    // A copy: the training loop updates the table in place.
    table = new PuzzleTable(rows, dim, need<Float32Array>(payload.arrays, 'puzzle_table', rows * dim, where).slice());
  }
  return { net, table };
}

/** Optimizer moments, EMA shadow and the carry arrays of a checkpoint, for resuming. */
export function restoreTrainingState(payload: CheckpointPayload, meta: CheckpointMeta, optimizer: AdamOptimizer, ema: Ema | null, net: TrmNet): CarryState | null {
  const m: Record<string, Float32Array> = {};
  const v: Record<string, Float32Array> = {};
  for (const name of Object.keys(meta.optimizerSteps)) {
    m[name] = payload.arrays[`adam_m/${name}`] as Float32Array;
    v[name] = payload.arrays[`adam_v/${name}`] as Float32Array;
  }
  optimizer.restore({ t: meta.optimizerSteps, m, v }, net.trainable() as never);
  if (ema) {
    if (!meta.hasEma) throw new Error('the checkpoint has no EMA weights but the run config asks for EMA');
    const values: Record<string, Float32Array> = {};
    for (const [name] of net.trainable()) values[name] = payload.arrays[`ema/${name}`] as Float32Array;
    ema.restore(values);
  }
  if (!meta.carry) return null;
  const arrays: CarryState['arrays'] = {};
  for (const [name, a] of Object.entries(payload.arrays)) if (name.startsWith('carry/')) arrays[name] = a;
  return { json: meta.carry, arrays };
}
