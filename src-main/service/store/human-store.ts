// SQL for solve mode: the human's answers to test inputs, keyed by task content (fingerprint).
import type { HumanTestStatus } from '../../../src-shared/api/contract';
import type { Grid } from '../../../src-shared/puzzle/types';
import { nowIso } from '../ids';
import { randomBytes } from 'node:crypto';
import type { Db } from './db';

export class HumanStore {
  constructor(private readonly db: Db) {}

  status(fingerprint: string, testIndex: number): HumanTestStatus {
    const rows = this.db
      .prepare('SELECT grid, correct FROM human_attempts WHERE fingerprint = ? AND test_index = ? ORDER BY attempt')
      .all(fingerprint, testIndex) as Array<{ grid: string; correct: number }>;
    return { testIndex, tries: rows.length, solved: rows.some((r) => r.correct === 1), answers: rows.map((r) => JSON.parse(r.grid) as Grid) };
  }

  insert(a: { fingerprint: string; taskId: string; testIndex: number; attempt: number; grid: Grid; correct: boolean }): void {
    this.db
      .prepare('INSERT INTO human_attempts (id, fingerprint, task_id, test_index, attempt, grid, correct, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(`hum-${randomBytes(6).toString('hex')}`, a.fingerprint, a.taskId, a.testIndex, a.attempt, JSON.stringify(a.grid), a.correct ? 1 : 0, nowIso());
  }

  /** Tries and success per (fingerprint, test index) for the given fingerprints. */
  summaries(fingerprints: readonly string[]): Map<string, { tries: number; solved: boolean }> {
    const out = new Map<string, { tries: number; solved: boolean }>();
    const stmt = this.db.prepare('SELECT test_index, COUNT(*) AS tries, MAX(correct) AS solved FROM human_attempts WHERE fingerprint = ? GROUP BY test_index');
    for (const f of new Set(fingerprints)) {
      for (const r of stmt.all(f) as Array<{ test_index: number; tries: number; solved: number }>) {
        out.set(`${f}#${r.test_index}`, { tries: r.tries, solved: r.solved === 1 });
      }
    }
    return out;
  }
}
