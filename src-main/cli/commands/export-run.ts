// `puzzle-lab export-run`: a lab run as the authors' command line, launch scripts (one machine with N
// GPUs, several machines) and data, for their torchrun pipeline. A run of the lab (by id) is
// exported by the lab's API (exportRunForAuthors, through the lab holding the data directory) and
// moved to --out; a run folder outside any lab (with its config.json) is written here.
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { AuthorsRunExport } from '../../../src-shared/api/contract';
import { LabError } from '../../../src-shared/api/errors';
import { latestCheckpoint } from '../../engine/checkpoint-io';
import { exportRun } from '../../pipeline/export-run';
import { writeTorchStep } from '../../pipeline/torch/export-checkpoint';
import { resolveDataDir } from '../../service/data-dir';
import { bool, num, str, UsageError, type CommandSpec, type ParsedArgs } from '../../command-line/args';
import type { Io } from '../io';
import { checkNewFolder, moveExport } from '../export-folder';
import { openLab } from '../lab';
import { findRun, runTasks } from './lab-data';

export const spec: CommandSpec = {
  name: 'export-run',
  summary:
    "Write a lab run for the authors' PyTorch code: its data in their dataset format, their command line for the\n" +
    "run's method (TRM: pretrain.py hydra overrides; DIS: train_arc_tiny_corrupt.py) and torchrun launch scripts.",
  usage: '<run-id|run folder> --out <folder>',
  positionals: ['run'],
  flags: {
    out: { type: 'string', arg: 'DIR', help: 'the new export folder (must not exist)' },
    gpus: { type: 'int', arg: 'N', help: 'GPUs per machine in the scripts', defaultText: '1' },
    nodes: { type: 'int', arg: 'M', help: 'machines in the multi-node script', defaultText: '2' },
    'data-dir': { type: 'string', arg: 'DIR', help: 'the lab data directory (run ids and library data)', defaultText: '$PUZZLE_LAB_DATA_DIR or ~/.puzzle-lab' },
    json: { type: 'boolean', help: 'print the summary as JSON' },
  },
  examples: ['puzzle-lab export-run runs/20260101-120000-trm --out trm-for-torchrun --gpus 8 --nodes 4'],
};

export async function run(args: ParsedArgs, io: Io): Promise<number> {
  const out = str(args, 'out');
  if (out === undefined) throw new UsageError('puzzle-lab export-run: --out <folder> is required');
  const arg = args.positionals[0] as string;
  const isRunFolder = await stat(path.join(path.resolve(arg), 'config.json')).then((s) => s.isFile(), () => false);
  const s = isRunFolder ? await exportFolder(args, arg, out) : await exportLabRun(args, arg, out);
  // Never silently: every lab option their code cannot express goes to stderr.
  for (const u of s.unsupported) io.err(`no equivalent in ${s.repo.name}: ${u}\n`);
  for (const n of s.notes) io.err(`note: ${n}\n`);
  if (bool(args, 'json') === true) {
    io.out(`${JSON.stringify(s)}\n`);
    return 0;
  }
  io.out(
    [
      `wrote ${s.folder} (${s.method.toUpperCase()} for ${s.repo.url} @ ${s.repo.commit})`,
      `  data:    ${s.dataset.folder} (${s.dataset.splits.train.examples} train / ${s.dataset.splits.test.examples} test examples)`,
      `  scripts: train_1node.sh, train_multinode.sh (AUTHORS_REPO=/path/to/clone ./train_1node.sh)`,
      `  weights: ${s.checkpoint ?? 'none (the scripts start from the authors\' initialisation; INIT_CHECKPOINT=step_N to start from weights)'}`,
      `  command: ${s.command}`,
      '',
    ].join('\n'),
  );
  return 0;
}

/** A run folder outside the lab: written here by the same pipeline the lab uses. */
async function exportFolder(args: ParsedArgs, folder: string, out: string): Promise<AuthorsRunExport> {
  const { config, id, runDir } = await findRun(folder);
  const tasks = await runTasks(config, runDir);
  // The run's newest checkpoint goes along as the authors' step_N (init/), and the scripts start from it.
  const latest = await latestCheckpoint(runDir);
  return exportRun(config, tasks, out, {
    ...(latest !== null && { writeCheckpoint: (dir: string) => writeTorchStep(latest.path, dir) }),
    ...(num(args, 'gpus') !== undefined && { gpus: num(args, 'gpus') as number }),
    ...(num(args, 'nodes') !== undefined && { nodes: num(args, 'nodes') as number }),
    runLabel: `${id} (${config.name})`,
    generator: 'puzzle-lab export-run',
  });
}

/** A run of the lab, by id: the lab exports it (its snapshot of tasks, its newest checkpoint) and it moves to --out. */
async function exportLabRun(args: ParsedArgs, runId: string, out: string): Promise<AuthorsRunExport> {
  const dataDir = resolveDataDir(str(args, 'data-dir'));
  const notThere = (): UsageError => new UsageError(`${runId} is neither a run folder (with config.json) nor a run id in ${dataDir}`);
  if (!/^[A-Za-z0-9._-]+$/.test(runId)) throw notThere();
  const target = await checkNewFolder('export-run', out);
  const lab = await openLab(dataDir);
  let exported: AuthorsRunExport;
  try {
    exported = await lab.api.exportRunForAuthors({
      runId,
      ...(num(args, 'gpus') !== undefined && { gpus: num(args, 'gpus') as number }),
      ...(num(args, 'nodes') !== undefined && { nodes: num(args, 'nodes') as number }),
    });
  } catch (e) {
    if (e instanceof LabError && e.code === 'not-found') throw notThere();
    throw e;
  } finally {
    await lab.close();
  }
  return moveExport(exported, target);
}
