// Shared by the authors' dataset tests: temp folders, a few real ARC tasks, and the numpy checker
// (run only where python3 with numpy exists; the reason is reported otherwise).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadArcPath } from '../../../../src-main/engine/data/resolve-source';
import type { Task } from '../../../../src-shared/puzzle/types';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const ARC_DIR = path.resolve(HERE, '../../../../../shared/arc');

export async function tempDir(prefix: string): Promise<string> {
  return mkdtemp(path.join(tmpdir(), `puzzle-lab-${prefix}-`));
}

/** Some ARC-AGI-1 evaluation tasks (one of them with two test inputs). */
export async function arcTasks(count: number): Promise<Task[]> {
  const all = await loadArcPath(path.join(ARC_DIR, 'arc-agi_evaluation_challenges.json'));
  const multi = all.find((t) => t.test.length > 1) as Task;
  return [multi, ...all.filter((t) => t !== multi).slice(0, count - 1)];
}

/** null when python3 + numpy can run here, else why not. */
export function numpyUnavailable(): string | null {
  const r = spawnSync('python3', ['-c', 'import numpy; print(numpy.__version__)'], { encoding: 'utf8' });
  if (r.error !== undefined) return `python3 is not available (${r.error.message})`;
  if (r.status !== 0) return `python3 has no numpy (${r.stderr.trim().split('\n').pop() ?? ''})`;
  return null;
}

/** Runs check_with_numpy.py on a folder; returns its facts. */
export function checkWithNumpy(folder: string): { identifiers: number; train: { examples: number; puzzles: number; groups: number }; test: { examples: number; puzzles: number; groups: number }; matched_test_examples: number } {
  const out = execFileSync('python3', [path.join(HERE, 'check_with_numpy.py'), folder], { encoding: 'utf8' });
  return JSON.parse(out) as ReturnType<typeof checkWithNumpy>;
}

export function python(code: string, args: string[] = []): string {
  return execFileSync('python3', ['-c', code, ...args], { encoding: 'utf8' });
}
