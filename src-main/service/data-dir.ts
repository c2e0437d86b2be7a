// Where the lab keeps its database and run directories. Electron passes app.getPath('userData');
// headless modes take `--data-dir`, then PUZZLE_LAB_DATA_DIR, then ~/.puzzle-lab.
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';

/**
 * The one default for the app, `serve` and the CLI, so that all three see the same lab (a CLI run
 * shows in the app): the flag, then $PUZZLE_LAB_DATA_DIR, then ~/.puzzle-lab.
 */
export function resolveDataDir(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  const chosen = flag ?? env['PUZZLE_LAB_DATA_DIR'];
  if (chosen !== undefined && chosen.trim() !== '') return path.resolve(chosen);
  return path.join(homedir(), '.puzzle-lab');
}

export function runsDir(dataDir: string): string {
  return path.join(dataDir, 'runs');
}

/**
 * The desktop app's data directory: the shared default (resolveDataDir), except for a lab that an
 * earlier version kept in Electron's userData folder and that has no shared lab yet: it stays there
 * rather than seem lost (`--data-dir` or $PUZZLE_LAB_DATA_DIR still choose).
 */
export function appDataDir(flag: string | undefined, legacyUserData: string, env: NodeJS.ProcessEnv = process.env): string {
  const shared = resolveDataDir(flag, env);
  if (flag !== undefined || (env['PUZZLE_LAB_DATA_DIR'] ?? '').trim() !== '') return shared;
  if (!existsSync(path.join(shared, 'lab.db')) && existsSync(path.join(legacyUserData, 'lab.db'))) return legacyUserData;
  return shared;
}
