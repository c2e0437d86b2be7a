// Evaluation (docs/method-notes.md#evaluation, #evaluation-and-voting) and the probe snapshots of the training view.
//
// Every evaluated example (a test pair in its original version plus eval.augmentations augmented
// versions) runs N_sup refinement steps from a fresh carry, as one batched pass per step (chunked to
// the batch size): TRM without halting (N_sup = 16 at the faithful setting), DIS with re-feeding.
// The last step's prediction is decoded (the ARC crop), de-augmented and voted per test pair, ranked
// count-then-q for TRM (q = sigmoid(q_halt) of the last step) and count-then-first for DIS (method notes, "Evaluation and voting").
// Per refinement step the report has token and exact accuracy against the labels, the Advantage Margin
// of Prop. 4.1 at w = 1 over supervised cells, and for N-Queens/Sudoku the validity of the boards.
import * as tf from '@tensorflow/tfjs';
import { batchFrames, getTargetGenerator } from '../../src-shared/method/targets';
import { advantageMargin, stablemaxProbs } from '../../src-shared/method/guidance';
import type { EvalReport, ProbeSnapshot, StepMetric } from '../../src-shared/method/protocol';
import type { RunConfig } from '../../src-shared/method/run-config';
import { scoreVotes, VoteBook } from '../../src-shared/method/voting';
import { isValidQueensBoard } from '../../src-shared/generators/nqueens';
import { isValidSudokuSolution } from '../../src-shared/generators/sudoku-solver';
import { Rng } from '../../src-shared/prng';
import { deaugmentGrid } from '../../src-shared/puzzle/augment';
import { IGNORE, type Encoding } from '../../src-shared/puzzle/tokens';
import { CallCounter } from './counters';
import type { EvalExample, EvalSet } from './data/training-set';
import { rollout } from './methods/inference';
import { gatherRows } from './methods/executor';
import type { PuzzleTable } from './model/puzzle-table';
import type { TrmNet } from './model/trm';

export interface EvalOptions {
  /** evaluate only the first this many tasks (0 = all) */
  maxTasks: number;
  /** votes; the caller clears it per evaluation (config.eval.clearVotes) or lets it accumulate */
  book: VoteBook;
  /** rows per batched pass */
  maxBatch: number;
}

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/** Whether a predicted board solves the puzzle: a valid complete board that keeps the input's givens. */
export function boardIsValid(enc: Encoding, input: ArrayLike<number>, pred: ArrayLike<number>): boolean {
  const g = enc.decode(pred);
  const given = enc.decode(input);
  if (!g || !given) return false;
  const keepsGivens = given.every((row, r) => row.every((v, c) => v === 0 || g[r]![c] === v));
  if (!keepsGivens) return false;
  if (enc.kind === 'nqueens') {
    const check = isValidQueensBoard(g);
    return check.valid && check.complete;
  }
  if (enc.kind === 'sudoku') return isValidSudokuSolution(g);
  return false;
}

/** The examples and test pairs of the first maxTasks tasks. */
function selectTasks(set: EvalSet, maxTasks: number): { examples: EvalExample[]; tests: EvalSet['tests'] } {
  if (maxTasks <= 0) return { examples: set.examples, tests: set.tests };
  const keep = new Set<string>();
  for (const t of set.tests) {
    if (keep.size >= maxTasks && !keep.has(t.taskId)) break;
    keep.add(t.taskId);
  }
  return { examples: set.examples.filter((e) => keep.has(e.taskId)), tests: set.tests.filter((t) => keep.has(t.taskId)) };
}

interface StepTally {
  tokenHits: number;
  tokens: number;
  exactHits: number;
  rows: number;
  amSum: number;
  amCount: number;
  valid: number;
  boards: number;
}

