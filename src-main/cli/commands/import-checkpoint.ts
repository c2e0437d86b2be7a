// `puzzle-lab import-checkpoint`: an authors' PyTorch checkpoint (pretrain.py's step_N, or a
// .safetensors) becomes a completed run in the lab's library (the app's data folder), where the run
// view, compare, playground, vote view and adaptation open it like any other run. The import is the
// lab API's importCheckpoint, through the lab holding the data directory (lab.ts); --dataset pairs the
// run with the authors' folder as a library dataset (imported with importAuthorsDataset unless it was
// before), whose kept identifiers match every puzzle row to its task version, as in the app.
// --inspect is the lab's inspectCheckpoint (it writes nothing). --out touches no lab: it writes a
// bare run folder for `puzzle-lab infer/eval/adapt <folder>` here, with the pipeline the lab uses.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { CheckpointOverrides } from '../../../src-shared/api/contract';
import { METHODS, type Method } from '../../../src-shared/method/methods';
import { importCheckpoint, NeedsConfirmationError, type PairedDataset } from '../../pipeline/import-checkpoint';
import { identifiersRefOf } from '../../pipeline/authors-dataset/identifiers-store';
import { readPairedDataset } from '../../pipeline/paired-dataset';
import { resolveDataDir } from '../../service/data-dir';
import { bool, num, str, UsageError, type CommandSpec, type ParsedArgs } from '../../command-line/args';
import type { Io } from '../io';
import { openLab } from '../lab';

export const spec: CommandSpec = {
  name: 'import-checkpoint',
  summary: "Import the authors' PyTorch checkpoint (TRM, DIS or HRM) (step_N from pretrain.py, or .safetensors) as a run in the lab.",
  usage: '<step_N>',
  positionals: ['checkpoint'],
  flags: {
    dataset: { type: 'string', arg: 'DIR', help: "the authors' dataset folder the checkpoint trained on (build_arc_dataset.py output)" },
    T: { type: 'int', arg: 'N', help: 'outer cycles T (H_cycles) when there is no all_config.yaml beside the checkpoint' },
    n: { type: 'int', arg: 'N', help: 'latent updates n (L_cycles), likewise' },
    nsup: { type: 'int', arg: 'N', help: 'supervision steps N_sup (halt_max_steps), likewise' },
    heads: { type: 'int', arg: 'N', help: 'attention heads (num_heads): the weights do not tell' },
    method: { type: 'string', help: 'TRM (ACTV1), DIS (ACTV5) or HRM (HierarchicalReasoningModel_ACTV1), when the file does not tell', choices: METHODS },
    'puzzle-emb-len': { type: 'int', arg: 'N', help: 'puzzle-prefix positions (puzzle_emb_len)', defaultText: 'all_config.yaml, else 16' },
    canvas: { type: 'int', arg: 'N', help: 'ARC canvas side', defaultText: '30 (900 tokens)' },
    side: { type: 'int', arg: 'N', help: 'N-Queens board side', defaultText: '8' },
    'pos-encodings': {
      type: 'string',
      help: "positional encoding (arch.pos_encodings) when there is no all_config.yaml: RoPE and none leave no key (learned ones are read from embed_pos)",
      choices: ['rope', 'none', 'learned'],
      defaultText: 'rope',
    },
    name: { type: 'string', arg: 'TEXT', help: 'run name' },
    'pair-dataset': { type: 'string', arg: 'ID', help: 'library dataset the run is shown with (default: your own puzzles)' },
    'data-dir': { type: 'string', arg: 'DIR', help: 'the lab data folder', defaultText: '$PUZZLE_LAB_DATA_DIR or ~/.puzzle-lab' },
    out: { type: 'string', arg: 'DIR', help: 'write a run folder here instead of adding the run to the library (needs --tasks)' },
    tasks: { type: 'string', arg: 'PATH', help: 'with --out: the ARC file or folder the run is paired with' },
    inspect: { type: 'boolean', help: 'only say what the checkpoint holds; import nothing' },
    json: { type: 'boolean', help: 'print the result as JSON' },
  },
  examples: [
    'puzzle-lab import-checkpoint checkpoints/Arc1concept-aug-1000-ACT-torch/run/step_518071',
    'puzzle-lab import-checkpoint model.safetensors --heads 8 --T 3 --n 4 --nsup 16 --method trm',
    'puzzle-lab import-checkpoint step_5000 --inspect',
  ],
};

function overridesOf(args: ParsedArgs): CheckpointOverrides {
  const o: CheckpointOverrides = {};
  const set = <K extends keyof CheckpointOverrides>(k: K, v: CheckpointOverrides[K] | undefined): void => {
    if (v !== undefined) o[k] = v;
  };
  set('T', num(args, 'T'));
  set('n', num(args, 'n'));
  set('Nsup', num(args, 'nsup'));
  set('heads', num(args, 'heads'));
  set('method', str(args, 'method') as Method | undefined);
  set('puzzleEmbLen', num(args, 'puzzle-emb-len'));
  set('canvas', num(args, 'canvas'));
  set('side', num(args, 'side'));
  set('posEncodings', str(args, 'pos-encodings') as CheckpointOverrides['posEncodings']);
  return o;
}

