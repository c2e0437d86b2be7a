// The project's own postinstall. Electron's postinstall is denied in package.json "allowScripts"
// because it downloads the Electron binary; try it here and only warn on failure, so that
// `npm ci` succeeds offline (build, typecheck and tests do not need the binary) and still leaves
// a launchable Electron on a machine that can download it.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const installer = 'node_modules/electron/install.js';
if (process.env['SKIP_ELECTRON_DOWNLOAD'] === '1' || process.env['CI'] || !existsSync(installer)) process.exit(0);

const r = spawnSync(process.execPath, [installer], { encoding: 'utf8', timeout: 180_000 });
if (r.status === 0) {
  console.log('[postinstall] Electron binary installed');
} else {
  const first =
    `${r.stderr ?? ''}\n${r.stdout ?? ''}`.split('\n').find((l) => l.trim()) ?? String(r.error ?? r.signal);
  console.warn(
    `[postinstall] Electron binary not downloaded (${first.trim()}); the lab still runs in a browser with \`npm start\`.`,
  );
}
process.exit(0);
