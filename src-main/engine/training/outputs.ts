// What a run writes out along the way: evaluations (with their vote books), probe snapshots and
// checkpoints. TRM saves the carry (rows are always mid-trajectory with halting); DIS takes periodic
// and pause checkpoints at the next trajectory boundary (at most N_sup − 1 steps later), and saves its
// carry only if the budget ends mid-trajectory.
import * as tf from '@tensorflow/tfjs';
import type { EngineEvent, TrainJob } from '../../../src-shared/method/protocol';
import { VoteBook } from '../../../src-shared/method/voting';
import { pruneCheckpoints, writeCheckpoint } from '../checkpoint-io';
import { capturePayload } from '../checkpoint-state';
import { evaluateRun, probeExamples, probeSnapshots } from '../evaluate';
import type { TrainMethod } from '../methods/types';
import type { TrmNet } from '../model/trm';
import type { RunState } from './run-state';
import { Diverged, type RunPosition } from './step-reads';

/** Checkpoints kept on disk per run. */
export const KEEP_CHECKPOINTS = 3;

export class RunOutputs {
  private readonly book = new VoteBook();
  private readonly liveBook = new VoteBook();
  private readonly probes: ReturnType<typeof probeExamples>;
  /** a checkpoint was due but the method could not take one yet (DIS mid-trajectory) */
  private checkpointPending = false;

  constructor(
    private readonly job: TrainJob,
    private readonly run: RunState,
    private readonly method: TrainMethod,
    private readonly at: RunPosition,
    /** reads the pending step scalars (StepReads.flush) */
    private readonly flush: () => Promise<void>,
    private readonly emit: (e: EngineEvent) => void,
  ) {
    this.probes = probeExamples(run.data.eval, run.config.probes);
  }

  private evalNet(): TrmNet {
    const { net, ema } = this.run;
    return ema ? net.withWeights(ema.shadow) : net;
  }

  canCheckpointNow(): boolean {
    return this.method.canCheckpoint();
  }

  /** Writes a checkpoint now; throws Diverged rather than save a non-finite state. */
  async writeState(): Promise<void> {
    const { job, run, at, method } = this;
    const { config, net, seeds, encoding, data, table, optimizer, ema, targetRng, haltRng, sampler, backend } = run;
    await this.flush(); // never checkpoint weights that produced a non-finite loss …
    // … nor weights that became non-finite in the last update.
    const finite = tf.tidy(() => tf.all(tf.stack(net.trainable().map(([, p]) => tf.all(tf.isFinite(p))))));
    const ok = (await finite.data())[0] === 1;
    finite.dispose();
    if (!ok) throw new Diverged(`weights are not finite at step ${at.step}`);
    const payload = await capturePayload({
      config,
      step: at.step,
      trajectories: at.trajectories,
      calls: net.counter.snapshot(),
      dataSeed: seeds.dataSeed,
      encoding,
      versionNames: data.train.versionNames,
      tasks: job.tasks,
      net,
      table,
      optimizer,
      ema,
      rng: { targets: targetRng.state(), halting: haltRng.state() },
      sampler: sampler.state(),
      carry: await method.exportCarry(),
      backend,
    });
    const written = await writeCheckpoint(job.runDir, payload);
    this.emit({ type: 'checkpoint', step: at.step, path: written.path, sha256: written.sha256 });
    await pruneCheckpoints(job.runDir, KEEP_CHECKPOINTS);
    this.checkpointPending = false;
  }

  /** A checkpoint is due: written now if the method can take one, else at the next step that can. */
  async checkpoint(): Promise<void> {
    if (this.canCheckpointNow()) await this.writeState();
    else this.checkpointPending = true;
  }

  /** Writes a checkpoint deferred by checkpoint() once the method can take it. */
  async catchUpCheckpoint(): Promise<void> {
    if (this.checkpointPending && this.canCheckpointNow()) await this.writeState();
  }

  async snapshot(): Promise<void> {
    if (this.probes.length === 0) return;
    const { config, table, data } = this.run;
    this.emit({ type: 'snapshot', step: this.at.step, probes: await probeSnapshots(this.evalNet(), table, config, data.eval, this.probes) });
  }

  async evaluate(): Promise<void> {
    const { config, net, ema, table, data } = this.run;
    await this.flush();
    if (config.eval.clearVotes) {
      this.book.clear();
      this.liveBook.clear();
    }
    const report = await evaluateRun(net, ema?.shadow ?? null, table, config, data.eval, this.at.step, { maxTasks: config.eval.maxTasks, book: this.book, liveBook: this.liveBook, maxBatch: config.batchSize });
    this.emit({ type: 'eval', report });
    await this.snapshot();
  }
}
