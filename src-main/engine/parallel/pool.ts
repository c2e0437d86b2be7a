// The shard workers of a data-parallel run: start, one request at a time per worker (replies match by
// id), and a clear error — naming the worker — when a worker fails, exits or answers with an error.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { InitRequest, ShardReply, ShardRequest, WorkerMessage } from './protocol';

interface Pending {
  resolve: (r: ShardReply) => void;
  reject: (e: Error) => void;
}

/**
 * The worker entry: in a build (the app), the compiled `shard-worker.js` that electron.vite.config.ts
 * emits beside the engine bundle; from the sources (CLI, serve, tests under tsx), the tsx shim
 * `shard-worker.mjs` beside this file. Null when neither is there.
 */
export function workerScript(): URL | null {
  for (const name of ['./shard-worker.js', './shard-worker.mjs']) {
    const url = new URL(name, import.meta.url);
    if (url.protocol === 'file:' && existsSync(fileURLToPath(url))) return url;
  }
  return null;
}

class ShardWorker {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private failure: Error | null = null;

  constructor(
    readonly index: number,
    script: URL,
  ) {
    this.worker = new Worker(script);
    this.worker.on('message', (m: WorkerMessage) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (m.ok) p.resolve(m.reply);
      else p.reject(new Error(`data-parallel worker ${this.index}: ${m.error}`));
    });
    this.worker.on('error', (e) => this.fail(new Error(`data-parallel worker ${this.index} failed: ${e.message}`)));
    this.worker.on('exit', (code) => this.fail(new Error(`data-parallel worker ${this.index} exited (code ${code})`)));
  }

  private fail(e: Error): void {
    this.failure ??= e;
    for (const p of this.pending.values()) p.reject(this.failure);
    this.pending.clear();
  }

  request(request: ShardRequest): Promise<ShardReply> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise<ShardReply>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, request });
    });
  }

  async terminate(): Promise<void> {
    this.failure ??= new Error(`data-parallel worker ${this.index} was closed`);
    await this.worker.terminate();
  }
}

export class ShardPool {
  private constructor(private readonly workers: ShardWorker[]) {}

  /** Starts `count` workers and initialises each (backend, network); fails if any fails. */
  static async start(script: URL, inits: InitRequest[]): Promise<ShardPool> {
    const pool = new ShardPool(inits.map((_, k) => new ShardWorker(k, script)));
    try {
      await pool.all(inits);
    } catch (e) {
      await pool.close();
      throw e;
    }
    return pool;
  }

  get size(): number {
    return this.workers.length;
  }

  /** One request per worker (request k to worker k), all in flight at once; replies in worker order. */
  async all<R extends ShardReply>(requests: ShardRequest[]): Promise<R[]> {
    if (requests.length !== this.workers.length) throw new Error(`ShardPool: ${requests.length} requests for ${this.workers.length} workers`);
    // allSettled: every reply (or failure) is in before an error surfaces, so no worker is mid-step.
    const settled = await Promise.allSettled(requests.map((r, k) => this.workers[k]!.request(r)));
    const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed) throw failed.reason instanceof Error ? failed.reason : new Error(String(failed.reason));
    return settled.map((s) => (s as PromiseFulfilledResult<ShardReply>).value as R);
  }

  async close(): Promise<void> {
    await Promise.allSettled(this.workers.map((w) => w.terminate()));
  }
}
