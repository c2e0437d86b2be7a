// SQL for external solvers: imported submission.json files, kept whole (validated) with their provenance.
import type { ExternalSolver } from '../../../src-shared/api/contract';
import type { Submission } from '../../../src-shared/puzzle/submission';
import { newId, nowIso } from '../ids';
import type { Db } from './db';

interface SolverRow {
  id: string;
  name: string;
  source_file: string;
  sha256: string;
  task_ids: string;
  test_count: number;
  created_at: string;
}

const COLUMNS = 'id, name, source_file, sha256, task_ids, test_count, created_at';

function toSolver(r: SolverRow): ExternalSolver {
  return {
    id: r.id,
    name: r.name,
    sourceFile: r.source_file,
    sha256: r.sha256,
    taskIds: JSON.parse(r.task_ids) as string[],
    testCount: r.test_count,
    createdAt: r.created_at,
  };
}

export class SolverStore {
  constructor(private readonly db: Db) {}

  insert(s: { name: string; sourceFile: string; sha256: string; submission: Submission }): ExternalSolver {
    const id = newId('ext');
    const taskIds = Object.keys(s.submission);
    const testCount = Object.values(s.submission).reduce((n, list) => n + list.length, 0);
    this.db
      .prepare(`INSERT INTO external_solvers (${COLUMNS}, submission) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
      .run(id, s.name, s.sourceFile, s.sha256, JSON.stringify(taskIds), testCount, nowIso(), JSON.stringify(s.submission));
    return this.get(id)!;
  }

  list(): ExternalSolver[] {
    const rows = this.db.prepare(`SELECT ${COLUMNS} FROM external_solvers ORDER BY created_at, rowid`).all() as SolverRow[];
    return rows.map(toSolver);
  }

  get(id: string): ExternalSolver | null {
    const r = this.db.prepare(`SELECT ${COLUMNS} FROM external_solvers WHERE id = ?`).get(id) as SolverRow | undefined;
    return r === undefined ? null : toSolver(r);
  }

  /** The stored submission (validated when imported). */
  submission(id: string): Submission | null {
    const r = this.db.prepare('SELECT submission FROM external_solvers WHERE id = ?').get(id) as { submission: string } | undefined;
    return r === undefined ? null : (JSON.parse(r.submission) as Submission);
  }

  delete(id: string): boolean {
    return this.db.prepare('DELETE FROM external_solvers WHERE id = ?').run(id).changes > 0;
  }
}
