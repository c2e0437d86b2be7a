// Interactive inference on a checkpoint: one (possibly edited) task's test input through N_sup
// refinement steps, with the guidance readouts ℓ_u/ℓ_c of every step (see methods/inference.ts for the
// exact choice) and optional voting over augmented versions.
//
// The puzzle embedding is looked up by the task's demonstrations (what it was learned from): 'trained'
// when the checkpoint trained on these very demonstrations (under this id or another), 'trained-edited'
// when they were trained but this test input was edited (the learned vector still applies), 'adapted'
// when they were never trained but adaptTask saved rows for them with this checkpoint (those rows, and
// its fine-tuned weights if any, are used), 'unseen' otherwise (a zero vector, which is what an
// untouched row of the table holds). N-Queens/Sudoku runs share one trained puzzle vector (id 0) for
// every board, so that vector is always used ('trained').
import * as tf from '@tensorflow/tfjs';
import { stablemaxProbs } from '../../src-shared/method/guidance';
import type { InferRequest, InferResult, InferStep } from '../../src-shared/method/protocol';
import { Rng } from '../../src-shared/prng';
import { augmentGrid, deaugmentGrid, parseVersionName, type VersionTransform } from '../../src-shared/puzzle/augment';
import { IDENTITY_COLOURS, randomColourMap } from '../../src-shared/puzzle/colours';
import type { Grid } from '../../src-shared/puzzle/types';
import { ensureBackend } from './backend';
import { explainVotes, type VersionPrediction } from './adaptation/explain';
import { restoreAdapted } from './adaptation/restore';
import { adaptationInfo, findAdaptation, trainedRelation, type Adaptation } from './adaptation/store';
import { readCheckpoint, readCheckpointMeta } from './checkpoint-io';
import { usesBlankPuzzleIds } from './data/training-set';
import { rollout } from './methods/inference';
import { gatherRows } from './methods/executor';
import { encodingOf, parseMeta, restoreModel, type CheckpointMeta } from './checkpoint-state';

const round4 = (x: number): number => Math.round(x * 1e4) / 1e4;
const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/** Seed of the augmentations drawn for tasks the checkpoint never trained on. */
export const UNSEEN_AUGMENT_SEED = 1;

interface Version {
  transform: VersionTransform;
  /** puzzle id, or −1 for the zero vector */
  puzzleId: number;
}

/**
 * How the task's test input `testIndex` relates to the checkpoint, and the versions to run: the
 * original first. With an adaptation (only passed for never-trained demonstrations), the versions are
 * the adapted ones and puzzleId indexes the adaptation's rows.
 */
export function inferenceVersions(
  meta: CheckpointMeta,
  task: InferRequest['task'],
  augmentations: number,
  testIndex = 0,
  adaptation: Pick<Adaptation, 'meta'> | null = null,
): { embedding: InferResult['embedding']; versions: Version[] } {
  const blank = usesBlankPuzzleIds(encodingOf(meta));
  const { trainedTaskId, editedTests } = trainedRelation(meta, task);
  const trained = trainedTaskId !== null || blank;
  const embedding: InferResult['embedding'] = trained ? (editedTests.includes(testIndex) ? 'trained-edited' : 'trained') : adaptation ? 'adapted' : 'unseen';
  if (embedding === 'adapted' && adaptation) {
    const versions = adaptation.meta.versions.slice(0, 1 + Math.max(0, augmentations)).map((v, i) => ({ transform: { dihedral: v.dihedral, colours: [...v.colours] }, puzzleId: i }));
    return { embedding, versions };
  }
  const identity: VersionTransform = { dihedral: 0, colours: [...IDENTITY_COLOURS] };
  const originalId = blank ? 0 : trainedTaskId === null ? -1 : meta.versionNames.indexOf(trainedTaskId);
  const versions: Version[] = [{ transform: identity, puzzleId: originalId }];
  if (augmentations <= 0) return { embedding, versions };
  if (!blank && trainedTaskId !== null) {
    // The task's own trained versions, whose puzzle vectors were learned with exactly these transforms.
    meta.versionNames.forEach((name, id) => {
      if (versions.length > augmentations || id === originalId || !name.includes('|||')) return;
      const v = parseVersionName(name);
      if (v.taskId === trainedTaskId) versions.push({ transform: { dihedral: v.dihedral, colours: v.colours }, puzzleId: id });
    });
    return { embedding, versions };
  }
  // Boards keep their digits/cells (dihedral symmetries only); unseen ARC tasks also permute colours.
  const rng = new Rng(UNSEEN_AUGMENT_SEED);
  const seen = new Set<string>(['0|0123456789']);
  for (let tries = 0; versions.length <= augmentations && tries < 50 * (augmentations + 1); tries++) {
    const dihedral = rng.int(0, 7);
    const colours = blank ? [...IDENTITY_COLOURS] : randomColourMap(rng);
    const key = `${dihedral}|${colours.join('')}`;
    if (seen.has(key)) continue;
    seen.add(key);
    versions.push({ transform: { dihedral, colours }, puzzleId: blank ? 0 : -1 });
  }
  return { embedding, versions };
}

