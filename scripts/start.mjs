// `npm start`: the desktop app when it can run here, otherwise the same lab in the browser.
// Electron needs its binary (downloaded by its postinstall, which fails offline) and, on Linux, a
// display. Without either it says so in one line and starts headless serve mode instead (build the
// renderer, then `src-main/serve/index.ts`). The built-in puzzle families need no download.
// Extra arguments go to the app / server, e.g. `npm start -- --data-dir /tmp/lab`.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const bin = (name) => path.join(root, 'node_modules', '.bin', process.platform === 'win32' ? `${name}.cmd` : name);
const args = process.argv.slice(2);

/** The Electron executable, without touching require('electron') (which would try to download it). */
function electronBinary() {
  const override = process.env['ELECTRON_OVERRIDE_DIST_PATH'];
  const exeName = { darwin: 'Electron.app/Contents/MacOS/Electron', win32: 'electron.exe' }[process.platform] ?? 'electron';
  if (override) return existsSync(path.join(override, exeName)) ? path.join(override, exeName) : null;
  const pathFile = path.join(root, 'node_modules/electron/path.txt');
  if (!existsSync(pathFile)) return null;
  const exe = path.join(root, 'node_modules/electron/dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(exe) ? exe : null;
}

function hasDisplay() {
  if (process.platform === 'darwin' || process.platform === 'win32') return true;
  return Boolean(process.env['DISPLAY'] || process.env['WAYLAND_DISPLAY']);
}

function run(cmd, cmdArgs) {
  const r = spawnSync(cmd, cmdArgs, { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

/** Runs the long-lived child, passing Ctrl-C/SIGTERM on so it can shut down gracefully. */
function handOver(cmd, cmdArgs) {
  const child = spawn(cmd, cmdArgs, { cwd: root, stdio: 'inherit' });
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

const electron = electronBinary();
const display = hasDisplay();
if (electron && display) {
  run(bin('electron-vite'), ['build']);
  handOver(electron, [root, ...args]);
} else {
  const why = !electron ? 'no Electron binary' : 'no display';
  console.log(`Electron cannot run here (${why}) — serving the lab in your browser instead:`);
  run(bin('vite'), ['build', '--config', 'vite.renderer.config.ts', '--logLevel', 'warn']);
  handOver(process.execPath, ['--import', 'tsx', path.join(root, 'src-main/serve/index.ts'), ...args]);
}
