// `puzzle-lab export-run`: a lab run as the authors' command line, launch scripts (one machine with N
// GPUs, several machines) and data, for their torchrun pipeline. The lab's API writes it
// (exportRunForAuthors, through the lab holding the data directory: lab.ts) into its exports/ folder,
// and it moves to --out: a run of the lab by id, or a run folder outside any lab (with its
// config.json) handed to the lab as a path the user named.
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { AuthorsRunExport } from '../../../src-shared/api/contract';
import { LabError } from '../../../src-shared/api/errors';
import { resolveDataDir } from '../../service/data-dir';
import { bool, num, str, UsageError, type CommandSpec, type ParsedArgs } from '../../command-line/args';
import type { Io } from '../io';
import { checkNewFolder, moveExport } from '../export-folder';
import { openLab } from '../lab';

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
  const dataDir = resolveDataDir(str(args, 'data-dir'));
  const runDir = path.resolve(arg);
  const isRunFolder = await stat(path.join(runDir, 'config.json')).then((s) => s.isFile(), () => false);
  const notThere = (): UsageError => new UsageError(`${arg} is neither a run folder (with config.json) nor a run id in ${dataDir}`);
  if (!isRunFolder && !/^[A-Za-z0-9._-]+$/.test(arg)) throw notThere();
  const target = await checkNewFolder('export-run', out);
  const lab = await openLab(dataDir);
  let s: AuthorsRunExport;
  try {
    if (isRunFolder) await lab.grant(runDir);
    s = await lab.api.exportRunForAuthors({
      ...(isRunFolder ? { runDir } : { runId: arg }),
      ...(num(args, 'gpus') !== undefined && { gpus: num(args, 'gpus') as number }),
      ...(num(args, 'nodes') !== undefined && { nodes: num(args, 'nodes') as number }),
    });
  } catch (e) {
    if (e instanceof LabError && e.code === 'not-found' && !isRunFolder) throw notThere();
    throw e;
  } finally {
    await lab.close();
  }
  s = await moveExport(s, target);
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