export async function runInference(req: InferRequest): Promise<InferResult> {
  const started = Date.now();
  await ensureBackend();
  const payload = await readCheckpoint(req.checkpointDir);
  const meta = parseMeta(payload.meta, req.checkpointDir);
  const config = meta.config;
  const enc = encodingOf(meta);
  const test = req.task.test[req.testIndex];
  if (!test) throw new Error(`task ${req.task.id} has no test pair ${req.testIndex} (it has ${req.task.test.length})`);
  let adaptation: Adaptation | null = null;
  const relation = trainedRelation(meta, req.task);
  if (!usesBlankPuzzleIds(enc) && relation.trainedTaskId === null) {
    adaptation = await findAdaptation(req.checkpointDir, await readCheckpointMeta(req.checkpointDir), relation.fingerprint, true);
  }
  const { embedding, versions } = inferenceVersions(meta, req.task, req.augmentations, req.testIndex, adaptation);
  const S = enc.seqLen;
  const V = enc.vocab;
  const B = versions.length;
  const inputs = new Int32Array(B * S);
  versions.forEach((v, b) => {
    try {
      inputs.set(enc.encodeInput(augmentGrid(test.input, v.transform)), b * S);
    } catch (e) {
      throw new Error(`task ${req.task.id} test ${req.testIndex} input: ${(e as Error).message}`);
    }
  });
  const label = test.output ? Array.from(enc.encodeLabel(test.output)) : undefined;

  const { net, table } = adaptation ? restoreAdapted(payload, meta, adaptation, req.checkpointDir) : restoreModel(payload, meta, 'ema', req.checkpointDir);
  const steps: InferStep[] = [];
  const predictions: VersionPrediction[] = [];
  const tokens = tf.tensor2d(inputs, [B, S], 'int32');
  const rows = gatherRows(table, Int32Array.from(versions, (v) => v.puzzleId));
  const probs = new Float32Array(V);
  try {
    await rollout(net, config, tokens, rows, {
      withLu: true,
      onStep: async (st) => {
        const [lc, lu, preds, q] = await Promise.all([st.logits.data(), st.lu!.data(), st.preds.data(), st.qHalt.data()]);
        const confidence = new Array<number>(S);
        for (let i = 0; i < S; i++) {
          stablemaxProbs(lc, i * V, V, probs);
          confidence[i] = Math.round((probs[preds[i]!] ?? 0) * 1000) / 1000;
        }
        steps.push({
          lu: Array.from(lu.subarray(0, S * V), round4),
          lc: Array.from(lc.subarray(0, S * V), round4),
          tokens: Array.from(preds.subarray(0, S)),
          confidence,
          ...(config.method === 'trm' ? { qHalt: round4(sigmoid(q[0]!)) } : {}),
        });
        if (st.step === config.model.Nsup && req.augmentations > 0) {
          versions.forEach((v, b) => {
            const g: Grid | null = enc.decode(preds.subarray(b * S, (b + 1) * S));
            predictions.push({ transform: v.transform, grid: g ? deaugmentGrid(g, v.transform) : null, q: sigmoid(q[b]!) });
          });
        }
      },
    });
  } finally {
    tokens.dispose();
    rows?.dispose();
    net.dispose();
  }
  // The same VoteBook ranking and scoring as the evaluation, with every version's vote laid open.
  const voted =
    req.augmentations > 0 ? explainVotes({ taskId: req.task.id, testIndex: req.testIndex, input: test.input, ...(test.output ? { output: test.output } : {}) }, config.method, predictions) : undefined;
  return {
    encoding: enc.kind,
    side: enc.side,
    vocab: V,
    input: Array.from(inputs.subarray(0, S)),
    ...(label ? { label } : {}),
    steps,
    embedding,
    ...(voted ? { votes: voted.result, explanation: voted.explanation } : {}),
    ...(adaptation ? { adaptation: adaptationInfo(adaptation) } : {}),
    calls: net.counter.snapshot(),
    ms: Date.now() - started,
  };
}
