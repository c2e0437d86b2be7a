// Interactive inference on a checkpoint: one (possibly edited) task's test input through N_sup
// refinement steps, with the guidance readouts ℓ_u/ℓ_c of every step (see methods/rollout.ts for the
// exact choice) and optional voting over augmented versions.
//
// The puzzle embedding is looked up by task id: 'trained' when the checkpoint trained on this task id
// with these very demonstrations, 'trained-edited' when the id is known but its demonstrations changed
// (the learned vector is used, though it was learned from the old content), 'unseen' otherwise (a zero
// vector, which is what an untouched row of the table holds). N-Queens/Sudoku runs share one puzzle
// vector (id 0) for every board, so that vector is always used.
import * as tf from '@tensorflow/tfjs';
import { stablemaxProbs } from '../../src-shared/engine/guidance';
import type { InferRequest, InferResult, InferStep } from '../../src-shared/engine/protocol';
import { scoreVotes, VoteBook } from '../../src-shared/engine/voting';
import { Rng } from '../../src-shared/prng';
import { augmentGrid, deaugmentGrid, parseVersionName, type VersionTransform } from '../../src-shared/puzzle/augment';
import { IDENTITY_COLOURS, randomColourMap } from '../../src-shared/puzzle/colours';
import type { Grid } from '../../src-shared/puzzle/types';
import { ensureBackend } from './backend';
import { readCheckpoint } from './checkpoint-io';
import { usesBlankPuzzleIds } from './data/training-set';
import { rollout } from './methods/rollout';
import { gatherRows } from './methods/supervision-step';
import { encodingOf, parseMeta, restoreModel, taskFingerprint, type CheckpointMeta } from './state';

const round4 = (x: number): number => Math.round(x * 1e4) / 1e4;
const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/** Seed of the augmentations drawn for tasks the checkpoint never trained on. */
export const UNSEEN_AUGMENT_SEED = 1;

interface Version {
  transform: VersionTransform;
  /** puzzle id, or −1 for the zero vector */
  puzzleId: number;
}

/** How the task relates to the checkpoint, and the versions to run: the original first. */
export function inferenceVersions(meta: CheckpointMeta, task: InferRequest['task'], augmentations: number): { embedding: InferResult['embedding']; versions: Version[] } {
  const known = meta.fingerprints[task.id];
  const embedding: InferResult['embedding'] = known === undefined ? 'unseen' : known === taskFingerprint(task) ? 'trained' : 'trained-edited';
  const blank = usesBlankPuzzleIds(encodingOf(meta));
  const identity: VersionTransform = { dihedral: 0, colours: [...IDENTITY_COLOURS] };
  const originalId = blank ? 0 : embedding === 'unseen' ? -1 : meta.versionNames.indexOf(task.id);
  const versions: Version[] = [{ transform: identity, puzzleId: originalId }];
  if (augmentations <= 0) return { embedding, versions };
  if (!blank && embedding !== 'unseen') {
    // The task's own trained versions, whose puzzle vectors were learned with exactly these transforms.
    meta.versionNames.forEach((name, id) => {
      if (versions.length > augmentations || id === originalId || !name.includes('|||')) return;
      const v = parseVersionName(name);
      if (v.taskId === task.id) versions.push({ transform: { dihedral: v.dihedral, colours: v.colours }, puzzleId: id });
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
  const { embedding, versions } = inferenceVersions(meta, req.task, req.augmentations);
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

  const { net, table } = restoreModel(payload, meta, 'ema', req.checkpointDir);
  const steps: InferStep[] = [];
  const book = new VoteBook();
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
        if (st.step === config.model.Nsup && B > 1) {
          versions.forEach((v, b) => {
            const g: Grid | null = enc.decode(preds.subarray(b * S, (b + 1) * S));
            book.add(req.task.id, req.testIndex, g ? deaugmentGrid(g, v.transform) : null, sigmoid(q[b]!));
          });
        }
      },
    });
  } finally {
    tokens.dispose();
    rows?.dispose();
    net.dispose();
  }
  const votes =
    B > 1
      ? scoreVotes(book, [{ taskId: req.task.id, testIndex: req.testIndex, input: test.input, ...(test.output ? { output: test.output } : {}) }], config.method === 'trm' ? 'count-then-q' : 'count-then-first').tasks[0]
      : undefined;
  return {
    encoding: enc.kind,
    side: enc.side,
    vocab: V,
    input: Array.from(inputs.subarray(0, S)),
    ...(label ? { label } : {}),
    steps,
    embedding,
    ...(votes ? { votes } : {}),
    calls: net.counter.snapshot(),
    ms: Date.now() - started,
  };
}
