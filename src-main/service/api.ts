// The lab service: every LabApi method over the store, library, run queue and engine processes,
// plus LabEvent emission. Transports (the serve WebSocket, Electron IPC, the control channel the
// CLI uses, the CLI in-process) call it through dispatch.ts, which validates every request first.
// Only the service holding a data directory's lock touches its database: other processes go through
// its control channel.
import { closeSync, existsSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { freemem, totalmem } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LabEvent, LabHandlers, ParamsOf, RunDetail, RunSummary, StudyDetail, SystemInfo } from '../../src-shared/api/contract';
import { canvasRefusal } from '../../src-shared/method/canvas-fit';
import type { RunConfig } from '../../src-shared/method/run-config';
import type { Task } from '../../src-shared/puzzle/types';
import type { DoctorReport } from '../../src-shared/method/doctor';
import type { BackendInfo } from '../../src-shared/method/protocol';
import type { EngineLauncher } from '../engine/process/host';
import { exportAuthorsDatasetForLab, exportRunForLab, importAuthorsDatasetForLab } from './authors';
import { runsDir } from './data-dir';
import { runDoctor } from './doctor';
import { badRequest, conflict, notFound } from './errors';
import { newId } from './ids';
import { writeTorchStep } from '../pipeline/torch/export-checkpoint';
import { CheckpointImports } from './checkpoint-import';
import { checkpointConfig, checkpointFolder, DEFAULT_EVAL_AUGMENTATIONS, loadTasksPath, runFolder } from './named-paths';
import { InteractiveEngine, probeBackend } from './inference';
import { Library } from './library';
import { FILE_SOURCE_REFUSED, PathGrants } from './path-grants';
import { previewTargets } from './preview';
import { DEFAULT_QUEUE_OPTIONS, RunQueue, type QueueOptions } from './queue';
import { checkSourceExists, resolveRunTasks } from './run-data';
import { ExternalSolvers } from './solvers';
import { humanStatus, humanVsModelTable, submitHumanAttempt } from './solve-mode';
import { checkStudyConfigs, seedStudyConfigs, studyDetail, studySummary } from './studies';
import { HumanStore } from './store/human-store';
import { RunTaskStore } from './store/run-task-store';
import { StudyStore } from './store/study-store';
import { checkWritable, ensureDataDir, immediateTransaction, openDb, type Db } from './store/db';
import { runConfig, RunStore } from './store/run-store';

export interface LabServiceOptions {
  dataDir: string;
  mode: 'electron' | 'serve' | 'cli';
  launcher: EngineLauncher;
  queue?: Partial<QueueOptions>;
  /** ask an engine process which backend it gets, at start (default true) */
  probeBackend?: boolean;
  /** log lines (engine failures, probe result); default console.error */
  log?: (line: string) => void;
  /**
   * Writes a lab checkpoint folder as the authors' PyTorch `step_N` into outDir (the torch pipeline,
   * src-main/pipeline/torch). Defaults to writeTorchStep; tests may replace it.
   */
  torchCheckpointWriter?: (checkpointDir: string, outDir: string) => Promise<{ file: string; step: number } | null>;
}

const LOCK_FILE = 'lab.lock';

/** Another live service holds the data directory (its pid when known). */
export class DataDirInUse extends Error {
  constructor(
    message: string,
    readonly pid: number | null,
  ) {
    super(message);
    this.name = 'DataDirInUse';
  }
}