/** Evaluates `net` (pass the EMA view when EMA is on) on an evaluation set. */
export async function evaluateModel(net: TrmNet, table: Pick<PuzzleTable, 'gather' | 'dim'> | null, config: RunConfig, set: EvalSet, step: number, o: EvalOptions): Promise<EvalReport> {
  const enc = set.encoding;
  const S = enc.seqLen;
  const V = enc.vocab;
  const Nsup = config.model.Nsup;
  const { examples, tests } = selectTasks(set, o.maxTasks);
  const counter = new CallCounter();
  const view = net.withWeights(net.weights, counter);
  const boards = enc.kind !== 'arc';
  // Every example of a chunk goes through each batched call: calls per example = Σ calls·rows / examples.
  let exampleCalls = 0;
  const tallies: StepTally[] = Array.from({ length: Nsup }, () => ({ tokenHits: 0, tokens: 0, exactHits: 0, rows: 0, amSum: 0, amCount: 0, valid: 0, boards: 0 }));

  for (let start = 0; start < examples.length; start += o.maxBatch) {
    const chunk = examples.slice(start, start + o.maxBatch);
    const B = chunk.length;
    const inputs = new Int32Array(B * S);
    const labels = new Int32Array(B * S).fill(IGNORE);
    chunk.forEach((e, b) => {
      inputs.set(e.inputs, b * S);
      if (e.labels) labels.set(e.labels, b * S);
    });
    const tokens = tf.tensor2d(inputs, [B, S], 'int32');
    const rows = gatherRows(table, Int32Array.from(chunk, (e) => e.puzzleId));
    const callsBefore = counter.total();
    try {
      await rollout(view, config, tokens, rows, {
        withLu: true,
        onStep: async (st) => {
          const [lc, lu, preds, q] = await Promise.all([st.logits.data(), st.lu!.data(), st.preds.data(), st.qHalt.data()]);
          const tally = tallies[st.step - 1]!;
          const am = advantageMargin(lu, lc, labels, 1, V);
          tally.amSum += am.sum;
          tally.amCount += am.count;
          for (let b = 0; b < B; b++) {
            const e = chunk[b]!;
            const rowPreds = preds.subarray(b * S, (b + 1) * S);
            if (e.labels) {
              let hits = 0;
              let count = 0;
              for (let i = 0; i < S; i++) {
                const y = e.labels[i]!;
                if (y < 0 || y >= V) continue;
                count++;
                if (rowPreds[i] === y) hits++;
              }
              tally.tokenHits += hits;
              tally.tokens += count;
              tally.exactHits += hits === count ? 1 : 0;
              tally.rows++;
            }
            if (boards) {
              tally.boards++;
              if (boardIsValid(enc, e.inputs, rowPreds)) tally.valid++;
            }
            if (st.step === Nsup) {
              const grid = enc.decode(rowPreds);
              o.book.add(e.taskId, e.testIndex, grid ? deaugmentGrid(grid, { dihedral: e.dihedral, colours: e.colours }) : null, sigmoid(q[b]!));
            }
          }
        },
      });
    } finally {
      tokens.dispose();
      rows?.dispose();
    }
    exampleCalls += (counter.total() - callsBefore) * B;
  }

  const score = scoreVotes(o.book, tests, config.method === 'trm' ? 'count-then-q' : 'count-then-first');
  const versions = 1 + config.eval.augmentations;
  const passAtK: Record<string, number> = {};
  for (const [k, v] of Object.entries(score.passAtK)) if (Number(k) <= versions) passAtK[k] = v;
  const perStep: StepMetric[] = tallies.map((t, i) => ({
    step: i + 1,
    tokenAccuracy: t.tokens > 0 ? t.tokenHits / t.tokens : 0,
    exactAccuracy: t.rows > 0 ? t.exactHits / t.rows : 0,
    advantageMargin: t.amCount > 0 ? t.amSum / t.amCount : 0,
    ...(boards ? { validity: t.boards > 0 ? t.valid / t.boards : 0 } : {}),
  }));
  return {
    step,
    passAt1: score.passAt1,
    passAt2: score.passAt2,
    passAtK,
    perStep,
    tasks: score.tasks,
    callsPerExample: examples.length > 0 ? exampleCalls / examples.length : 0,
  };
}

/**
 * The evaluation of a run's weights: with EMA on, the averaged weights give the report (as the authors
 * evaluate) and the live weights are evaluated too, with their own votes, into `report.live`.
 * `liveBook` holds the live weights' votes across evaluations, as `o.book` the averaged ones'.
 */
