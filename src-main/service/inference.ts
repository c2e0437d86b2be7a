// The playground's requests (inference, adaptation, …) and checkpoint evaluations in their own warm engine process, so it never waits for
// the training queue and the service process never runs tfjs. The process is reused while requests
// keep coming and closed after a quiet minute; one that dies fails its pending requests with why.
import type {
  AdaptProgress,
  AdaptRequest,
  AdaptResult,
  BackendInfo,
  EvalReport,
  ExplainVotesRequest,
  InferRequest,
  InferResult,
  TaskClassification,
  VoteExplanation,
} from '../../src-shared/method/protocol';
import type { Task } from '../../src-shared/puzzle/types';
import type { EngineLauncher, EngineProcess } from '../engine/process/host';
import type { EngineMessage, EngineRequest, ReplyType } from '../engine/process/messages';
import { LabError } from './errors';

/** Resolves when the engine process is listening (its 'ready' message). */
export function whenReady(proc: EngineProcess, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => {
      proc.kill();
      reject(new Error(`engine process did not start within ${Math.round(timeoutMs / 1000)} s`));
    }, timeoutMs);
    proc.onMessage((m) => {
      if (m.type === 'ready') {
        clearTimeout(t);
        resolve();
      }
    });
    proc.onExit((e) => {
      clearTimeout(t);
      reject(new Error(e.reason));
    });
  });
}

/** Asks a short-lived engine process which backend it gets (systemInfo shows it). */
export async function probeBackend(launch: EngineLauncher, timeoutMs = 120_000): Promise<BackendInfo> {
  const proc = launch({ name: 'backend probe' });
  try {
    await whenReady(proc, timeoutMs);
    return await new Promise<BackendInfo>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('backend probe timed out')), timeoutMs);
      proc.onMessage((m) => {
        if (m.type === 'probe-result') resolve(m.backend);
        else if (m.type === 'probe-error') reject(new Error(m.message));
        else return;
        clearTimeout(t);
      });
      proc.onExit((e) => reject(new Error(e.reason)));
      proc.send({ type: 'probe', backend: 'auto' });
    });
  } finally {
    void proc.close(2000);
  }
}

type Reply = Extract<EngineMessage, { type: ReplyType }>;
type Request = EngineRequest extends infer R ? (R extends EngineRequest ? Omit<R, 'requestId'> : never) : never;

interface Pending {
  expect: ReplyType;
  resolve: (r: Reply['result']) => void;
  reject: (e: Error) => void;
  onProgress: ((p: AdaptProgress) => void) | undefined;
  timer: NodeJS.Timeout;
}

const EXPECTED: Record<Request['type'], ReplyType> = {
  infer: 'infer-result',
  adapt: 'adapt-result',
  classify: 'classify-result',
  'explain-votes': 'explain-result',
  evaluate: 'evaluate-result',
};

/**
 * The warm engine process for the playground and evaluations: inference, embedding adaptation, task classification,
 * and vote explanations. Requests run one after another inside it.
 */
export class InteractiveEngine {
  private proc: EngineProcess | null = null;
  private ready: Promise<void> | null = null;
  private readonly pending = new Map<string, Pending>();
  private nextId = 1;
  private idle: NodeJS.Timeout | null = null;

  constructor(
    private readonly launch: EngineLauncher,
    private readonly o = { idleMs: 60_000, requestTimeoutMs: 30 * 60_000, readyTimeoutMs: 120_000 },
  ) {}

  private start(): { proc: EngineProcess; ready: Promise<void> } {
    if (this.proc !== null && this.ready !== null && this.proc.exited === null) return { proc: this.proc, ready: this.ready };
    const proc = this.launch({ name: 'interactive' });
    const ready = whenReady(proc, this.o.readyTimeoutMs);
    ready.catch(() => {}); // reported through the requests that wait on it
    proc.onMessage((m) => {
      if (!('requestId' in m)) return;
      const p = this.pending.get(m.requestId);
      if (p === undefined) return;
      if (m.type === 'adapt-progress') return p.onProgress?.(m.progress);
      this.pending.delete(m.requestId);
      clearTimeout(p.timer);
      if (m.type === 'request-error') p.reject(new LabError('bad-request', m.message));
      else if (m.type === p.expect) p.resolve((m as Reply).result);
      else p.reject(new Error(`engine answered a ${p.expect.replace('-result', '')} request with '${m.type}'`));
      this.armIdle();
    });
    proc.onProtocolError((error) => {
      this.failAll(new Error(error));
      proc.kill();
    });
    proc.onExit((e) => {
      if (this.proc === proc) {
        this.proc = null;
        this.ready = null;
      }
      this.failAll(new Error(`interactive ${e.reason}`));
    });
    this.proc = proc;
    this.ready = ready;
    return { proc, ready };
  }

  private failAll(e: Error): void {
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(e);
      this.pending.delete(id);
    }
  }

  private armIdle(): void {
    if (this.idle !== null) clearTimeout(this.idle);
    this.idle = null;
    if (this.pending.size > 0) return;
    this.idle = setTimeout(() => void this.close(), this.o.idleMs);
    this.idle.unref();
  }

  private async call(req: Request, onProgress?: (p: AdaptProgress) => void): Promise<Reply['result']> {
    if (this.idle !== null) clearTimeout(this.idle);
    const { proc, ready } = this.start();
    await ready;
    const requestId = `req-${this.nextId++}`;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(requestId);
        reject(new Error(`the engine took longer than ${Math.round(this.o.requestTimeoutMs / 1000)} s`));
        proc.kill();
      }, this.o.requestTimeoutMs);
      this.pending.set(requestId, { expect: EXPECTED[req.type], resolve, reject, onProgress, timer });
      proc.send({ ...req, requestId } as EngineRequest);
    });
  }

  infer(request: InferRequest): Promise<InferResult> {
    return this.call({ type: 'infer', request }) as Promise<InferResult>;
  }

  adapt(request: AdaptRequest, onProgress: (p: AdaptProgress) => void): Promise<AdaptResult> {
    return this.call({ type: 'adapt', request }, onProgress) as Promise<AdaptResult>;
  }

  classify(checkpointDir: string, task: Task): Promise<TaskClassification> {
    return this.call({ type: 'classify', checkpointDir, task }) as Promise<TaskClassification>;
  }

  explainVotes(request: ExplainVotesRequest): Promise<VoteExplanation> {
    return this.call({ type: 'explain-votes', request }) as Promise<VoteExplanation>;
  }

  evaluate(checkpointDir: string, tasks: Task[], augmentations: number): Promise<EvalReport> {
    return this.call({ type: 'evaluate', checkpointDir, tasks, augmentations }) as Promise<EvalReport>;
  }

  async close(): Promise<void> {
    if (this.idle !== null) clearTimeout(this.idle);
    const proc = this.proc;
    this.proc = null;
    this.ready = null;
    if (proc !== null) await proc.close(2000);
  }
}
