// Where the lab keeps its database and run directories. Electron passes app.getPath('userData');
// headless modes take `--data-dir`, then PUZZLE_LAB_DATA_DIR, then ~/.puzzle-lab.
import { homedir } from 'node:os';
import path from 'node:path';

export function resolveDataDir(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  const chosen = flag ?? env['PUZZLE_LAB_DATA_DIR'];
  if (chosen !== undefined && chosen.trim() !== '') return path.resolve(chosen);
  return path.join(homedir(), '.puzzle-lab');
}

export function runsDir(dataDir: string): string {
  return path.join(dataDir, 'runs');
}
