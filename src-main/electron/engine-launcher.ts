// Engine processes in the desktop app: Electron's utilityProcess running out/main/engine.js (the
// electron-vite `engine` entry), behind the same EngineProcess interface as the headless fork.
import { utilityProcess } from 'electron';
import path from 'node:path';
import { wrapChild, type EngineLauncher } from '../engine/process/host';

export function utilityLauncher(mainDir: string): EngineLauncher {
  const entry = path.join(mainDir, 'engine.js');
  return ({ name }) => {
    const child = utilityProcess.fork(entry, [], { serviceName: `Puzzle Lab engine (${name})`, stdio: 'pipe' });
    const stderrListeners: Array<(s: string) => void> = [];
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (s: string) => {
      for (const l of stderrListeners) l(s);
    });
    child.stdout?.on('data', () => {});
    let alive = true;
    child.on('exit', () => {
      alive = false;
    });
    return wrapChild({
      get pid() {
        return child.pid;
      },
      postMessage: (m) => {
        if (alive) child.postMessage(m);
      },
      onMessage: (l) => child.on('message', l),
      // utilityProcess reports only a code; a crash shows as a non-zero code (the 'child-process-gone'
      // app event has the reason, e.g. 'oom', which index.ts logs).
      onExit: (l) => child.on('exit', (code) => l(code, null)),
      onStderr: (l) => stderrListeners.push(l),
      // No separate channel to close: the entry cannot notice, so end it (after 'finished' it is idle).
      disconnect: () => {
        if (alive) child.kill();
      },
      kill: () => {
        if (alive) child.kill();
      },
    });
  };
}
