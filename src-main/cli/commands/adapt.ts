// `puzzle-lab adapt`: learn puzzle-embedding rows for a task the checkpoint never trained on (network
// frozen, or also fine-tuned with --mode embedding+network), save them beside the run's checkpoints,
// and solve the task's test inputs with augmentation voting: the top-2 answers as coloured grids with
// their votes, and whether they match the known test output.

import type { AdaptProgress, AdaptResult } from '../../../src-shared/method/protocol';
import { getEncoding, type Encoding, type EncodingKind } from '../../../src-shared/puzzle/tokens';
import { bool, num, str, UsageError, type CommandSpec, type ParsedArgs } from '../../command-line/args';
import { withColourFlag, type Io } from '../io';
import { layoutGrids } from '../render';
import { loadOneTask } from '../tasks';
import { onCheckpoint, requestId } from '../on-checkpoint';
import { DATA_DIR_FLAG, resolveCheckpointTarget } from './checkpoint-path';

export const spec: CommandSpec = {
  name: 'adapt',
  summary:
    'Adapt a checkpoint to a task it never trained on: learn its puzzle embedding from the demonstrations\n' +
    '(under the run’s augmentations), save it with the checkpoint, and solve the test inputs by voting.',
  flags: {
    'data-dir': DATA_DIR_FLAG,
    checkpoint: { type: 'string', arg: 'DIR', help: 'checkpoint folder, a run folder or a lab run id (its newest checkpoint)' },
    task: { type: 'string', arg: 'FILE', help: 'ARC task file (.json) or folder' },
    'task-id': { type: 'string', arg: 'ID', help: 'task id when the file holds several tasks' },
    steps: { type: 'int', arg: 'N', help: 'optimizer steps on the embedding rows', defaultText: '192' },
    optimizer: { type: 'string', help: 'row optimizer', choices: ['sign-sgd', 'adam'], defaultText: 'sign-sgd' },
    mode: { type: 'string', help: 'train only the new rows, or also fine-tune the network (test-time training)', choices: ['embedding', 'embedding+network'], defaultText: 'embedding' },
    'network-steps': { type: 'int', arg: 'N', help: 'steps of the rows + network phase (embedding+network)', defaultText: 'steps/4' },
    lr: { type: 'number', arg: 'X', help: 'row learning rate', defaultText: 'the run’s puzzleEmbLr (sign-sgd) or 0.01 (adam)' },
    augmentations: { type: 'int', arg: 'K', help: 'augmented versions voting on each test input', defaultText: 'the run’s eval.augmentations' },
    seed: { type: 'int', arg: 'N', help: 'seed of the batch order and DIS targets', defaultText: '0' },
    force: { type: 'boolean', help: 'adapt again even if a saved adaptation with these settings exists' },
    json: { type: 'boolean', help: 'print the AdaptResult as JSON (no progress)' },
    color: { type: 'string', help: 'colour output', choices: ['auto', 'always', 'never'], defaultText: 'auto' },
  },
  examples: [
    'puzzle-lab adapt --checkpoint runs/my-run --task my-new-task.json',
    'puzzle-lab adapt --checkpoint runs/my-run --task edited.json --optimizer adam --steps 256 --augmentations 8',
  ],
};

function required(args: ParsedArgs, name: string): string {
  const v = str(args, name);
  if (v === undefined) throw new UsageError(`puzzle-lab adapt: --${name} is required; see --help`);
  return v;
}

