// Tiny configurations and a hand-built training set for engine tests.
import type { TrainingSet } from '../../../src-main/engine/data/training-set';
import { defaultRunConfig, type RunConfig } from '../../../src-shared/method/run-config';
import { Rng } from '../../../src-shared/prng';
import { getEncoding } from '../../../src-shared/puzzle/tokens';
import type { Method } from '../../../src-shared/method/methods';

/** A tiny run: D = 16, 1 layer, 2 heads, 2-token prefix, batch 4, no warm-up. */
export function tinyConfig(method: Method, model: Partial<RunConfig['model']> = {}, rest: Partial<RunConfig> = {}): RunConfig {
  const c = defaultRunConfig(method, 'tiny');
  return {
    ...c,
    model: { ...c.model, preset: 'custom', hidden: 16, layers: 1, heads: 2, expansion: 2, puzzleEmbLen: 2, puzzleEmbDim: 16, ...model },
    optimizer: { ...c.optimizer, lr: 1e-3, warmupSteps: 0 },
    batchSize: 4,
    backend: 'wasm',
    ...rest,
  };
}

/**
 * N-Queens-encoded side×side boards (3×3 unless told) (tokens 1/2, vocab 3): `tasks` groups of one version each with
 * `perVersion` random examples, puzzle ids 1..tasks (0 = blank stays unused).
 */
export function tinyTrainingSet(tasks = 3, perVersion = 2, seed = 1, side = 3): TrainingSet {
  const encoding = getEncoding('nqueens', side);
  const rng = new Rng(seed);
  const groups: TrainingSet['groups'] = [];
  const versionNames = ['<blank>'];
  for (let t = 0; t < tasks; t++) {
    versionNames.push(`task${t}`);
    const examples = Array.from({ length: perVersion }, () => ({
      inputs: Int32Array.from({ length: side * side }, () => rng.int(1, 2)),
      labels: Int32Array.from({ length: side * side }, () => rng.int(1, 2)),
      puzzleId: t + 1,
    }));
    groups.push({ taskId: `task${t}`, versions: [{ puzzleId: t + 1, examples }] });
  }
  return { encoding, numPuzzleIds: tasks + 1, versionNames, groups, totalExamples: tasks * perVersion };
}
