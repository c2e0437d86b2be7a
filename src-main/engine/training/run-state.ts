// Opening a run: its config, backend and seeds, the training data, and the model, optimizer, EMA, RNGs
// and sampler, either fresh from config.seed or restored from the run's latest checkpoint.
import type { BackendInfo, TrainJob } from '../../../src-shared/method/protocol';
import { parseRunConfig, type RunConfig } from '../../../src-shared/method/run-config';
import { Rng } from '../../../src-shared/prng';
import { initBackend, preferWasmThreads } from '../backend';
import { latestCheckpoint, readCheckpoint, type CheckpointPayload } from '../checkpoint-io';
import { parseMeta, restoreModel, type CheckpointMeta } from '../checkpoint-state';
import { planCores, type CorePlan } from '../cores';
import { BatchSampler } from '../data/sampler';
import { buildDatasets, encodingForSource, usesBlankPuzzleIds } from '../data/training-set';
import type { TrainParts } from '../methods/method';
import { PuzzleTable } from '../model/puzzle-table';
import { netSpec, TrmNet } from '../model/trm';
import { planMicroBatches } from '../memory-estimate';
import { AdamOptimizer } from '../optim/adam';
import { Ema } from '../optim/ema';

export type RunSeeds = { dataSeed: number; init: Rng; sampler: Rng; targets: Rng; halting: Rng };

/** The seeds of a run, all derived from config.seed. */
export function runSeeds(seed: number): RunSeeds {
  const root = new Rng(seed);
  const dataSeed = root.nextUint32() >>> 1;
  return { dataSeed, init: root.fork(), sampler: root.fork(), targets: root.fork(), halting: root.fork() };
}

export type Resume = { payload: CheckpointPayload; meta: CheckpointMeta; path: string };

/** Everything a run trains with, before a method is chosen to step it. */
export interface RunState {
  config: RunConfig;
  backend: BackendInfo;
  /** the cores plan chosen before the backend started (cores.ts) */
  cores: CorePlan;
  seeds: RunSeeds;
  resume: Resume | null;
  encoding: ReturnType<typeof encodingForSource>;
  data: ReturnType<typeof buildDatasets>;
  net: TrmNet;
  table: PuzzleTable | null;
  optimizer: AdamOptimizer;
  ema: Ema | null;
  targetRng: Rng;
  haltRng: Rng;
  sampler: BatchSampler;
  parts: TrainParts;
}

/** The fields a resumed run must share with its checkpoint. */
function checkResumable(config: RunConfig, meta: CheckpointMeta, where: string): void {
  const keys = ['method', 'model', 'dis', 'halting', 'data', 'batchSize', 'seed'] as const;
  for (const k of keys) {
    if (JSON.stringify(config[k]) !== JSON.stringify(meta.config[k])) {
      throw new Error(`cannot resume from ${where}: config.${k} differs from the checkpoint's`);
    }
  }
}

/** The run's latest checkpoint when the job resumes and one exists, checked against the config. */
async function findResume(job: TrainJob, config: RunConfig): Promise<Resume | null> {
  if (!job.resume) return null;
  const latest = await latestCheckpoint(job.runDir);
  if (!latest) return null;
  const payload = await readCheckpoint(latest.path);
  const meta = parseMeta(payload.meta, latest.path);
  checkResumable(config, meta, latest.path);
  return { payload, meta, path: latest.path };
}

/**
 * Opens (or restores) the run's state. What it creates that must be disposed is pushed onto `owned` as
 * soon as it exists, so a failure part way still frees it.
 */
export async function openRun(job: TrainJob, owned: Array<{ dispose(): void }>): Promise<RunState> {
  const config = parseRunConfig(job.config);
  // Shards or threaded kernels are chosen per shape (cores.ts) before the backend starts: wasm's thread
  // count is fixed when it starts. The micro-batch plan assumed is wasm's (the CPU backend here);
  // planExecution checks it again on the backend that really started.
  const encoding = encodingForSource(config.data.source, config.data.canvas);
  const tokens = config.model.puzzleEmbLen + encoding.seqLen;
  let microBatches = 1;
  try {
    microBatches = planMicroBatches(config.model, tokens, config.batchSize, config.backend === 'cpu' ? 'cpu' : 'wasm', config.microBatch).count;
  } catch {
    // A setting too big for memory is refused by planExecution, in its words, once the backend is known.
  }
  const cores = planCores(config, tokens, encoding.vocab, microBatches);
  preferWasmThreads(cores.threads);
  const backend = await initBackend(config.backend);
  const seeds = runSeeds(config.seed);
  const resume = await findResume(job, config);

  const data = buildDatasets(job.tasks, {
    encoding,
    augmentations: config.data.augmentations,
    evalAugmentations: config.eval.augmentations,
    translate: config.data.translate,
    trainOnTestPairs: config.data.trainOnTestPairs,
    seed: seeds.dataSeed,
    blankPuzzleIds: usesBlankPuzzleIds(encoding),
  });
  if (resume && JSON.stringify(resume.meta.versionNames) !== JSON.stringify(data.train.versionNames)) {
    throw new Error(`cannot resume from ${resume.path}: the tasks differ from those the checkpoint was trained on`);
  }

  const spec = netSpec(config.model, encoding.vocab, encoding.seqLen, config.method);
  let net: TrmNet;
  let table: PuzzleTable | null;
  if (resume) {
    if (resume.meta.imported) {
      throw new Error(`cannot resume from ${resume.path}: it was imported from ${resume.meta.imported.from} and holds no training state (optimizer moments, data order)`);
    }
    const restored = restoreModel(resume.payload, resume.meta, 'raw', resume.path);
    net = restored.net;
    if (restored.table !== null && !(restored.table instanceof PuzzleTable)) throw new Error(`cannot resume from ${resume.path}: its puzzle table is a read-only file`);
    table = restored.table;
  } else {
    net = TrmNet.init(spec, seeds.init);
    table = config.model.puzzleEmbDim > 0 ? new PuzzleTable(data.train.numPuzzleIds, config.model.puzzleEmbDim) : null;
  }
  owned.push(net);
  const optimizer = new AdamOptimizer({ ...config.optimizer });
  owned.push(optimizer);
  const ema = config.optimizer.ema ? new Ema(net.trainable(), config.optimizer.emaDecay, config.optimizer.emaWarmup) : null;
  if (ema) owned.push(ema);
  const targetRng = resume ? new Rng(resume.meta.rng.targets as unknown as [number, number, number, number]) : seeds.targets;
  const haltRng = resume ? new Rng(resume.meta.rng.halting as unknown as [number, number, number, number]) : seeds.halting;
  const sampler = resume ? BatchSampler.restore(data.train, config.batchSize, resume.meta.sampler) : new BatchSampler(data.train, config.batchSize, seeds.sampler);
  const parts: TrainParts = { net, table, optimizer, ema, opt: config.optimizer };
  return { config, backend, cores, seeds, resume, encoding, data, net, table, optimizer, ema, targetRng, haltRng, sampler, parts };
}