/** The text report: settings, the answers of every test input with their votes, and pass@1/pass@2. */
export function formatAdaptResult(r: AdaptResult, enc: Encoding, colour: Io['colour'], columns: number): string {
  const a = r.adaptation;
  const out: string[] = [];
  out.push(
    r.reused
      ? `reused the saved adaptation in ${a.dir} (no training)`
      : `adapted ${a.versions} version(s) of task ${r.taskId} in ${a.steps} step(s)${a.networkSteps > 0 ? ` + ${a.networkSteps} with the network` : ''} (${a.optimizer}, ${a.mode}); saved to ${a.dir}`,
  );
  if (r.losses.length > 0) out.push(`loss ${r.losses[0]!.toFixed(4)} → ${r.losses[r.losses.length - 1]!.toFixed(4)}`);
  out.push(`demonstrations solved exactly after adaptation: ${(100 * a.demoExact).toFixed(1)}% (all versions)`, '');
  for (const t of r.tests) {
    const e = t.explanation;
    const items: Array<{ title: string; tokens: ArrayLike<number> }> = [];
    const encode = (g: number[][]): Int32Array => enc.encodeInput(g);
    if (e.expected) items.push({ title: 'expected', tokens: encode(e.expected) });
    e.candidates.slice(0, 2).forEach((c) => {
      const mark = c.correct === undefined ? '' : c.correct ? ' ✓' : ' ✗';
      items.push({ title: `#${c.rank} ${c.count}/${e.versions.length} votes${mark}`, tokens: encode(c.grid) });
    });
    const verdict = e.passAt1 === null ? 'test output unknown' : `pass@1 ${e.passAt1 ? 'yes' : 'no'}, pass@2 ${e.passAt2 ? 'yes' : 'no'}`;
    out.push(`test[${e.testIndex}]: ${verdict}; ${e.candidates.length} distinct answer(s) from ${e.versions.length} version(s)${e.noGrid.length > 0 ? `, ${e.noGrid.length} without a grid` : ''}`);
    if (items.length > 0) out.push(layoutGrids(items, enc.side, enc.kind, colour, columns));
    else out.push('(no version produced a grid)', '');
  }
  if (r.passAt1 !== null) out.push(`pass@1 ${(100 * r.passAt1).toFixed(1)}%  pass@2 ${(100 * r.passAt2!).toFixed(1)}%  (${r.ms} ms)`);
  else out.push(`(${r.ms} ms)`);
  return `${out.join('\n')}\n`;
}

export async function run(args: ParsedArgs, io0: Io): Promise<number> {
  const io = withColourFlag(io0, str(args, 'color'));
  const target = await resolveCheckpointTarget(required(args, 'checkpoint'), str(args, 'data-dir'));
  const checkpoint = target.checkpoint;
  const task = await loadOneTask(required(args, 'task'), str(args, 'task-id'));
  const json = bool(args, 'json') === true;
  // the grids are drawn in the checkpoint's own encoding (what its manifest records)
  const { readCheckpointMeta } = await import('../../engine/checkpoint-io');
  const recorded = ((await readCheckpointMeta(checkpoint)).meta as { encoding?: { kind?: EncodingKind; side?: number } } | null)?.encoding;
  if (recorded?.kind === undefined) throw new Error(`${checkpoint}: the checkpoint records no encoding`);
  const enc = getEncoding(recorded.kind, recorded.side);
  const optimizer = str(args, 'optimizer') as 'sign-sgd' | 'adam' | undefined;
  const mode = str(args, 'mode') as 'embedding' | 'embedding+network' | undefined;
  const opt = <T>(v: T | undefined, key: string): Record<string, T> => (v === undefined ? {} : { [key]: v });
  let lastPrinted = 0;
  const options = {
    ...opt(num(args, 'steps'), 'steps'),
    ...opt(optimizer, 'optimizer'),
    ...opt(mode, 'mode'),
    ...opt(num(args, 'network-steps'), 'networkSteps'),
    ...opt(num(args, 'lr'), 'lr'),
    ...opt(num(args, 'augmentations'), 'augmentations'),
    ...opt(num(args, 'seed'), 'seed'),
    ...opt(bool(args, 'force'), 'force'),
  };
  const onProgress = json
    ? undefined
    : (p: AdaptProgress): void => {
        if (io.isTTY) {
          const width = 30;
          const done = Math.round((width * p.step) / p.total);
          io.out(`\r[${'#'.repeat(done)}${' '.repeat(width - done)}] step ${p.step}/${p.total}  loss ${p.loss.toFixed(4)}`);
          if (p.step === p.total) io.out('\n');
        } else if (p.step === p.total || p.step - lastPrinted >= Math.max(1, Math.round(p.total / 8))) {
          lastPrinted = p.step;
          io.out(`step ${p.step}/${p.total}  loss ${p.loss.toFixed(4)}\n`);
        }
      };
  const result = await onCheckpoint(target, str(args, 'data-dir'), async (api, ref) => {
    const id = requestId();
    const unsubscribe = api.subscribe((e) => {
      if (e.type === 'adapt-progress' && e.requestId === id) onProgress?.(e);
    });
    try {
      return await api.adapt({ requestId: id, ...ref, task, ...options });
    } finally {
      unsubscribe();
    }
  });
  io.out(json ? `${JSON.stringify(result)}\n` : formatAdaptResult(result, enc, io.colour, io.columns));
  return 0;
}