function describe(a: { architecture: import('../../../src-shared/api/contract').ImportedArchitecture }): string[] {
  const x = a.architecture;
  const src = (k: string): string => (x.sources[k] ? ` (${x.sources[k]})` : '');
  return [
    `method     ${x.method.toUpperCase()}${src('method')}${x.archName ? ` — ${x.archName}` : ''}`,
    `network    hidden ${x.hidden}, ${x.hLayers !== undefined ? `${x.layers} L-level + ${x.hLayers} H-level` : x.layers} layer(s), ${x.mixer === 'mlp_t' ? 'MLP-mixer over positions (mlp_t)' : `${x.heads || '?'} heads${src('heads')}`}, expansion ${x.expansion} (SwiGLU ${x.inner}), vocab ${x.vocab}`,
    `positions  ${x.posEncodings}${src('posEncodings')}`,
    `recursion  T ${x.T || '?'}${src('T')}, n ${x.n || '?'}${src('n')}, N_sup ${x.Nsup || '?'}${src('Nsup')}`,
    `puzzles    ${x.puzzleRows} × ${x.puzzleEmbDim} embedding table, prefix ${x.puzzleEmbLen}${src('puzzleEmbLen')}`,
    `encoding   ${x.encoding.kind} ${x.encoding.side}×${x.encoding.side} (${x.encoding.seqLen} tokens)${src('seqLen')}`,
    ...x.notes.map((n) => `note       ${n}`),
  ];
}

export async function run(args: ParsedArgs, io: Io): Promise<number> {
  const [fileArg] = args.positionals as [string];
  const file = path.resolve(fileArg);
  const overrides = overridesOf(args);
  const json = bool(args, 'json') === true;
  if (bool(args, 'inspect') === true) {
    // the lab's inspectCheckpoint (it writes nothing), so the CLI and the app's import dialog say the same
    const lab = await openLab(resolveDataDir(str(args, 'data-dir')));
    let r;
    try {
      await lab.grant(file);
      r = await lab.api.inspectCheckpoint({ source: { kind: 'path', path: file }, overrides });
    } finally {
      await lab.close();
    }
    if (json) io.out(`${JSON.stringify(r)}\n`);
    else {
      io.out(`${r.file}: ${r.format}, ${r.keys} tensors, step ${r.step}${r.allConfig ? `, config ${r.allConfig}` : ', no all_config.yaml beside it'}\n`);
      for (const l of describe(r)) io.out(`  ${l}\n`);
      if (r.architecture.unresolved.length > 0) io.out(`  still to confirm: ${r.architecture.unresolved.join(', ')} (--heads, --T, --n, --nsup)\n`);
    }
    return 0;
  }
  const datasetArg = str(args, 'dataset');
  const name = str(args, 'name');
  const out = str(args, 'out');
  try {
    if (out !== undefined) {
      const dataset: PairedDataset | null = datasetArg === undefined ? null : await readPairedDataset(path.resolve(datasetArg));
      const tasks = str(args, 'tasks');
      if (tasks === undefined) throw new UsageError('--out needs --tasks <ARC file or folder>: the tasks the run folder is paired with');
      const runDir = path.resolve(out);
      await mkdir(path.dirname(runDir), { recursive: true });
      const r = await importCheckpoint({
        file,
        runDir,
        overrides,
        dataset,
        dataSource: { kind: 'file', path: path.resolve(tasks) },
        ...(name !== undefined ? { name } : {}),
      });
      if (json) io.out(`${JSON.stringify({ runDir: r.runDir, checkpoint: r.checkpointDir, step: r.step, config: r.config })}\n`);
      else {
        io.out(`imported ${file} (step ${r.step}, sha256 ${r.sha256.slice(0, 12)}…) into ${r.runDir}\n`);
        for (const l of describe(r)) io.out(`  ${l}\n`);
        io.out(`try: puzzle-lab infer ${r.runDir} <task.json>\n`);
      }
      return 0;
    }
    const pairDataset = str(args, 'pair-dataset');
    if (datasetArg !== undefined && pairDataset !== undefined) throw new UsageError('puzzle-lab import-checkpoint: give --dataset (the authors\' folder, imported with the run) or --pair-dataset (a library dataset), not both');
    const lab = await openLab(resolveDataDir(str(args, 'data-dir')));
    let r;
    try {
      await lab.grant(file);
      let pairWith = pairDataset;
      if (datasetArg !== undefined) {
        const folder = path.resolve(datasetArg);
        // a folder imported before pairs with that library dataset (its kept identifiers); else it is imported now
        const source = path.join(folder, 'identifiers.json');
        const before = (await lab.api.listDatasets()).find((d) => identifiersRefOf(d.provenance)?.source === source);
        if (before !== undefined) pairWith = before.id;
        else {
          await lab.grant(folder);
          pairWith = (await lab.api.importAuthorsDataset({ folder })).datasetId;
        }
      }
      const run = await lab.api.importCheckpoint({
        source: { kind: 'path', path: file },
        overrides,
        ...(name !== undefined && { name }),
        ...(pairWith !== undefined && { pair: { kind: 'dataset' as const, datasetId: pairWith } }),
      });
      r = { dataDir: lab.dataDir, run };
    } finally {
      await lab.close();
    }
    if (json) io.out(`${JSON.stringify(r)}\n`);
    else {
      io.out(`imported ${file} as run ${r.run.id} "${r.run.name}" (${r.run.method.toUpperCase()}, step ${r.run.step}) in ${r.dataDir}\n`);
      io.out('open the lab (npm start, or npm run serve) to see it in Runs, the playground and the vote view\n');
    }
    return 0;
  } catch (e) {
    if (e instanceof NeedsConfirmationError) throw new UsageError(e.message);
    throw e;
  }
}
