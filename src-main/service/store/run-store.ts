// SQL for runs and their time series (metrics, snapshots, evaluations, checkpoint pointers).
import type { CheckpointInfo, MetricPoint, MetricSeries, RunStatus, RunSummary } from '../../../src-shared/api/contract';
import type { BackendInfo, EvalReport, ProbeSnapshot } from '../../../src-shared/method/protocol';
import type { RunConfig } from '../../../src-shared/method/run-config';
import { nowIso } from '../ids';
import { immediateTransaction, type Db } from './db';

export interface RunRow {
  id: string;
  name: string;
  method: 'trm' | 'dis';
  config: string;
  status: RunStatus;
  group_id: string | null;
  queue_position: number | null;
  step: number;
  total_steps: number;
  examples_per_sec: number;
  eta: number | null;
  backend: string | null;
  trainable_params: number | null;
  error: string | null;
  engine_pid: number | null;
  crash_resumes: number;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  run_dir: string;
}

export interface MetricRow {
  key: string;
  step: number;
  value: number;
  wallSec: number;
  trajectories: number;
  fwdEquiv: number;
}

export function runSummary(r: RunRow): RunSummary {
  return {
    id: r.id,
    name: r.name,
    method: r.method,
    status: r.status,
    group: r.group_id,
    queuePosition: r.queue_position,
    step: r.step,
    totalSteps: r.total_steps,
    examplesPerSec: r.examples_per_sec,
    etaSec: r.eta,
    backend: r.backend === null ? null : (JSON.parse(r.backend) as BackendInfo),
    error: r.error,
    createdAt: r.created_at,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
  };
}

export const runConfig = (r: RunRow): RunConfig => JSON.parse(r.config) as RunConfig;

type RunPatch = Partial<Omit<RunRow, 'id' | 'config' | 'method' | 'created_at' | 'run_dir'>>;

export class RunStore {
  constructor(private readonly db: Db) {}

  transaction<T>(fn: () => T): T {
    return immediateTransaction(this.db, fn);
  }

  insertRun(r: { id: string; config: RunConfig; groupId: string | null; queuePosition: number; runDir: string }): void {
    this.db
      .prepare(
        `INSERT INTO runs (id, name, method, config, status, group_id, queue_position, total_steps, created_at, run_dir)
         VALUES (?, ?, ?, ?, 'queued', ?, ?, ?, ?, ?)`,
      )
      .run(r.id, r.config.name, r.config.method, JSON.stringify(r.config), r.groupId, r.queuePosition, r.config.budget.optimizerSteps, nowIso(), r.runDir);
  }

  /** A run whose weights were imported (not trained here): completed at its step, never queued. */
  insertImportedRun(r: { id: string; config: RunConfig; runDir: string; step: number; trainableParams: number; finishedAt: string }): void {
    this.db
      .prepare(
        `INSERT INTO runs (id, name, method, config, status, group_id, queue_position, step, total_steps, trainable_params, created_at, finished_at, run_dir)
         VALUES (?, ?, ?, ?, 'completed', NULL, NULL, ?, ?, ?, ?, ?, ?)`,
      )
      .run(r.id, r.config.name, r.config.method, JSON.stringify(r.config), r.step, r.step, r.trainableParams, nowIso(), r.finishedAt, r.runDir);
  }

  run(id: string): RunRow | null {
    return (this.db.prepare('SELECT * FROM runs WHERE id = ?').get(id) as RunRow | undefined) ?? null;
  }

  runs(): RunRow[] {
    return this.db.prepare('SELECT * FROM runs ORDER BY created_at, rowid').all() as RunRow[];
  }

  byStatus(status: RunStatus): RunRow[] {
    return this.db
      .prepare('SELECT * FROM runs WHERE status = ? ORDER BY queue_position, started_at, created_at, rowid')
      .all(status) as RunRow[];
  }

  patch(id: string, p: RunPatch): void {
    const keys = Object.keys(p) as Array<keyof RunPatch>;
    if (keys.length === 0) return;
    const sql = `UPDATE runs SET ${keys.map((k) => `${k} = ?`).join(', ')} WHERE id = ?`;
    this.db.prepare(sql).run(...keys.map((k) => p[k] ?? null), id);
  }

  /** One past the largest queue position (the end of the queue). */
  nextQueuePosition(): number {
    const r = this.db.prepare("SELECT COALESCE(MAX(queue_position), 0) + 1 AS p FROM runs WHERE status = 'queued'").get() as { p: number };
    return r.p;
  }

  firstQueuePosition(): number {
    const r = this.db.prepare("SELECT COALESCE(MIN(queue_position), 1) - 1 AS p FROM runs WHERE status = 'queued'").get() as { p: number };
    return r.p;
  }

  /** Renumbers the queued runs 1..n in the given order. */
  setQueueOrder(ids: readonly string[]): void {
    const stmt = this.db.prepare("UPDATE runs SET queue_position = ? WHERE id = ? AND status = 'queued'");
    ids.forEach((id, i) => stmt.run(i + 1, id));
  }

  deleteRun(id: string): void {
    this.db.prepare('DELETE FROM runs WHERE id = ?').run(id);
  }

  // --- time series ---