export async function evaluateRun(
  net: TrmNet,
  emaWeights: Record<string, tf.Tensor> | null,
  table: Pick<PuzzleTable, 'gather' | 'dim'> | null,
  config: RunConfig,
  set: EvalSet,
  step: number,
  o: EvalOptions & { liveBook: VoteBook },
): Promise<EvalReport> {
  if (!emaWeights) return { ...(await evaluateModel(net, table, config, set, step, o)), weights: 'live' };
  const report = await evaluateModel(net.withWeights(emaWeights), table, config, set, step, o);
  const live = await evaluateModel(net, table, config, set, step, { ...o, book: o.liveBook });
  return { ...report, weights: 'ema', live: { passAt1: live.passAt1, passAt2: live.passAt2, passAtK: live.passAtK, perStep: live.perStep } };
}

/** Seed of the fixed Rng that draws the probes' DIS frames, so every snapshot shows the same targets. */
export const PROBE_FRAME_SEED = 0x5eed;

/** The probe puzzles: the first `count` evaluation examples in their original (unaugmented) version. */
export function probeExamples(set: EvalSet, count: number): EvalExample[] {
  return set.examples.filter((e) => e.dihedral === 0 && e.colours.every((c, i) => c === i)).slice(0, count);
}

/** Per-step predictions of the probes, with each step's DIS target frame (or TRM's halting probability). */
export async function probeSnapshots(net: TrmNet, table: Pick<PuzzleTable, 'gather' | 'dim'> | null, config: RunConfig, set: EvalSet, probes: EvalExample[]): Promise<ProbeSnapshot[]> {
  if (probes.length === 0) return [];
  const enc = set.encoding;
  const S = enc.seqLen;
  const V = enc.vocab;
  const B = probes.length;
  const inputs = new Int32Array(B * S);
  const labels = new Int32Array(B * S).fill(IGNORE);
  probes.forEach((e, b) => {
    inputs.set(e.inputs, b * S);
    if (e.labels) labels.set(e.labels, b * S);
  });
  const frames =
    config.method === 'dis'
      ? batchFrames(getTargetGenerator(config.dis.targets), inputs, labels, B, S, config.model.Nsup, new Rng(PROBE_FRAME_SEED), { encoding: enc.kind, side: enc.side, vocab: V }, { eligibility: config.dis.eligibility })
      : null;
  const snaps: ProbeSnapshot[] = probes.map((e, b) => ({
    probe: b,
    taskId: e.taskId,
    testIndex: e.testIndex,
    encoding: enc.kind,
    side: enc.side,
    input: Array.from(e.inputs),
    label: e.labels ? Array.from(e.labels) : [],
    steps: [],
  }));
  const view = net.withWeights(net.weights, new CallCounter());
  const tokens = tf.tensor2d(inputs, [B, S], 'int32');
  const rows = gatherRows(table, Int32Array.from(probes, (e) => e.puzzleId));
  const probs = new Float32Array(V);
  try {
    await rollout(view, config, tokens, rows, {
      withLu: false,
      onStep: async (st) => {
        const [lc, preds, q] = await Promise.all([st.logits.data(), st.preds.data(), st.qHalt.data()]);
        for (let b = 0; b < B; b++) {
          const confidence = new Array<number>(S);
          for (let i = 0; i < S; i++) {
            stablemaxProbs(lc, (b * S + i) * V, V, probs);
            confidence[i] = Math.round((probs[preds[b * S + i]!] ?? 0) * 1000) / 1000;
          }
          const frame = frames?.[st.step];
          const hasLabel = probes[b]!.labels !== null;
          snaps[b]!.steps.push({
            tokens: Array.from(preds.subarray(b * S, (b + 1) * S)),
            confidence,
            ...(frame && hasLabel ? { target: Array.from(frame.subarray(b * S, (b + 1) * S)) } : {}),
            ...(config.method === 'trm' ? { qHalt: Math.round(sigmoid(q[b]!) * 1000) / 1000 } : {}),
          });
        }
      },
    });
  } finally {
    tokens.dispose();
    rows?.dispose();
  }
  return snaps;
}

