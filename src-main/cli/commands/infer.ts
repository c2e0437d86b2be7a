// `puzzle-lab infer`: the per-step predictions of a checkpoint on one test pair, drawn as coloured
// grids, with the label and per-step diff counts. --w re-decodes every step with the guidance weight
// w of DIS paper Eq. 5 (ℓ_w = (1−w)ℓ_u + wℓ_c; w = 1 is ordinary decoding).

import { advantageMargin, decodeGuided } from '../../../src-shared/method/guidance';
import { bool, num, str, UsageError, type CommandSpec, type ParsedArgs } from '../../command-line/args';
import { withColourFlag, type Io } from '../io';
import { layoutGrids } from '../render';
import { loadOneTask } from '../tasks';
import { onCheckpoint } from '../on-checkpoint';
import { DATA_DIR_FLAG, resolveCheckpointTarget } from './checkpoint-path';

export const spec: CommandSpec = {
  name: 'infer',
  summary: 'Run a checkpoint on one test pair of a task and show its prediction at every refinement step.',
  usage: '<checkpoint> <task-file>',
  positionals: ['checkpoint', 'task-file'],
  flags: {
    'data-dir': DATA_DIR_FLAG,
    task: { type: 'string', arg: 'ID', help: 'task id when the file holds several tasks' },
    'test-index': { type: 'int', arg: 'N', help: 'which test pair', defaultText: '0' },
    w: { type: 'number', arg: 'X', help: 'guidance weight for decoding (Eq. 5)', defaultText: '1' },
    augmentations: { type: 'int', arg: 'N', help: 'augmented versions to vote over', defaultText: '0' },
    json: { type: 'boolean', help: 'print the InferResult as JSON' },
    color: { type: 'string', help: 'colour output', choices: ['auto', 'always', 'never'], defaultText: 'auto' },
  },
  examples: ['puzzle-lab infer runs/my-run data/007bbfb7.json --test-index 0 --w 1.5'],
};

export async function run(args: ParsedArgs, io0: Io): Promise<number> {
  const io = withColourFlag(io0, str(args, 'color'));
  const [ckptArg, fileArg] = args.positionals as [string, string];
  const target = await resolveCheckpointTarget(ckptArg, str(args, 'data-dir'));
  const task = await loadOneTask(fileArg, str(args, 'task'));
  const testIndex = num(args, 'test-index') ?? 0;
  if (task.test[testIndex] === undefined) throw new UsageError(`task ${task.id} has ${task.test.length} test pair(s); --test-index ${testIndex} does not exist`);
  const w = num(args, 'w') ?? 1;
  const augmentations = num(args, 'augmentations') ?? 0;
  const r = await onCheckpoint(target, str(args, 'data-dir'), (api, ref) => api.infer({ ...ref, task, testIndex, augmentations }));
  if (bool(args, 'json') === true) {
    io.out(`${JSON.stringify(r)}\n`);
    return 0;
  }
  const steps = r.steps.map((s) => (w === 1 ? s.tokens : Array.from(decodeGuided(s.lu, s.lc, w, r.vocab).tokens)));
  io.out(`task ${task.id} test[${testIndex}] — ${r.encoding} ${r.side}×${r.side}, ${r.steps.length} steps, embedding ${r.embedding}, w = ${w}, ${r.ms} ms\n\n`);
  const items = [{ title: 'input', tokens: r.input }];
  if (r.label !== undefined) items.push({ title: 'label', tokens: r.label });
  steps.forEach((t, i) => items.push({ title: `step ${i + 1}`, tokens: t }));
  io.out(layoutGrids(items, r.side, r.encoding, io.colour, io.columns));
  const label = r.label;
  io.out(label !== undefined ? 'step  changed  wrong  adv-margin\n' : 'step  changed\n');
  steps.forEach((t, i) => {
    const prev = i > 0 ? (steps[i - 1] as number[]) : r.input;
    let changed = 0;
    for (let j = 0; j < t.length; j++) if (t[j] !== prev[j]) changed++;
    let line = `${String(i + 1).padStart(4)}  ${String(changed).padStart(7)}`;
    if (label !== undefined) {
      let wrong = 0;
      for (let j = 0; j < t.length; j++) if (label[j] !== -100 && t[j] !== label[j]) wrong++;
      const s = r.steps[i] as (typeof r.steps)[number];
      const m = advantageMargin(s.lu, s.lc, label, w, r.vocab);
      line += `  ${String(wrong).padStart(5)}  ${(m.count > 0 ? m.sum / m.count : 0).toFixed(4).padStart(10)}`;
    }
    io.out(`${line}\n`);
  });
  if (r.votes !== undefined) {
    io.out(`\nvoting over augmentations: pass@1 ${r.votes.passAt1 ? 'yes' : 'no'}, pass@2 ${r.votes.passAt2 ? 'yes' : 'no'}, top votes ${r.votes.votes.join('/')}\n`);
  }
  return 0;
}
