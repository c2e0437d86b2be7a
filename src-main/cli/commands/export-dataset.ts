// `puzzle-lab export-dataset`: lab tasks (an ARC file or folder, a library dataset, or a generated
// family) written as the authors' dataset folder (build_arc_dataset.py layout) for their PyTorch code,
// by the lab's API (exportAuthorsDataset, through the lab holding the data directory: lab.ts) into
// its exports/ folder, then moved to --out. The CLI reads the ARC file it is given and sends its tasks.
import path from 'node:path';
import type { AuthorsDatasetExport, LabClient, ParamsIn } from '../../../src-shared/api/contract';
import { getFamily } from '../../../src-shared/generators';
import { loadArcPath } from '../../engine/data/resolve-source';
import { DEFAULT_EXPORT_OPTIONS } from '../../pipeline/authors-dataset/write';
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

/** What the lab exports: a library dataset (by id or name), a family it generates, or the tasks of a file read here. */
async function source(args: ParsedArgs, api: LabClient, dataDir: string): Promise<ParamsIn<'exportAuthorsDataset'>> {
  const ds = str(args, 'dataset');
  if (ds !== undefined) return { datasetId: findDataset(await api.listDatasets(), ds, dataDir).id };
  const fam = str(args, 'family');
  if (fam !== undefined) {
    // an unknown family is the user's typo: named before the lab is asked
    try {
      getFamily(fam);
    } catch (e) {
      throw new UsageError(`puzzle-lab export-dataset: ${(e as Error).message}`);
    }
    const opt = (key: string, flag: string): Record<string, number> => (num(args, flag) === undefined ? {} : { [key]: num(args, flag) as number });
    return { family: { id: fam, ...opt('count', 'count'), ...opt('minSide', 'min-side'), ...opt('maxSide', 'max-side'), ...opt('difficulty', 'difficulty'), ...opt('seed', 'family-seed') } };
  }
  return { tasks: await loadArcPath(args.positionals[0] as string) };
}

export function formatSummary(s: AuthorsDatasetExport): string {
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
  const target = await checkNewFolder('export-dataset', out);
  const lab = await openLab(resolveDataDir(str(args, 'data-dir')));
  let summary: AuthorsDatasetExport;
  try {
    const what = await source(args, lab.api, lab.dataDir);
    summary = await moveExport(await lab.api.exportAuthorsDataset({ ...what, name: path.basename(target), ...options }), target);
  } finally {
    await lab.close();
  }
  for (const n of summary.notes) io.err(`note: ${n}\n`);
  io.out(bool(args, 'json') === true ? `${JSON.stringify(summary)}\n` : formatSummary(summary));
  return 0;
}

