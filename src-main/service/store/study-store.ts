// SQL for comparison studies: the per-method configs, the seeds, and which run is which.
import type { StudyMethod, StudyRunRef } from '../../../src-shared/api/contract';
import type { RunConfig } from '../../../src-shared/method/run-config';
import { nowIso } from '../ids';
import type { Db } from './db';

export interface StudyRow {
  id: string;
  name: string;
  methods: StudyMethod[];
  seeds: number[];
  configs: RunConfig[];
  createdAt: string;
  runs: StudyRunRef[];
}

export class StudyStore {
  constructor(private readonly db: Db) {}

  insert(s: { id: string; name: string; methods: StudyMethod[]; seeds: number[]; configs: RunConfig[] }): void {
    this.db
      .prepare('INSERT INTO studies (id, name, methods, seeds, config, created_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(s.id, s.name, JSON.stringify(s.methods), JSON.stringify(s.seeds), JSON.stringify(s.configs), nowIso());
  }

  addRun(studyId: string, r: StudyRunRef): void {
    this.db.prepare('INSERT INTO study_runs (study_id, run_id, method, seed) VALUES (?, ?, ?, ?)').run(studyId, r.runId, r.method, r.seed);
  }

  get(id: string): StudyRow | null {
    const r = this.db.prepare('SELECT * FROM studies WHERE id = ?').get(id) as
      | { id: string; name: string; methods: string; seeds: string; config: string; created_at: string }
      | undefined;
    if (r === undefined) return null;
    const runs = this.db
      .prepare('SELECT s.run_id, s.method, s.seed FROM study_runs s JOIN runs r ON r.id = s.run_id WHERE s.study_id = ? ORDER BY s.method, s.seed, r.created_at')
      .all(id) as Array<{ run_id: string; method: StudyMethod; seed: number }>;
    const methods = JSON.parse(r.methods) as StudyMethod[];
    // in the order the methods were chosen, then by seed
    runs.sort((a, b) => methods.indexOf(a.method) - methods.indexOf(b.method) || a.seed - b.seed);
    return {
      id: r.id,
      name: r.name,
      methods,
      seeds: JSON.parse(r.seeds) as number[],
      configs: JSON.parse(r.config) as RunConfig[],
      createdAt: r.created_at,
      runs: runs.map((x) => ({ runId: x.run_id, method: x.method, seed: x.seed })),
    };
  }

  ids(): string[] {
    return (this.db.prepare('SELECT id FROM studies ORDER BY created_at DESC, rowid DESC').all() as Array<{ id: string }>).map((r) => r.id);
  }

  delete(id: string): void {
    this.db.prepare('DELETE FROM studies WHERE id = ?').run(id);
  }
}
