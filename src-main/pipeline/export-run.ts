// A lab run → a folder the authors' PyTorch pipeline runs as is: the run's data in their dataset
// format (the same versions and puzzle ids the lab run trained with: same tasks, same data seed),
// their configuration for the run's method (overrides.ts), launch scripts for one and several
// machines (scripts.ts), a README, and the lab's own config. Lab options without an equivalent are
// listed in the scripts, the README and the returned summary (the CLI prints them on stderr).
//
// Weights: the run's checkpoint as a PyTorch `step_N` file is written by the torch pipeline
// (src-main/pipeline/torch), passed in as `writeCheckpoint`; it goes to <out>/init/ and the scripts
// start from it by default. Without it the export holds configuration and data only.
import { chmod, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { encodingForSource } from '../engine/data/training-set';
import type { Method } from '../../src-shared/method/methods';
import type { RunConfig } from '../../src-shared/method/run-config';
import { Rng } from '../../src-shared/prng';
import { getEncoding } from '../../src-shared/puzzle/tokens';
import type { Task } from '../../src-shared/puzzle/types';
import { repoFor } from './authors-repos';
import { writeAuthorsDataset, type AuthorsExportSummary } from './authors-dataset/write';
import { DIS_LAUNCHER_FILE, disLauncherSource } from './export-run/dis-launcher';
import { mapRunConfig, renderOverride, viaPretrain } from './export-run/overrides';
import { exportReadme, multiNodeScript, singleNodeScript } from './export-run/scripts';
import { pathExists } from '../engine/fs';

/** Writes the run's weights as the authors' `step_N` into `dir`; returns the file, or null when the run has no checkpoint. */
export type CheckpointWriter = (dir: string) => Promise<{ file: string; step: number } | null>;

export interface ExportRunOptions {
  /** GPUs per machine in the scripts (default 1; GPUS=N overrides at launch) */
  gpus?: number;
  /** machines for the multi-node script (default 2; NNODES overrides at launch) */
  nodes?: number;
  /** e.g. the run id and name, for headers */
  runLabel?: string;
  /** "Puzzle Lab 0.1.0" */
  generator?: string;
  writeCheckpoint?: CheckpointWriter;
}

export interface ExportRunSummary {
  folder: string;
  method: Method;
  repo: { name: string; url: string; commit: string };
  dataset: AuthorsExportSummary;
  /** the command line of the single-node launch, overrides included */
  command: string;
  unsupported: string[];
  notes: string[];
  files: string[];
  checkpoint: string | null;
}

/** The data seed of a run: the same derivation as runSeeds in engine/trainer.ts (kept here so this module loads no tfjs). */
export function runDataSeed(seed: number): number {
  return new Rng(seed).nextUint32() >>> 1;
}

/** A file-name-safe slug of `s` (lower-case letters, digits and dashes; at most 60), `fallback` when empty. */
export function slug(s: string, fallback = 'run'): string {
  const t = s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
  return t === '' ? fallback : t;
}


/** Writes the export of `config` (whose data source resolved to `tasks`) into the new folder `out`. */
export async function exportRun(config: RunConfig, tasks: Task[], out: string, o: ExportRunOptions = {}): Promise<ExportRunSummary> {
  const gpus = o.gpus ?? 1;
  const nodes = o.nodes ?? 2;
  if (!Number.isInteger(gpus) || gpus < 1 || gpus > 1024) throw new Error(`--gpus must be an integer 1..1024, got ${gpus}`);
  if (!Number.isInteger(nodes) || nodes < 1 || nodes > 4096) throw new Error(`--nodes must be an integer 1..4096, got ${nodes}`);
  const target = path.resolve(out);
  if (await pathExists(target)) throw new Error(`export folder ${target} already exists; choose a new folder (nothing was written)`);
  const method = config.method;
  const repo = repoFor(method);
  const runLabel = o.runLabel ?? config.name;
  const runSlug = slug(`${method}-${runLabel}`);
  const generator = o.generator ?? 'Puzzle Lab';

  const labEncoding = encodingForSource(config.data.source, config.data.canvas);
  const kind = labEncoding.kind === 'arc' ? 'arc' : 'board';
  // The authors' ARC pipeline is fixed to 30×30; boards keep their own size.
  const encoding = kind === 'arc' ? getEncoding('arc') : labEncoding;
  const datasetName = `${slug(config.name)}-aug-${config.data.augmentations}`;
  const tmp = `${target}.partial-${process.pid}-${Date.now()}`;
  await mkdir(tmp, { recursive: true });
  try {
    const dataset = await writeAuthorsDataset(tasks, path.join(tmp, 'data', datasetName), {
      augmentations: config.data.augmentations,
      translate: config.data.translate,
      trainOnTestPairs: config.data.trainOnTestPairs,
      seed: runDataSeed(config.seed),
      encoding,
    });
    const checkpointFolder = `checkpoints/${runSlug}`;
    const mapped = mapRunConfig(
      config,
      { totalGroups: dataset.splits.train.groups, meanPuzzleExamples: dataset.splits.train.examples / Math.max(1, dataset.splits.train.puzzles) },
      { dataPath: `\${HERE}/data/${datasetName}`, runName: runSlug, checkpointPath: `\${HERE}/${checkpointFolder}` },
      kind,
    );
    if (!config.data.translate && kind === 'arc') mapped.notes.push('data.translate = false: the train split is not translated (build_arc_dataset.py always translates it)');
    mapped.notes.push(...dataset.notes);
    if (config.batchSize % (gpus * nodes) !== 0 || config.batchSize % gpus !== 0) {
      mapped.notes.push(`global_batch_size ${config.batchSize} is not a multiple of the GPU count; the scripts refuse to start with such a process count (puzzle_dataset.py asserts it)`);
    }

    let checkpoint: string | null = null;
    let checkpointNote = 'none exported; the run starts from the authors\' initialisation (set INIT_CHECKPOINT to start from a `step_N` file).';
    if (o.writeCheckpoint !== undefined) {
      await mkdir(path.join(tmp, 'init'), { recursive: true });
      const written = await o.writeCheckpoint(path.join(tmp, 'init'));
      if (written !== null) {
        checkpoint = path.join(target, 'init', path.basename(written.file));
        checkpointNote = `the lab run's weights at step ${written.step} in \`init/${path.basename(written.file)}\`; the scripts start from them unless INIT_CHECKPOINT says otherwise.`;
      }
    }

    const scriptInput = { method, repo, runLabel, runSlug, overrides: mapped.overrides, unsupported: mapped.unsupported, notes: mapped.notes, gpus, nodes, batchSize: config.batchSize, generator };
    let one = singleNodeScript(scriptInput);
    let many = multiNodeScript(scriptInput);
    if (checkpoint !== null) {
      const rel = `init/${path.basename(checkpoint)}`;
      const dflt = `INIT_CHECKPOINT="\${INIT_CHECKPOINT-$HERE/${rel}}"`;
      one = one.replace('EXTRA=()', `${dflt}\nEXTRA=()`);
      many = many.replace('EXTRA=()', `${dflt}\nEXTRA=()`);
    }
    const files: Record<string, string> = {
      'train_1node.sh': one,
      'train_multinode.sh': many,
      'README.md': exportReadme({
        ...scriptInput,
        datasetFolder: `data/${datasetName}`,
        checkpointFolder,
        checkpointNote,
        epochs: mapped.epochs,
        evalIntervalEpochs: mapped.evalIntervalEpochs,
        authorsTotalSteps: mapped.authorsTotalSteps,
      }),
      'run-config.json': `${JSON.stringify(config, null, 2)}\n`,
    };
    if (method === 'dis') files[DIS_LAUNCHER_FILE] = disLauncherSource();
    for (const [name, content] of Object.entries(files)) await writeFile(path.join(tmp, name), content);
    await chmod(path.join(tmp, 'train_1node.sh'), 0o755);
    await chmod(path.join(tmp, 'train_multinode.sh'), 0o755);
    await mkdir(path.join(tmp, checkpointFolder), { recursive: true });
    await rename(tmp, target);

    const entry = viaPretrain(method) ? repo.entry : DIS_LAUNCHER_FILE;
    const command = [`torchrun --nproc-per-node ${gpus} ${entry}`, ...mapped.overrides.map((ov) => renderOverride(ov, method).replaceAll('${HERE}', target))].join(' ');
    return {
      folder: target,
      method,
      repo: { name: repo.name, url: repo.url, commit: repo.commit },
      dataset: { ...dataset, folder: path.join(target, 'data', datasetName) },
      command,
      unsupported: mapped.unsupported,
      notes: mapped.notes,
      files: [...Object.keys(files), `data/${datasetName}/`, `${checkpointFolder}/`],
      checkpoint,
    };
  } catch (e) {
    await rm(tmp, { recursive: true, force: true });
    throw e;
  }
}