function appVersion(): string {
  try {
    const pkg = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../package.json');
    return (JSON.parse(readFileSync(pkg, 'utf8')) as { version?: string }).version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/**
 * One service per data directory: a second one would run the same queue twice. The lock file is
 * created exclusively (O_EXCL), so of two services started at the same instant exactly one wins, and
 * it is taken before the database is opened or migrated. A lock left by a process that is gone is
 * replaced.
 */
function takeLock(dataDir: string): () => void {
  const file = path.join(dataDir, LOCK_FILE);
  for (let attempt = 0; ; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      return () => rmSync(file, { force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) {
        if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw new DataDirInUse(`another Puzzle Lab service is starting on ${dataDir}; stop it first`, null);
        throw e;
      }
    }
    let pid = Number.NaN;
    try {
      pid = Number(readFileSync(file, 'utf8').trim());
    } catch {
      // vanished meanwhile: try again
    }
    let alive = false;
    if (pid === process.pid) alive = true;
    else if (Number.isInteger(pid) && pid > 0) {
      try {
        process.kill(pid, 0);
        alive = true;
      } catch (e) {
        alive = (e as NodeJS.ErrnoException).code === 'EPERM';
      }
    } else {
      // Empty: a service starting this very moment is about to write its pid (or one died doing so long ago).
      try {
        alive = Date.now() - statSync(file).mtimeMs < 10_000;
      } catch {
        alive = false;
      }
    }
    if (alive) throw new DataDirInUse(`another Puzzle Lab service${Number.isInteger(pid) && pid > 0 ? ` (pid ${pid})` : ''} is using ${dataDir}; stop it first (or remove ${file} if it is stale)`, Number.isInteger(pid) && pid > 0 ? pid : null);
    rmSync(file, { force: true });
  }
}

export class LabService implements LabHandlers {
  readonly dataDir: string;
  private readonly db: Db;
  private readonly library: Library;
  private readonly runs: RunStore;
  private readonly queue: RunQueue;
  private readonly interactive: InteractiveEngine;
  private readonly solvers: ExternalSolvers;
  private readonly imports: CheckpointImports;
  private readonly runTaskStore: RunTaskStore;
  private readonly human: HumanStore;
  private readonly studies: StudyStore;
  private readonly listeners = new Set<(e: LabEvent) => void>();
  private readonly releaseLock: () => void;
  private backend: BackendInfo | null = null;
  /** the last GPU doctor report (measured or not), and the one in progress */
  private doctorReport: DoctorReport | null = null;
  private doctorRun: Promise<DoctorReport> | null = null;
  /** files and folders the user picked in a native dialog this session (Electron main adds them) */
  readonly grants = new PathGrants();
  private readonly version = appVersion();
  private closed = false;
  /** resolves once the start-up backend probe has answered (or failed) */
  readonly backendProbed: Promise<void>;

  constructor(private readonly o: LabServiceOptions) {
    this.dataDir = path.resolve(o.dataDir);
    ensureDataDir(this.dataDir);
    checkWritable(this.dataDir);
    this.releaseLock = takeLock(this.dataDir);
    try {
      this.db = openDb(this.dataDir);
    } catch (e) {
      this.releaseLock();
      throw e;
    }
    const emit = (e: LabEvent) => this.emit(e);
    this.library = new Library(this.db, (datasetId) => emit({ type: 'library', datasetId }));
    this.runs = new RunStore(this.db);
    this.runTaskStore = new RunTaskStore(this.db);
    this.human = new HumanStore(this.db);
    this.studies = new StudyStore(this.db);
    this.solvers = new ExternalSolvers(this.db, () => emit({ type: 'solvers' }));
    this.queue = new RunQueue(
      this.runs,
      o.launcher,
      (runId, config) => this.snapshotTasks(runId, config),
      emit,
      runsDir(this.dataDir),
      { ...DEFAULT_QUEUE_OPTIONS, ...o.queue },
    );
    this.interactive = new InteractiveEngine(o.launcher);
    this.imports = new CheckpointImports(
      this.dataDir,
      this.runs,
      this.library,
      (id) => this.queue.summary(this.queue.mustGet(id)),
      (id) => emit({ type: 'run', run: this.queue.summary(this.queue.mustGet(id)) }),
    );
    void this.imports.cleanLeftovers();
    this.queue.recover();
    this.queue.tick();
    const log = o.log ?? ((line: string) => console.error(line));
    this.backendProbed =
      o.probeBackend === false
        ? Promise.resolve()
        : probeBackend(o.launcher).then(
            (b) => {
              this.backend = b;
            },
            (e: unknown) => log(`backend probe failed: ${e instanceof Error ? e.message : String(e)}`),
          );
  }

  subscribe(listener: (e: LabEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(e: LabEvent): void {
    for (const l of this.listeners) {
      try {
        l(e);
      } catch {
        // a failing transport must not break the service or other listeners
      }
    }
  }

  async systemInfo(): Promise<SystemInfo> {
    return {
      app: { version: this.version, mode: this.o.mode },
      backend: this.backend,
      memory: { totalBytes: totalmem(), freeBytes: freemem(), serviceRssBytes: process.memoryUsage().rss },
      dataDir: this.dataDir,
      platform: `${process.platform}-${process.arch}`,
    };
  }

  async gpuDoctor(q: ParamsOf<'gpuDoctor'>): Promise<DoctorReport> {
    const last = this.doctorReport;
    if (last && !q.refresh && (!q.measure || last.fastest !== null || last.entries.some((e) => e.measurement))) return last;
    // One doctor at a time: a second request waits for the run in progress.
    this.doctorRun ??= runDoctor(this.o.launcher, { measure: q.measure }).finally(() => {
      this.doctorRun = null;
    });
    this.doctorReport = await this.doctorRun;
    return this.doctorReport;
  }

  // --- library ---
  async listDatasets() {
    return this.library.listDatasets();
  }
  async listTasks(q: ParamsOf<'listTasks'>) {
    return this.library.listTasks(q);
  }
  async getTask(q: ParamsOf<'getTask'>) {
    return this.library.getTask(q.id);
  }
  async saveTask(q: ParamsOf<'saveTask'>) {
    return this.library.saveTask(q);
  }
  async deleteTask(q: ParamsOf<'deleteTask'>) {
    this.library.deleteTask(q.id);
  }
  async importFiles(q: ParamsOf<'importFiles'>) {
    return this.library.importFiles(q);
  }
  async exportTasks(q: ParamsOf<'exportTasks'>) {
    return this.library.exportTasks(q);
  }
  async listFamilies() {
    return this.library.listFamilies();
  }
  async generateTasks(q: ParamsOf<'generateTasks'>) {
    return this.library.generateTasks(q);
  }

  async exportAuthorsDataset(q: ParamsOf<'exportAuthorsDataset'>) {
    return exportAuthorsDatasetForLab(this.library.store, this.dataDir, q);
  }
  async importAuthorsDataset(q: ParamsOf<'importAuthorsDataset'>) {
    const r = await importAuthorsDatasetForLab(this.library.store, this.dataDir, q);
    this.emit({ type: 'library', datasetId: r.datasetId });
    return r;
  }

  // --- runs and queue ---
  async queueRuns(q: ParamsOf<'queueRuns'>) {
    const tasks = await this.resolveForQueue(q.configs);
    return this.queue.queue(q.configs, q.paired === true, (ids) => ids.forEach((id, i) => this.runTaskStore.insert(id, tasks[i]!)));
  }

  /**
   * Each config's tasks, resolved now: a run owns a snapshot of exactly what it trains and evaluates
   * on (issue 13), so a library edit, a regenerated family or a changed file after queueing does not
   * change it. Configs with the same source share one resolution.
   */
  private async resolveForQueue(configs: readonly RunConfig[]): Promise<Task[][]> {
    const bySource = new Map<string, Promise<Task[]>>();
    for (const c of configs) {
      if (c.data.source.kind === 'file' && !this.grants.allows(c.data.source.path)) throw badRequest(FILE_SOURCE_REFUSED);
      checkSourceExists(c.data.source, this.library.store);
    }
    return Promise.all(
      configs.map((c) => {
        const key = JSON.stringify(c.data.source);
        let p = bySource.get(key);
        if (p === undefined) {
          p = resolveRunTasks(c.data.source, this.library.store);
          bySource.set(key, p);
        }
        return p;
      }),
    );
  }

  /** A run's snapshot; a run queued before snapshots existed resolves its source once and keeps the result. */
  private async snapshotTasks(runId: string, config: RunConfig): Promise<Task[]> {
    if (this.runTaskStore.has(runId)) return this.runTaskStore.tasks(runId);
    // Checked again here: a run queued in an earlier session does not keep that session's grant.
    if (config.data.source.kind === 'file' && !this.grants.allows(config.data.source.path)) throw badRequest(FILE_SOURCE_REFUSED);
    const tasks = await resolveRunTasks(config.data.source, this.library.store);
    if (this.runs.run(runId) !== null) immediateTransaction(this.db, () => this.runTaskStore.insert(runId, tasks));
    return tasks;
  }
  async listRuns() {
    return this.queue.summaries();
  }
  async getRun(q: ParamsOf<'getRun'>): Promise<RunDetail> {
    const row = this.queue.mustGet(q.id);
    const summary = this.queue.summaries().find((r) => r.id === q.id) ?? this.queue.summary(row);
    return { ...summary, config: runConfig(row), trainableParams: row.trainable_params, lastEval: this.runs.lastEval(q.id) };
  }
  async controlRun(q: ParamsOf<'controlRun'>) {
    await this.queue.control(q.id, q.action);
  }
  async reorderQueue(q: ParamsOf<'reorderQueue'>) {
    this.queue.reorder(q.ids);
  }
  async getMetrics(q: ParamsOf<'getMetrics'>) {
    this.queue.mustGet(q.runId);
    const series = this.runs.metrics(q.runId, q.keys);
    const max = q.maxPoints;
    if (max === undefined) return series;
    // Even stride over the points, always keeping the last one (the current value).
    return series.map((s) => {
      if (s.points.length <= max) return s;
      const stride = (s.points.length - 1) / (max - 1);
      return { key: s.key, points: Array.from({ length: max }, (_, i) => s.points[Math.round(i * stride)]!) };
    });
  }
  async listSnapshots(q: ParamsOf<'listSnapshots'>) {
    this.queue.mustGet(q.runId);
    return this.runs.snapshotSteps(q.runId);
  }
  async getSnapshot(q: ParamsOf<'getSnapshot'>) {
    this.queue.mustGet(q.runId);
    const s = this.runs.snapshot(q.runId, q.step);
    if (s === null) throw notFound(`run ${q.runId} has no snapshot at step ${q.step}`);
    return s;
  }
  async listCheckpoints(q: ParamsOf<'listCheckpoints'>) {
    this.queue.mustGet(q.runId);
    // The engine prunes old checkpoints; only those still on disk are listed.
    return this.runs.checkpoints(q.runId).filter((c) => existsSync(c.path));
  }
  async listEvals(q: ParamsOf<'listEvals'>) {
    this.queue.mustGet(q.runId);
    return this.runs.evals(q.runId);
  }

  /** one task of the run's snapshot, by the id its evaluation reports use */
  async getRunTask(q: ParamsOf<'getRunTask'>) {
    const found = (await this.runTasks({ runId: q.runId })).find((t) => t.taskId === q.taskId);
    if (found === undefined) throw notFound(`task ${q.taskId} is not among the tasks run ${q.runId} trained and evaluated on`, { taskId: q.taskId });
    return { ...found.task, id: q.taskId };
  }

  async exportRunForAuthors(q: ParamsOf<'exportRunForAuthors'>) {
    const writer = this.o.torchCheckpointWriter ?? writeTorchStep;
    if (q.runDir !== undefined) {
      // a run folder the user named carries its own data source: its config says what it trained on
      // (a file it names is read for this export, as part of the folder the user chose)
      const folder = await runFolder(q.runDir, this.grants);
      const source = folder.config.data.source;
      return exportRunForLab(
        { id: folder.id, config: folder.config, tasks: () => resolveRunTasks(source, this.library.store) },
        this.dataDir,
        q,
        this.version,
        folder.latest !== null ? (outDir) => writer(folder.latest!, outDir) : undefined,
      );
    }
    const runId = q.runId!;
    const row = this.queue.mustGet(runId);
    const config = runConfig(row);
    const checkpoints = await this.listCheckpoints({ runId });
    const latest = checkpoints[checkpoints.length - 1];
    return exportRunForLab(
      { id: runId, config, tasks: () => this.snapshotTasks(runId, config) },
      this.dataDir,
      q,
      this.version,
      writer !== undefined && latest !== undefined ? (outDir) => writer(latest.path, outDir) : undefined,
    );
  }

  // --- targets and inference ---
  async previewTargets(q: ParamsOf<'previewTargets'>) {
    return previewTargets(q);
  }
  /** The checkpoint directory a playground request uses: the given step, or the run's newest. */
  private async checkpointDir(runId: string, step: number | undefined): Promise<string> {
    const checkpoints = await this.listCheckpoints({ runId });
    const chosen = step === undefined ? checkpoints[checkpoints.length - 1] : checkpoints.find((c) => c.step === step);
    if (chosen === undefined) {
      throw step === undefined ? conflict(`run ${runId} has no checkpoint yet`) : notFound(`run ${runId} has no checkpoint at step ${step}`);
    }
    return chosen.path;
  }
  /**
   * The playground's canvas rule (src-shared/method/canvas-fit.ts), checked here too so a request
   * that cannot fit fails at once with advice, before an engine starts (the CLI gets the same words).
   */
  private checkFits(data: RunConfig['data'], task: Task, testIndex: number | null): void {
    const refusal = canvasRefusal(task, data, testIndex);
    if (refusal !== null) throw badRequest(refusal);
  }
  /**
   * The checkpoint folder a request on a checkpoint names: a run's (runId, `step` or its newest) or a
   * folder the user named (checkpointDir); the canvas rule of the run it records is checked first.
   */
  private async checkpointFor(q: { runId?: string | undefined; step?: number | undefined; checkpointDir?: string | undefined }, task: Task, testIndex: number | null): Promise<string> {
    if (q.runId !== undefined) {
      this.checkFits(runConfig(this.queue.mustGet(q.runId)).data, task, testIndex);
      return this.checkpointDir(q.runId, q.step);
    }
    const dir = await checkpointFolder(q.checkpointDir!, this.grants);
    this.checkFits((await checkpointConfig(dir)).data, task, testIndex);
    return dir;
  }
  async infer(q: ParamsOf<'infer'>) {
    const checkpointDir = await this.checkpointFor(q, q.task, q.testIndex);
    return this.interactive.infer({ checkpointDir, task: q.task, testIndex: q.testIndex, augmentations: q.augmentations ?? 0 });
  }
  async classifyTask(q: ParamsOf<'classifyTask'>) {
    return this.interactive.classify(await this.checkpointDir(q.runId, q.step), q.task);
  }
  async adapt(q: ParamsOf<'adapt'>) {
    const { requestId, runId, step, checkpointDir: named, task, ...options } = q;
    const checkpointDir = await this.checkpointFor({ runId, step, checkpointDir: named }, task, null);
    // the engine's request has no "undefined" fields (exact optional properties): leave out what was not given
    const given = Object.fromEntries(Object.entries(options).filter(([, x]) => x !== undefined)) as { [K in keyof typeof options]?: Exclude<(typeof options)[K], undefined> };
    return this.interactive.adapt({ checkpointDir, task, ...given }, (p) =>
      this.emit({ type: 'adapt-progress', requestId, step: p.step, total: p.total, loss: p.loss }),
    );
  }
  /** A checkpoint evaluated on tasks in the warm engine process (named-paths.ts checks and loads the inputs). */
  async evaluateCheckpoint(q: ParamsOf<'evaluateCheckpoint'>) {
    const checkpointDir = q.runId !== undefined ? await this.checkpointDir(q.runId, q.step) : await checkpointFolder(q.checkpointDir!, this.grants);
    const tasks = q.tasks ?? (await loadTasksPath(q.tasksPath!, this.grants));
    return this.interactive.evaluate(checkpointDir, tasks, q.augmentations ?? DEFAULT_EVAL_AUGMENTATIONS);
  }
  async explainVotes(q: ParamsOf<'explainVotes'>) {
    const checkpointDir = await this.checkpointDir(q.runId, q.step);
    return this.interactive.explainVotes({ checkpointDir, task: q.task, testIndex: q.testIndex, augmentations: q.augmentations });
  }

  // --- external solvers ---
  async importSubmission(q: ParamsOf<'importSubmission'>) {
    return this.solvers.import(q);
  }
  async listSolvers() {
    return this.solvers.list();
  }
  async deleteSolver(q: ParamsOf<'deleteSolver'>) {
    this.solvers.delete(q.id);
  }
  async scoreSolver(q: ParamsOf<'scoreSolver'>) {
    this.solvers.mustGet(q.id);
    if (q.runId !== undefined) {
      const row = this.queue.mustGet(q.runId);
      const config = runConfig(row);
      const all = await this.snapshotTasks(q.runId, config);
      // the tasks the run evaluates (eval.maxTasks keeps the first ones), so both sides share a denominator
      const tasks = config.eval.maxTasks > 0 ? all.slice(0, config.eval.maxTasks) : all;
      return this.solvers.score(q.id, { kind: 'run', id: q.runId, name: row.name }, tasks);
    }
    const datasetId = q.datasetId!;
    const dataset = this.library.store.dataset(datasetId);
    if (dataset === null) throw notFound(`no dataset with id ${datasetId}`);
    const tasks = await resolveRunTasks({ kind: 'dataset', datasetId }, this.library.store);
    return this.solvers.score(q.id, { kind: 'dataset', id: datasetId, name: dataset.name }, tasks);
  }

  // --- issue 13: run task snapshots, solve mode, comparison studies ---
  async runTasks(q: ParamsOf<'runTasks'>) {
    const row = this.queue.mustGet(q.runId);
    const config = runConfig(row);
    await this.snapshotTasks(q.runId, config);
    return this.runTaskStore.list(q.runId, config.eval.maxTasks);
  }
  async humanStatus(q: ParamsOf<'humanStatus'>) {
    return humanStatus(this.human, q.task);
  }
  async submitHumanAttempt(q: ParamsOf<'submitHumanAttempt'>) {
    return submitHumanAttempt(this.human, q, (fn) => immediateTransaction(this.db, fn));
  }
  async humanVsModel(q: ParamsOf<'humanVsModel'>) {
    const runEntry = async (runId: string) => ({ tasks: await this.runTasks({ runId }), lastEval: this.runs.lastEval(runId) });
    if (q.runId !== undefined) {
      const row = this.queue.mustGet(q.runId);
      return humanVsModelTable(this.human, { kind: 'run', id: row.id, name: row.name }, [
        { key: row.id, label: `${row.name} (${row.method.toUpperCase()})`, runs: [await runEntry(row.id)] },
      ]);
    }
    const study = this.mustGetStudy(q.studyId!);
    const columns = [];
    for (const m of study.methods) {
      const runs = [];
      for (const r of study.runs.filter((x) => x.method === m)) runs.push(await runEntry(r.runId));
      columns.push({ key: m, label: `${m.toUpperCase()} (${runs.length} seed${runs.length === 1 ? '' : 's'})`, runs });
    }
    return humanVsModelTable(this.human, { kind: 'study', id: study.id, name: study.name }, columns);
  }
  private mustGetStudy(id: string) {
    const s = this.studies.get(id);
    if (s === null) throw notFound(`no study with id ${id}`);
    return s;
  }
  private runMap(): Map<string, RunSummary> {
    return new Map(this.queue.summaries().map((r) => [r.id, r]));
  }
  async queueStudy(q: ParamsOf<'queueStudy'>): Promise<StudyDetail> {
    if (this.closed) throw conflict('the lab service is shutting down');
    checkStudyConfigs(q.configs);
    const seeded = seedStudyConfigs(q.name, q.configs, q.seeds);
    // the configs share their data (checked): one resolution, one snapshot content for every run
    const [tasks] = await this.resolveForQueue([q.configs[0]!]);
    const id = newId('grp').replace(/^grp-/, 'study-');
    this.studies.insert({ id, name: q.name, methods: q.configs.map((c) => c.method), seeds: seeded.map((s) => s.seed), configs: q.configs });
    // one group per seed (the methods of a seed are partners in compare); the snapshot and study
    // membership go in with each group's runs
    for (const s of seeded) {
      this.queue.queue(s.configs, false, (ids) =>
        ids.forEach((runId, i) => {
          this.runTaskStore.insert(runId, tasks!);
          this.studies.addRun(id, { runId, method: s.configs[i]!.method, seed: s.seed });
        }),
      );
    }
    const detail = studyDetail(this.mustGetStudy(id), this.runMap());
    this.emit({ type: 'study', study: detail });
    return detail;
  }
  async listStudies() {
    const runs = this.runMap();
    return this.studies.ids().map((id) => studySummary(this.mustGetStudy(id), runs));
  }
  async getStudy(q: ParamsOf<'getStudy'>) {
    return studyDetail(this.mustGetStudy(q.id), this.runMap());
  }
  async deleteStudy(q: ParamsOf<'deleteStudy'>) {
    const study = this.mustGetStudy(q.id);
    if (q.deleteRuns === true) for (const r of study.runs) await this.queue.control(r.runId, 'delete');
    this.studies.delete(q.id);
  }

  // --- PyTorch checkpoints ---
  async uploadChunk(q: ParamsOf<'uploadChunk'>) {
    return this.imports.uploadChunk(q);
  }
  async discardUpload(q: ParamsOf<'discardUpload'>) {
    await this.imports.discardUpload(q);
  }
  async inspectCheckpoint(q: ParamsOf<'inspectCheckpoint'>) {
    return this.imports.inspect(q);
  }
  async importCheckpoint(q: ParamsOf<'importCheckpoint'>) {
    if (this.closed) throw conflict('the lab service is shutting down');
    return this.imports.import(q);
  }

  // --- issue 13 (ui): dataset management and ETAs ---
  async renameDataset(q: ParamsOf<'renameDataset'>) {
    return this.library.renameDataset(q.id, q.name);
  }
  async deleteDataset(q: ParamsOf<'deleteDataset'>) {
    return this.library.deleteDataset(q.id);
  }
  async restoreDataset(q: ParamsOf<'restoreDataset'>) {
    return this.library.restoreDataset(q.id);
  }
  async queueEta() {
    return this.queue.queueEta();
  }

  /** Pauses running runs (they checkpoint, and continue on the next start), then closes everything. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.queue.close();
    await this.interactive.close();
    this.listeners.clear();
    this.db.close();
    this.releaseLock();
  }
}
