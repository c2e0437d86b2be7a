// One data-parallel shard: a worker thread with its own tfjs engine (a single-threaded backend runs
// one engine per thread, so k shards use k cores). It holds a copy of the network, receives the
// current weights with every step, runs the supervision step's two halves (no-grad cycles, taped last
// cycle) on its rows with the same functions as the single-thread trainer, and returns the gradients
// of its rows' loss. Messages are handled strictly in order.
import * as tf from '@tensorflow/tfjs';
import { parentPort, type MessagePort } from 'node:worker_threads';
import { initBackend } from '../backend';
import { exactMatch } from '../losses';
import { disLoss } from '../methods/dis';
import { lastCycleGradients, noGradCycles, type SupervisionInput } from '../methods/supervision-step';
import { restartCarry, trmLoss } from '../methods/trm';
import { TrmNet } from '../model/trm';
import { assignValues } from '../optim/adam';
import type { DisStepRequest, InitRequest, ShardCarry, ShardReply, ShardRequest, StepReply, TrmStepRequest, WorkerMessage } from './protocol';

interface Shard {
  init: InitRequest;
  net: TrmNet;
  zH: tf.Tensor3D | null;
  zL: tf.Tensor3D | null;
  /** DIS trajectory */
  cur: tf.Tensor2D | null;
  inputs: tf.Tensor2D | null;
  labels: tf.Tensor2D | null;
}

let shard: Shard | null = null;

function need(): Shard {
  if (!shard) throw new Error('shard worker: not initialised');
  return shard;
}

/** A copy of a tensor's values that may be transferred (a backend may hand out its own buffer). */
async function copyOut(t: tf.Tensor): Promise<Float32Array> {
  return new Float32Array((await t.data()) as Float32Array);
}

function disposeTrajectory(s: Shard): void {
  for (const t of [s.zH, s.zL, s.cur, s.inputs, s.labels]) t?.dispose();
  s.zH = s.zL = s.cur = s.inputs = s.labels = null;
}

function setWeights(s: Shard, weights: Record<string, Float32Array>): void {
  for (const [name, p] of s.net.trainable()) {
    const values = weights[name];
    if (!values) throw new Error(`shard worker: no weights for ${name}`);
    assignValues(p as tf.Variable, values);
  }
}

function installCarry(s: Shard, rows: number, c: ShardCarry): void {
  const L = s.net.totalLen;
  const D = s.net.spec.hidden;
  const S = s.net.spec.seqLen;
  disposeTrajectory(s);
  s.zH = tf.tensor3d(c.zH, [rows, L, D]);
  s.zL = tf.tensor3d(c.zL, [rows, L, D]);
  if (c.cur && c.inputs && c.labels) {
    s.cur = tf.tensor2d(c.cur, [rows, S], 'int32');
    s.inputs = tf.tensor2d(c.inputs, [rows, S], 'int32');
    s.labels = tf.tensor2d(c.labels, [rows, S], 'int32');
  }
}

/**
 * The supervision step on this shard's rows (supervision-step.ts steps 1–3): the new carry replaces the
 * old one; returns the gradients and the step's outputs (logits, q_halt, losses) for the caller.
 */
async function gradientStep(s: Shard, tokens: tf.Tensor2D, stepIds: tf.Tensor1D | null, puzzleIds: Int32Array, puzzleRows: Float32Array | null, loss: SupervisionInput['loss']) {
  const { T, n } = s.init;
  const rowsCount = tokens.shape[0];
  const dim = s.net.spec.puzzleEmbDim;
  const rows = puzzleRows ? tf.tensor2d(puzzleRows, [rowsCount, dim]) : null;
  const before = s.net.counter.snapshot();
  let zH = s.zH!;
  let zL = s.zL!;
  if (T > 1) {
    const x0 = tf.tidy(() => s.net.inputEmbedding(tokens, rows, stepIds));
    ({ zH, zL } = noGradCycles(s.net, zH, zL, x0, T - 1, n));
    x0.dispose();
  }
  const input: SupervisionInput = { zH: s.zH!, zL: s.zL!, tokens, puzzleIds, stepIds, T, n, loss };
  const tape = lastCycleGradients(s.net, rows, input, zH, zL);
  if (zH !== s.zH) zH.dispose();
  if (zL !== s.zL) zL.dispose();
  rows?.dispose();
  s.zH!.dispose();
  s.zL!.dispose();
  s.zH = tape.outputs.zH;
  s.zL = tape.outputs.zL;
  const grads: Record<string, Float32Array | null> = {};
  for (const [name, g] of Object.entries(tape.grads)) grads[name] = g ? await copyOut(g) : null;
  const rowsGrad = tape.rowsGrad ? await copyOut(tape.rowsGrad) : null;
  tf.dispose([...Object.values(tape.grads).filter((g): g is tf.Tensor => g !== null), ...(tape.rowsGrad ? [tape.rowsGrad] : [])]);
  const after = s.net.counter.snapshot();
  const { lm, qHaltLoss } = tape.outputs;
  const reply = {
    grads,
    rowsGrad,
    lm: (await lm.data())[0] as number,
    qHaltLoss: qHaltLoss ? ((await qHaltLoss.data())[0] as number) : null,
    calls: { grad: after.grad - before.grad, noGrad: after.noGrad - before.noGrad },
  };
  tf.dispose([lm, ...(qHaltLoss ? [qHaltLoss] : [])]);
  return { reply, logits: tape.outputs.logits, qHalt: tape.outputs.qHalt };
}

