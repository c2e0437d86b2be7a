// One supervision step = one optimizer step (method-spec §3.1, §3.7, §4.11), shared by TRM and DIS.
//
//   1. The T−1 no-grad cycles run OUTSIDE the gradient tape (tfjs has no torch.no_grad or detach:
//      only ops run inside the closure given to engine.gradients are recorded, §8.8).
//   2. Inside the tape: x is rebuilt (so gradients reach the embeddings, the step table and the
//      puzzle rows), then the last cycle's n + 1 calls, the heads and the loss.
//   3. The new carry leaves the tape as fresh tensors (kept clones), i.e. detached: no gradient
//      crosses supervision steps.
//   4. The weight optimizer, sign-SGD on the touched puzzle rows (their gradient is the tape's input
//      gradient of the gathered [B, dim] rows), both at the warm-up LR, then the EMA.
import * as tf from '@tensorflow/tfjs';
import type { OptimizerConfig } from '../../../src-shared/engine/run-config';
import type { PuzzleTable } from '../model/puzzle-table';
import type { TrmNet } from '../model/trm';
import type { AdamOptimizer } from '../optim/adam';
import type { Ema } from '../optim/ema';
import { learningRate } from '../optim/schedule';
import { microBatchedTape, microBatchRanges } from '../micro-batch';

/** The trainable state a step updates. */
export interface TrainParts {
  net: TrmNet;
  table: PuzzleTable | null;
  optimizer: AdamOptimizer;
  ema: Ema | null;
  opt: OptimizerConfig;
  /** rows per micro-batch when a step's batch does not fit in memory at once (memory-estimate.ts); absent = whole batch */
  microBatchRows?: number;
}

export interface StepLoss {
  total: tf.Scalar;
  lm: tf.Scalar;
  qHalt: tf.Scalar | null;
}

export interface SupervisionInput {
  /** the incoming carry (constants here; not disposed) */
  zH: tf.Tensor3D;
  zL: tf.Tensor3D;
  /** int32 [B, S] tokens x is built from */
  tokens: tf.Tensor2D;
  puzzleIds: Int32Array;
  /** int32 [B] DIS step-table rows, or null (TRM) */
  stepIds: tf.Tensor1D | null;
  T: number;
  n: number;
  /** the step's loss from the logits [B, S, V] and q_head output [B, 2]; runs on the tape */
  loss: (logits: tf.Tensor3D, q: tf.Tensor2D) => StepLoss;
  /** the same loss for rows [start, end) only, normalised by their count (micro-batching, micro-batch.ts) */
  lossFor?: (start: number, end: number) => (logits: tf.Tensor3D, q: tf.Tensor2D) => StepLoss;
}

/** Everything the step hands back; the caller owns (and disposes) every tensor. */
export interface SupervisionOutput {
  zH: tf.Tensor3D;
  zL: tf.Tensor3D;
  logits: tf.Tensor3D;
  /** q_halt logits [B] */
  qHalt: tf.Tensor1D;
  lm: tf.Scalar;
  qHaltLoss: tf.Scalar | null;
  lr: number;
}

/** The puzzle rows of a batch as a [B, dim] tensor, or null without a table. */
export function gatherRows(table: Pick<PuzzleTable, 'gather' | 'dim'> | null, ids: ArrayLike<number>): tf.Tensor2D | null {
  return table ? tf.tensor2d(table.gather(ids), [ids.length, table.dim]) : null;
}

/** The T−1 gradient-free cycles (run outside any tape); returns new tensors, inputs untouched. */
export function noGradCycles(net: TrmNet, zH: tf.Tensor3D, zL: tf.Tensor3D, x: tf.Tensor3D, cycles: number, n: number): { zH: tf.Tensor3D; zL: tf.Tensor3D } {
  // One tidy per cycle: a cycle's intermediates are freed before the next starts, so the memory of the
  // no-grad part does not grow with T (memory-estimate.ts counts one cycle).
  let h = zH.clone();
  let l = zL.clone();
  for (let c = 0; c < cycles; c++) {
    const next = tf.tidy(() => {
      const r = net.cycle(h, l, x, n);
      return { zH: r.zH, zL: r.zL };
    });
    tf.dispose([h, l]);
    h = next.zH;
    l = next.zL;
  }
  // Fresh tensors (clones above), so the result never aliases the caller's (possibly disposed later) inputs.
  return { zH: h, zL: l };
}

