// `puzzle-lab export-dataset`: lab tasks (an ARC file or folder, a library dataset, or a generated
// family) written as the authors' dataset folder (build_arc_dataset.py layout) for their PyTorch code.
// A library dataset is exported by the lab's API (exportAuthorsDataset, through the lab holding the
// data directory) and moved to --out; a file or a family touches no lab and is written here by the
// same pipeline.
import { getFamily } from '../../../src-shared/generators';
import { generateTasks } from '../../../src-shared/generators';
import { getEncoding, type Encoding } from '../../../src-shared/puzzle/tokens';
import type { Task } from '../../../src-shared/puzzle/types';
import { loadArcPath } from '../../engine/data/resolve-source';
import { DEFAULT_EXPORT_OPTIONS, writeAuthorsDataset, type AuthorsExportSummary } from '../../pipeline/authors-dataset/write';
import { resolveDataDir } from '../../service/data-dir';
import { bool, num, str, UsageError, type CommandSpec, type ParsedArgs } from '../../command-line/args';
import type { Io } from '../io';
import { checkNewFolder, moveExport } from '../export-folder';
import { openLab } from '../lab';
import { findDataset } from './lab-data';

export const spec: CommandSpec = {
  name: 'export-dataset',
  summary:
    "Write lab tasks as the authors' dataset folder (train/, test/, identifiers.json, test_puzzles.json) for their\n" +
    'PyTorch pretrain.py / train_arc_tiny_corrupt.py, with their augmentation rules.',
  usage: '[<tasks>] --out <folder>',
  positionals: ['tasks'],
  optionalPositionals: 1,
  flags: {
    out: { type: 'string', arg: 'DIR', help: 'the new dataset folder (must not exist)' },
    dataset: { type: 'string', arg: 'ID|NAME', help: 'a library dataset instead of <tasks>' },
    family: { type: 'string', arg: 'ID', help: 'generated tasks of a built-in family instead of <tasks>' },
    count: { type: 'int', arg: 'N', help: 'tasks to generate (with --family)', defaultText: "the family's" },
    'min-side': { type: 'int', arg: 'N', help: 'smallest grid side (with --family)' },
    'max-side': { type: 'int', arg: 'N', help: 'largest grid side (with --family)' },
    difficulty: { type: 'int', arg: '1-5', help: 'difficulty (with --family)' },
    'family-seed': { type: 'int', arg: 'N', help: 'generator seed (with --family)', defaultText: '0' },
    augmentations: { type: 'int', arg: 'N', help: 'augmented versions per task (dihedral × colour permutation keeping 0)', defaultText: '1000, as the authors' },
    seed: { type: 'int', arg: 'N', help: 'seed of the versions and translations', defaultText: '42, as the authors' },
    translate: { type: 'boolean', help: 'translate train-split examples on the 30×30 canvas (--no-translate to keep them at the origin)', defaultText: 'on, as the authors' },
    'train-on-test-pairs': { type: 'boolean', help: 'solved test pairs also go to the train split (the authors do this for non-evaluation subsets)' },
    'data-dir': { type: 'string', arg: 'DIR', help: 'the lab data directory (for --dataset)', defaultText: '$PUZZLE_LAB_DATA_DIR or ~/.puzzle-lab' },
    json: { type: 'boolean', help: 'print the summary as JSON' },
  },
  examples: [
    'puzzle-lab export-dataset ../shared/arc/arc-agi_evaluation_challenges.json --out data/arc1-eval-aug-1000',
    'puzzle-lab export-dataset --dataset "My puzzles" --augmentations 100 --out data/my-puzzles-aug-100',
    'puzzle-lab export-dataset --family gravity --count 200 --out data/gravity-aug-1000',
  ],
};

async function sourceTasks(args: ParsedArgs): Promise<{ tasks: Task[]; encoding: Encoding }> {
  const arc = getEncoding('arc');
  const fam = str(args, 'family');
  if (fam !== undefined) {
    let family;
    try {
      family = getFamily(fam);
    } catch (e) {
      throw new UsageError(`puzzle-lab export-dataset: ${(e as Error).message}`);
    }
    const d = family.defaults;
    const params = {
      count: num(args, 'count') ?? d.count,
      minSide: num(args, 'min-side') ?? d.minSide,
      maxSide: num(args, 'max-side') ?? d.maxSide,
      difficulty: num(args, 'difficulty') ?? d.difficulty,
      seed: num(args, 'family-seed') ?? 0,
    };
    const tasks = generateTasks(fam, params);
    const kind = family.info.kind;
    const encoding = kind === 'nqueens' ? getEncoding('nqueens', params.maxSide) : kind === 'sudoku' ? getEncoding('sudoku') : arc;
    return { tasks, encoding };
  }
  return { tasks: await loadArcPath(args.positionals[0] as string), encoding: arc };
}

export function formatSummary(s: AuthorsExportSummary): string {
  const lines = [
    `wrote ${s.folder}`,
    `  ${s.tasks} task(s), ${s.numPuzzleIdentifiers} puzzle identifiers (with <blank>)`,
    `  train: ${s.splits.train.groups} groups, ${s.splits.train.puzzles} puzzles, ${s.splits.train.examples} examples`,
    `  test:  ${s.splits.test.groups} groups, ${s.splits.test.puzzles} puzzles, ${s.splits.test.examples} examples`,
  ];
  return `${lines.join('\n')}\n`;
}

export async function run(args: ParsedArgs, io: Io): Promise<number> {
  const out = str(args, 'out');
  if (out === undefined) throw new UsageError('puzzle-lab export-dataset: --out <folder> is required');
  const given = [args.positionals[0], str(args, 'dataset'), str(args, 'family')].filter((x) => x !== undefined);
  if (given.length !== 1) throw new UsageError('puzzle-lab export-dataset: give exactly one of <tasks>, --dataset or --family');
  const options = {
    augmentations: num(args, 'augmentations') ?? DEFAULT_EXPORT_OPTIONS.augmentations,
    seed: num(args, 'seed') ?? DEFAULT_EXPORT_OPTIONS.seed,
    translate: bool(args, 'translate') ?? DEFAULT_EXPORT_OPTIONS.translate,
    trainOnTestPairs: bool(args, 'train-on-test-pairs') ?? false,
  };
  const ds = str(args, 'dataset');
  let summary: AuthorsExportSummary;
  if (ds !== undefined) summary = await exportLibraryDataset(ds, str(args, 'data-dir'), out, options);
  else {
    const { tasks, encoding } = await sourceTasks(args);
    if (tasks.length === 0) throw new Error('there are no tasks to export');
    summary = await writeAuthorsDataset(tasks, out, { ...options, encoding });
  }
  for (const n of summary.notes) io.err(`note: ${n}\n`);
  io.out(bool(args, 'json') === true ? `${JSON.stringify(summary)}\n` : formatSummary(summary));
  return 0;
}

/** A library dataset, by id or name: the lab writes it (in its dataset's own encoding) and it moves to --out. */
async function exportLibraryDataset(
  idOrName: string,
  dataDirFlag: string | undefined,
  out: string,
  options: { augmentations: number; seed: number; translate: boolean; trainOnTestPairs: boolean },
): Promise<AuthorsExportSummary> {
  const target = await checkNewFolder('export-dataset', out);
  const lab = await openLab(resolveDataDir(dataDirFlag));
  try {
    const d = findDataset(await lab.api.listDatasets(), idOrName, lab.dataDir);
    return await moveExport(await lab.api.exportAuthorsDataset({ datasetId: d.id, ...options }), target);
  } finally {
    await lab.close();
  }
}