async function perRow(logits: tf.Tensor3D, labels: tf.Tensor2D): Promise<{ correct: Float32Array; tokenAcc: Float32Array }> {
  const m = tf.tidy(() => {
    const r = exactMatch(logits, labels);
    return { correct: r.correct, tokenAcc: r.tokenAcc };
  });
  const out = { correct: await copyOut(m.correct), tokenAcc: await copyOut(m.tokenAcc) };
  tf.dispose([m.correct, m.tokenAcc]);
  return out;
}

async function trmStep(r: TrmStepRequest): Promise<StepReply> {
  const s = need();
  setWeights(s, r.weights);
  if (r.carry) installCarry(s, r.rows, r.carry);
  const S = s.net.spec.seqLen;
  if (r.started > 0) {
    const next = restartCarry(s.net, s.zH, s.zL, r.reset, r.started);
    s.zH?.dispose();
    s.zL?.dispose();
    s.zH = next.zH;
    s.zL = next.zL;
  }
  if (!s.zH || !s.zL) throw new Error('shard worker: TRM step without a carry');
  const tokens = tf.tensor2d(r.tokens, [r.rows, S], 'int32');
  const labels = tf.tensor2d(r.labels, [r.rows, S], 'int32');
  try {
    const { reply, logits, qHalt } = await gradientStep(s, tokens, null, r.puzzleIds, r.puzzleRows, trmLoss(labels));
    const q = await copyOut(qHalt);
    const m = await perRow(logits, labels);
    tf.dispose([logits, qHalt]);
    return { ...reply, q, ...m };
  } finally {
    tokens.dispose();
    labels.dispose();
  }
}

async function disStep(r: DisStepRequest): Promise<StepReply> {
  const s = need();
  setWeights(s, r.weights);
  if (r.carry) installCarry(s, r.rows, r.carry);
  const S = s.net.spec.seqLen;
  if (r.start) {
    disposeTrajectory(s);
    const c = tf.tidy(() => {
      const init = s.net.initialCarry(r.rows);
      return { zH: init.zH.clone(), zL: init.zL.clone() };
    });
    s.zH = c.zH;
    s.zL = c.zL;
    s.inputs = tf.tensor2d(r.start.inputs, [r.rows, S], 'int32');
    s.labels = tf.tensor2d(r.start.labels, [r.rows, S], 'int32');
    s.cur = s.inputs.clone();
  }
  if (!s.zH || !s.zL || !s.cur || !s.inputs || !s.labels) throw new Error('shard worker: DIS step outside a trajectory');
  const target = tf.tensor2d(r.target, [r.rows, S], 'int32');
  const stepIds = tf.fill([r.rows], r.s, 'int32') as tf.Tensor1D;
  const tokens = s.init.xSource === 'original' ? s.inputs : s.cur;
  try {
    const { reply, logits, qHalt } = await gradientStep(s, tokens, stepIds, r.puzzleIds, r.puzzleRows, disLoss(target, r.w));
    qHalt.dispose();
    const preds = tf.tidy(() => tf.argMax(logits, -1) as tf.Tensor2D);
    s.cur.dispose();
    s.cur = preds;
    const m = r.last ? await perRow(logits, s.labels) : null;
    logits.dispose();
    if (r.last) disposeTrajectory(s);
    return { ...reply, q: null, correct: m?.correct ?? null, tokenAcc: m?.tokenAcc ?? null };
  } finally {
    target.dispose();
    stepIds.dispose();
  }
}

async function getCarry(): Promise<ShardCarry> {
  const s = need();
  if (!s.zH || !s.zL) throw new Error('shard worker: no carry to read');
  const c: ShardCarry = { zH: await copyOut(s.zH), zL: await copyOut(s.zL) };
  if (s.cur && s.inputs && s.labels) {
    c.cur = new Int32Array((await s.cur.data()) as Int32Array);
    c.inputs = new Int32Array((await s.inputs.data()) as Int32Array);
    c.labels = new Int32Array((await s.labels.data()) as Int32Array);
  }
  return c;
}

async function handle(r: ShardRequest): Promise<ShardReply> {
  switch (r.kind) {
    case 'init': {
      await initBackend(r.backend);
      shard?.net.dispose();
      const net = TrmNet.create(r.spec, r.params, r.buffers);
      shard = { init: r, net, zH: null, zL: null, cur: null, inputs: null, labels: null };
      return null;
    }
    case 'trm-step':
      return trmStep(r);
    case 'dis-step':
      return disStep(r);
    case 'get-carry':
      return getCarry();
    case 'close':
      if (shard) {
        disposeTrajectory(shard);
        shard.net.dispose();
        shard = null;
      }
      return null;
  }
}

/** Buffers a reply may hand over instead of copying. */
function transferables(reply: ShardReply): ArrayBuffer[] {
  if (!reply) return [];
  const out: ArrayBuffer[] = [];
  const add = (a: Float32Array | Int32Array | null | undefined) => {
    if (a) out.push(a.buffer as ArrayBuffer);
  };
  if ('grads' in reply) {
    for (const g of Object.values(reply.grads)) add(g);
    add(reply.rowsGrad);
    add(reply.q);
    add(reply.correct);
    add(reply.tokenAcc);
  } else {
    for (const a of [reply.zH, reply.zL, reply.cur, reply.inputs, reply.labels]) add(a);
  }
  return out;
}

const port = parentPort as MessagePort;
let queue: Promise<void> = Promise.resolve();
port.on('message', (m: { id: number; request: ShardRequest }) => {
  queue = queue.then(async () => {
    let msg: WorkerMessage;
    let transfer: ArrayBuffer[] = [];
    try {
      const reply = await handle(m.request);
      msg = { id: m.id, ok: true, reply };
      transfer = transferables(reply);
    } catch (e) {
      msg = { id: m.id, ok: false, error: e instanceof Error ? e.message : String(e) };
    }
    port.postMessage(msg, transfer);
  });
});
