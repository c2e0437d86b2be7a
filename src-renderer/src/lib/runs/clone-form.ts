// "Run again with changes": a run's config back as the run-setup form, so a cancelled, failed or
// finished run can be cloned with edits. Sources the form cannot express (N-Queens, Sudoku, a file)
// are refused with the reason, unless the run's recipe brings them.
import { RECIPES } from '../../../../src-shared/method/recipes';
import type { RunConfig } from '../../../../src-shared/method/run-config';
import { defaultForm, type SetupForm, type SetupSource } from './config-build';

/** The run's name without the "TRM · " prefix run setup adds. */
function baseName(c: RunConfig): string {
  return c.name.replace(/^(TRM|DIS|HRM) · /, '');
}

export function formFromConfig(c: RunConfig): SetupForm {
  const recipe = c.recipe?.id ?? null;
  const s = c.data.source;
  let source: SetupSource;
  if (s.kind === 'family') source = { ...s };
  else if (s.kind === 'library') source = { kind: 'library', taskIds: [...s.taskIds] };
  else if (s.kind === 'dataset') source = { kind: 'dataset', datasetId: s.datasetId };
  else if (recipe !== null && RECIPES[recipe].fixesData) source = defaultForm().source;
  else throw new Error(`this run reads its tasks from ${s.kind === 'file' ? `a file (${s.path})` : `generated ${s.kind} boards`}, which run setup cannot choose; clone it from the command line`);
  const rec = { T: c.model.T, n: c.model.n, Nsup: c.model.Nsup };
  const base = defaultForm();
  return {
    ...base,
    recipe,
    method: c.method,
    name: `${baseName(c)} (again)`,
    preset: c.model.preset,
    hidden: c.model.hidden,
    layers: c.model.layers,
    hLayers: c.model.hLayers ?? base.hLayers,
    heads: c.model.heads,
    mixer: c.model.mixer,
    posEncodings: c.model.posEncodings,
    trm: c.method === 'trm' ? rec : base.trm,
    dis: c.method === 'dis' ? rec : base.dis,
    hrm: c.method === 'hrm' ? rec : base.hrm,
    disOptions: { ...c.dis },
    source,
    canvas: c.data.canvas,
    augmentations: c.data.augmentations,
    translate: c.data.translate,
    steps: c.budget.optimizerSteps,
    evalInterval: c.eval.interval,
    evalAugmentations: c.eval.augmentations,
    batchSize: c.batchSize,
    lr: c.optimizer.lr,
    warmup: c.optimizer.warmupSteps,
    emaDecay: c.optimizer.emaDecay,
    snapshotInterval: c.snapshotInterval,
    probes: c.probes,
    seed: c.seed,
    workers: c.workers,
  };
}
