// `puzzle-lab import-dataset`: the authors' dataset folder (build_arc_dataset.py output) into the lab
// library by the lab's API (importAuthorsDataset, through the lab holding the data directory), every
// file cross-checked first; --check only validates the folder here and reports, touching no lab.
import path from 'node:path';
import { authorsTasks, readAuthorsDataset, verifyTestSplit } from '../../pipeline/authors-dataset/read';
import { resolveDataDir } from '../../service/data-dir';
import { bool, str, type CommandSpec, type ParsedArgs } from '../../command-line/args';
import type { Io } from '../io';
import { openLab } from '../lab';

export const spec: CommandSpec = {
  name: 'import-dataset',
  summary:
    "Import the authors' dataset folder (train/, test/, identifiers.json, test_puzzles.json) into the lab library:\n" +
    'the evaluation tasks from test_puzzles.json and every other task rebuilt from the train split.',
  usage: '<folder>',
  positionals: ['folder'],
  flags: {
    name: { type: 'string', arg: 'NAME', help: 'library dataset name', defaultText: "the folder's name" },
    check: { type: 'boolean', help: 'only validate the folder and print what it holds; import nothing' },
    'data-dir': { type: 'string', arg: 'DIR', help: 'the lab data directory', defaultText: '$PUZZLE_LAB_DATA_DIR or ~/.puzzle-lab' },
    json: { type: 'boolean', help: 'print the result as JSON' },
  },
  examples: ['puzzle-lab import-dataset data/arc1concept-aug-1000', 'puzzle-lab import-dataset data/arc1concept-aug-1000 --check'],
};

export async function run(args: ParsedArgs, io: Io): Promise<number> {
  const folder = args.positionals[0] as string;
  if (bool(args, 'check') === true) {
    const ds = await readAuthorsDataset(folder);
    try {
      if (ds.kind === 'arc') await verifyTestSplit(ds);
      const { tasks, notes } = await authorsTasks(ds);
      const splits = Object.fromEntries(Object.entries(ds.splits).map(([k, s]) => [k, { groups: s.groupIndices.length - 1, puzzles: s.puzzleIdentifiers.length, examples: s.examples }]));
      const info = { folder: ds.folder, kind: ds.kind, seqLen: ds.seqLen, vocabSize: ds.vocabSize, numPuzzleIdentifiers: ds.numPuzzleIdentifiers, splits, tasks: tasks.length, evaluationTasks: ds.testPuzzles.length, notes };
      if (bool(args, 'json') === true) io.out(`${JSON.stringify(info)}\n`);
      else {
        io.out(`${ds.folder}: valid (${ds.kind === 'arc' ? 'ARC, 30×30' : `seq_len ${ds.seqLen}, vocab ${ds.vocabSize}`})\n`);
        io.out(`  ${ds.numPuzzleIdentifiers} puzzle identifiers; ${tasks.length} task(s), ${ds.testPuzzles.length} of them evaluation tasks\n`);
        for (const [k, s] of Object.entries(splits)) io.out(`  ${k}: ${s.groups} groups, ${s.puzzles} puzzles, ${s.examples} examples\n`);
        for (const n of notes) io.err(`note: ${n}\n`);
      }
    } finally {
      await ds.close();
    }
    return 0;
  }
  const lab = await openLab(resolveDataDir(str(args, 'data-dir')));
  let r;
  try {
    const abs = path.resolve(folder);
    await lab.grant(abs);
    const name = str(args, 'name');
    r = await lab.api.importAuthorsDataset({ folder: abs, ...(name !== undefined && { name }) });
  } finally {
    await lab.close();
  }
  if (bool(args, 'json') === true) io.out(`${JSON.stringify(r)}\n`);
  else {
    io.out(`imported ${r.loaded} task(s) into library dataset "${r.name}" (${r.datasetId}): ${r.evaluationTasks} evaluation, ${r.trainSplitTasks} from the train split\n`);
    for (const n of r.notes) io.err(`note: ${n}\n`);
  }
  return 0;
}
