// One data-parallel shard: a worker thread with its own tfjs engine (a single-threaded backend runs
// one engine per thread, so k shards use k cores). It holds a copy of the network and the carry of
// its rows, receives the current weights with every step, runs the supervision step on its rows with
// the same executor as the single-thread trainer (methods/executor.ts), and returns the gradients of
// its rows' loss. Messages are handled strictly in order.
import * as tf from '@tensorflow/tfjs';
import { parentPort, type MessagePort } from 'node:worker_threads';
import { initBackend } from '../backend';
import { RowCarry } from '../methods/executor';
import { methodDef } from '../methods/index';
import type { RecursiveNet } from '../methods/method';
import { assignValues } from '../optim/adam';
import type { ShardReply, ShardRequest, StepReply, StepRequest, WorkerMessage } from './protocol';

interface Shard {
  net: RecursiveNet;
  rows: RowCarry<RecursiveNet>;
  puzzleDim: number;
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

function setWeights(s: Shard, weights: Record<string, Float32Array>): void {
  for (const [name, p] of s.net.trainable()) {
    const values = weights[name];
    if (!values) throw new Error(`shard worker: no weights for ${name}`);
    assignValues(p as tf.Variable, values);
  }
}

async function step(r: StepRequest): Promise<StepReply> {
  const s = need();
  setWeights(s, r.weights);
  if (r.carry) s.rows.set(r.carry, r.count);
  const puzzleRows = r.puzzleRows ? tf.tensor2d(r.puzzleRows, [r.count, s.puzzleDim]) : null;
  const before = s.net.counter.snapshot();
  try {
    const out = s.rows.step(r, puzzleRows);
    const after = s.net.counter.snapshot();
    const grads: Record<string, Float32Array | null> = {};
    for (const [name, g] of Object.entries(out.grads)) grads[name] = g ? await copyOut(g) : null;
    const reply: StepReply = {
      grads,
      rowsGrad: out.rowsGrad ? await copyOut(out.rowsGrad) : null,
      lm: (await out.lm.data())[0] as number,
      qHaltLoss: out.qHaltLoss ? ((await out.qHaltLoss.data())[0] as number) : null,
      q: await copyOut(out.qHalt),
      correct: out.correct ? await copyOut(out.correct) : null,
      tokenAcc: out.tokenAcc ? await copyOut(out.tokenAcc) : null,
      calls: { grad: after.grad - before.grad, noGrad: after.noGrad - before.noGrad },
    };
    tf.dispose([
      ...Object.values(out.grads).filter((g): g is tf.Tensor => g !== null),
      ...[out.rowsGrad, out.lm, out.qHaltLoss, out.qHalt, out.correct, out.tokenAcc].filter((t): t is tf.Tensor => t !== null),
    ]);
    return reply;
  } finally {
    puzzleRows?.dispose();
  }
}

async function handle(r: ShardRequest): Promise<ShardReply> {
  switch (r.kind) {
    case 'init': {
      await initBackend(r.backend);
      if (shard) {
        shard.rows.dispose();
        shard.net.dispose();
      }
      const method = methodDef<RecursiveNet>(r.method);
      const net = method.createNet(r.spec, r.params, r.buffers);
      shard = { net, rows: new RowCarry(method, net, r.cfg), puzzleDim: r.spec.puzzleEmbDim };
      return null;
    }
    case 'step':
      return step(r);
    case 'get-carry':
      return need().rows.get();
    case 'close':
      if (shard) {
        shard.rows.dispose();
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
  if ('grads' in reply && 'calls' in reply) {
    const r = reply as StepReply;
    for (const g of Object.values(r.grads)) add(g);
    add(r.rowsGrad);
    add(r.q);
    add(r.correct);
    add(r.tokenAcc);
  } else {
    for (const a of Object.values(reply)) add(a as Float32Array | Int32Array);
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
