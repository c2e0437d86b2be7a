import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { integrityCheck, openDb } from '../../../../src-main/service/store/db';
import { tempDataDir } from '../helpers';
import { stepBoundedFile } from '../../../step-bounded';

// Bounded by optimizer steps and fixed work, not seconds (see test/step-bounded.ts).
stepBoundedFile();

const WRITER = path.join(import.meta.dirname, 'fixtures/metrics-writer.ts');
const ROOT = path.resolve(import.meta.dirname, '../../../..');
const { dir, cleanup } = tempDataDir();
afterAll(cleanup);

/** Starts the writer, kills it with SIGKILL a random moment after its first commit; returns the batches it reported. */
function writeUntilKilled(runId: string, delayMs: number): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', WRITER, dir, runId], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    const committed: number[] = [];
    let buf = '';
    let stderr = '';
    let armed = false;
    child.stderr.on('data', (d: Buffer) => (stderr += String(d)));
    child.stdout.on('data', (d: Buffer) => {
      buf += String(d);
      const lines = buf.split('\n');
      buf = lines.pop() ?? '';
      for (const l of lines) {
        const m = /^committed (\S+) (\d+) (\d+)$/.exec(l);
        if (m !== null) committed.push(Number(m[2]));
      }
      if (!armed && committed.length > 0) {
        armed = true;
        setTimeout(() => child.kill('SIGKILL'), delayMs);
      }
    });
    child.on('exit', (_code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`writer ended without being killed: ${stderr}`));
      else resolve(committed);
    });
  });
}

describe('the lab database under SIGKILL', () => {
  it('passes integrity_check after each of 20 kills at random moments and keeps every reported commit', async () => {
    for (let round = 0; round < 20; round++) {
      const runId = `run-${round % 3}`; // later rounds append to earlier runs' series
      const before = openDb(dir);
      const had = (before.prepare('SELECT COUNT(*) AS n FROM metrics WHERE run_id = ?').get(runId) as { n: number }).n;
      before.close();
      const committed = await writeUntilKilled(runId, Math.floor(Math.random() * 150));
      const db = openDb(dir);
      expect(integrityCheck(db)).toBe('ok');
      const count = (batch: number) =>
        (db.prepare('SELECT COUNT(*) AS n FROM metrics WHERE run_id = ? AND step >= ? AND step < ?').get(runId, batch * 200, (batch + 1) * 200) as { n: number }).n;
      for (const b of committed) expect(count(b)).toBe(200);
      // nothing half-written: every batch in the table is whole
      const total = (db.prepare('SELECT COUNT(*) AS n FROM metrics WHERE run_id = ?').get(runId) as { n: number }).n;
      expect(total % 200).toBe(0);
      expect(total).toBeGreaterThanOrEqual(Math.max(had, committed.length * 200));
      db.close();
    }
  });
});
