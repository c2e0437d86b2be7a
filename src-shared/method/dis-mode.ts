// The DIS presets and the rule that names a run's DIS mode: the official code's behaviour
// (docs/method-notes.md#dis, the default), the paper's description (docs/method-notes.md#paper-and-code), or a custom mix. Run setup
// in the app, the CLI and the service all use this one rule, so a run's recorded mode means the same
// wherever it was started.
import type { DisOptions } from './run-config';

/** The official code: the previous step's prediction as x, reveal-path targets over every input≠label position, equal step weights. */
export const DIS_CODE: DisOptions = { xSource: 'prediction', targets: 'reveal', eligibility: 'code', stepWeights: 'uniform' };
/** The paper's description: mask y*, the original input each step, linearly increasing step weights. */
export const DIS_PAPER: DisOptions = { xSource: 'original', targets: 'mask', eligibility: 'label-only', stepWeights: 'linear' };

/** Which preset the options are, or 'custom'. */
export function disMode(o: DisOptions): 'code' | 'paper' | 'custom' {
  const same = (a: DisOptions, b: DisOptions) => a.xSource === b.xSource && a.targets === b.targets && a.eligibility === b.eligibility && a.stepWeights === b.stepWeights;
  return same(o, DIS_CODE) ? 'code' : same(o, DIS_PAPER) ? 'paper' : 'custom';
}