export interface TapeResult {
  /** gradient per trainable parameter (null when the loss does not depend on it) */
  grads: Record<string, tf.Tensor | null>;
  /** gradient of the gathered puzzle rows [B, dim], or null */
  rowsGrad: tf.Tensor | null;
  outputs: Omit<SupervisionOutput, 'lr'>;
}

/**
 * The taped part of a step: x, the last cycle's n + 1 calls from the given (detached) carry, the heads
 * and the loss. Returns the gradients and the outputs as new tensors owned by the caller.
 */
export function lastCycleGradients(net: TrmNet, rows: tf.Tensor2D | null, input: SupervisionInput, zH: tf.Tensor3D, zL: tf.Tensor3D): TapeResult {
  const { tokens, stepIds, n } = input;
  const params = net.trainable();
  const xs: tf.Tensor[] = params.map(([, p]) => p);
  if (rows) xs.push(rows);
  let kept: Omit<SupervisionOutput, 'lr'> | null = null;
  const { value, grads } = tf.engine().gradients(
    () => {
      const x = net.inputEmbedding(tokens, rows, stepIds);
      const c = net.cycle(zH, zL, x, n);
      const logits = net.logits(c.zH);
      const q = net.qHead(c.zH);
      const l = input.loss(logits, q);
      // Clones leave the tape as new tensor objects: the detached carry and the readouts.
      kept = {
        zH: tf.keep(c.zH.clone()),
        zL: tf.keep(c.zL.clone()),
        logits: tf.keep(logits.clone()),
        qHalt: tf.keep(tf.reshape(tf.slice(q, [0, 0], [q.shape[0], 1]), [q.shape[0]]) as tf.Tensor1D),
        lm: tf.keep(l.lm.clone()),
        qHaltLoss: l.qHalt ? tf.keep(l.qHalt.clone()) : null,
      };
      return l.total;
    },
    xs,
    undefined,
    true,
  );
  value.dispose();
  if (!kept) throw new Error('supervision step: the loss function did not run');
  const byName: Record<string, tf.Tensor | null> = {};
  params.forEach(([name], i) => (byName[name] = grads[i] ?? null));
  return { grads: byName, rowsGrad: rows ? (grads[params.length] ?? null) : null, outputs: kept };
}

export async function supervisionStep(parts: TrainParts, input: SupervisionInput, t: number): Promise<SupervisionOutput> {
  const { net, table, optimizer, ema, opt } = parts;
  const { tokens, puzzleIds, stepIds, T, n } = input;
  const lr = learningRate(opt.lr, opt.warmupSteps, t);
  const rows = gatherRows(table, puzzleIds);

  const B = tokens.shape[0];
  let tape: TapeResult;
  if (parts.microBatchRows !== undefined && parts.microBatchRows < B) {
    tape = microBatchedTape(net, rows, input, microBatchRanges(B, parts.microBatchRows));
  } else {
    let zH = input.zH;
    let zL = input.zL;
    if (T > 1) {
      const x0 = tf.tidy(() => net.inputEmbedding(tokens, rows, stepIds));
      ({ zH, zL } = noGradCycles(net, zH, zL, x0, T - 1, n));
      x0.dispose();
    }
    tape = lastCycleGradients(net, rows, input, zH, zL);
    if (zH !== input.zH) zH.dispose();
    if (zL !== input.zL) zL.dispose();
  }

  const params = net.trainable() as Array<[string, tf.Variable]>;
  optimizer.step(params, tape.grads, lr);
  if (rows && table) {
    if (tape.rowsGrad) {
      table.signSgd(puzzleIds, await tape.rowsGrad.data(), learningRate(opt.puzzleEmbLr, opt.warmupSteps, t), opt.puzzleEmbWeightDecay);
    }
    rows.dispose();
  }
  for (const g of Object.values(tape.grads)) g?.dispose();
  tape.rowsGrad?.dispose();
  ema?.update(params, t);
  return { ...tape.outputs, lr };
}