  /** Upserts: a resumed run that re-reports a step replaces it rather than duplicating it. */
  insertMetrics(runId: string, rows: readonly MetricRow[]): void {
    const stmt = this.db.prepare(
      'INSERT OR REPLACE INTO metrics (run_id, key, step, value, wall_sec, trajectories, fwd_equiv) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    for (const m of rows) {
      stmt.run(runId, m.key, m.step, Number.isFinite(m.value) ? m.value : null, m.wallSec, m.trajectories, m.fwdEquiv);
    }
  }

  /** Everything recorded after `step`: a resume from the checkpoint at `step` will report it again. */
  deleteAfter(runId: string, step: number): void {
    for (const t of ['metrics', 'snapshots', 'evals', 'checkpoints']) {
      this.db.prepare(`DELETE FROM ${t} WHERE run_id = ? AND step > ?`).run(runId, step);
    }
  }

  /** The newest step the recorded metrics reach (0 when none). */
  lastMetricStep(runId: string): number {
    const r = this.db.prepare('SELECT COALESCE(MAX(step), 0) AS top FROM metrics WHERE run_id = ?').get(runId) as { top: number };
    return r.top;
  }

  metricKeys(runId: string): string[] {
    const rows = this.db.prepare('SELECT DISTINCT key FROM metrics WHERE run_id = ? ORDER BY key').all(runId) as Array<{ key: string }>;
    return rows.map((r) => r.key);
  }

  metricSeries(runId: string, key: string): MetricPoint[] {
    const rows = this.db
      .prepare('SELECT step, value, wall_sec, trajectories, fwd_equiv FROM metrics WHERE run_id = ? AND key = ? ORDER BY step')
      .all(runId, key) as Array<{ step: number; value: number | null; wall_sec: number; trajectories: number; fwd_equiv: number }>;
    return rows.map((r) => ({
      step: r.step,
      value: r.value ?? Number.NaN,
      wallSec: r.wall_sec,
      trajectories: r.trajectories,
      forwardEquivalents: r.fwd_equiv,
    }));
  }

  metrics(runId: string, keys?: readonly string[]): MetricSeries[] {
    return (keys ?? this.metricKeys(runId)).map((key) => ({ key, points: this.metricSeries(runId, key) }));
  }

  insertSnapshot(runId: string, step: number, probes: ProbeSnapshot[]): void {
    this.db.prepare('INSERT OR REPLACE INTO snapshots (run_id, step, probes) VALUES (?, ?, ?)').run(runId, step, JSON.stringify(probes));
  }

  snapshotSteps(runId: string): number[] {
    return (this.db.prepare('SELECT step FROM snapshots WHERE run_id = ? ORDER BY step').all(runId) as Array<{ step: number }>).map((r) => r.step);
  }

  snapshot(runId: string, step: number): ProbeSnapshot[] | null {
    const r = this.db.prepare('SELECT probes FROM snapshots WHERE run_id = ? AND step = ?').get(runId, step) as { probes: string } | undefined;
    return r === undefined ? null : (JSON.parse(r.probes) as ProbeSnapshot[]);
  }

  insertEval(runId: string, report: EvalReport): void {
    this.db.prepare('INSERT OR REPLACE INTO evals (run_id, step, report) VALUES (?, ?, ?)').run(runId, report.step, JSON.stringify(report));
  }

  evals(runId: string): EvalReport[] {
    const rows = this.db.prepare('SELECT report FROM evals WHERE run_id = ? ORDER BY step').all(runId) as Array<{ report: string }>;
    return rows.map((r) => JSON.parse(r.report) as EvalReport);
  }

  lastEval(runId: string): EvalReport | null {
    const r = this.db.prepare('SELECT report FROM evals WHERE run_id = ? ORDER BY step DESC LIMIT 1').get(runId) as { report: string } | undefined;
    return r === undefined ? null : (JSON.parse(r.report) as EvalReport);
  }

  insertCheckpoint(runId: string, c: { step: number; path: string; sha256: string }): void {
    this.db
      .prepare('INSERT OR REPLACE INTO checkpoints (run_id, step, path, sha256, created_at) VALUES (?, ?, ?, ?, ?)')
      .run(runId, c.step, c.path, c.sha256, nowIso());
  }

  deleteCheckpoint(runId: string, step: number): void {
    this.db.prepare('DELETE FROM checkpoints WHERE run_id = ? AND step = ?').run(runId, step);
  }

  checkpoints(runId: string): CheckpointInfo[] {
    const rows = this.db
      .prepare('SELECT step, path, sha256, created_at FROM checkpoints WHERE run_id = ? ORDER BY step')
      .all(runId) as Array<{ step: number; path: string; sha256: string; created_at: string }>;
    return rows.map((r) => ({ step: r.step, path: r.path, sha256: r.sha256, createdAt: r.created_at }));
  }

  /** Measured throughput of finished or running runs, newest first, for ETA estimates of queued ones. */
  throughputSamples(): Array<{ method: string; config: string; eps: number }> {
    return this.db
      .prepare("SELECT method, config, examples_per_sec AS eps FROM runs WHERE examples_per_sec > 0 ORDER BY COALESCE(started_at, created_at) DESC LIMIT 50")
      .all() as Array<{ method: string; config: string; eps: number }>;
  }
}
