#!/usr/bin/env node
// `npx puzzle-lab …`: runs the TypeScript CLI through tsx (no build step needed).
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
// tsx is resolved from this package, not from the caller's working directory (npx puzzle-lab may run anywhere).
const r = spawnSync(process.execPath, ['--import', import.meta.resolve('tsx'), path.join(root, 'src-main/cli/index.ts'), ...process.argv.slice(2)], {
  stdio: 'inherit',
});
process.exit(r.status ?? 1);
