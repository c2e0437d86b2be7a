// The service's handle on one engine process. Two ways to start one behind the same interface:
// headless `child_process.fork(entry.ts)` under tsx (forkLauncher, here), and Electron's
// `utilityProcess.fork(out/main/engine.js)` (src-main/electron/engine-launcher.ts). Every message
// from the process is validated; exits are reported with code/signal and the tail of its stderr.
import { fork } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseEngineMessage } from './validate-message';
import type { EngineMessage, HostCommand } from './messages';

export interface EngineExit {
  code: number | null;
  signal: string | null;
  /** a sentence for the run's error field: "engine process was killed by SIGKILL" … plus stderr tail */
  reason: string;
}

export interface EngineProcess {
  readonly pid: number | undefined;
  send(cmd: HostCommand): void;
  onMessage(listener: (m: EngineMessage) => void): void;
  /** messages that failed validation (reported, never acted on) */
  onProtocolError(listener: (error: string) => void): void;
  onExit(listener: (exit: EngineExit) => void): void;
  readonly exited: EngineExit | null;
  /** closes the channel so the process exits on its own; kills it after graceMs */
  close(graceMs?: number): Promise<EngineExit>;
  kill(): void;
}

export type EngineLauncher = (o: { name: string }) => EngineProcess;

/** What both process kinds look like underneath. */
export interface RawChild {
  pid: number | undefined;
  postMessage(m: unknown): void;
  onMessage(l: (m: unknown) => void): void;
  onExit(l: (code: number | null, signal: string | null) => void): void;
  onStderr(l: (chunk: string) => void): void;
  /** close the message channel (fork: disconnect); the entry then exits */
  disconnect(): void;
  kill(signal?: NodeJS.Signals): void;
}

const STDERR_TAIL = 2000;
/** Native lines that are no reason for anything (libwayland via a Vulkan driver in a headless session). */
const HARMLESS_STDERR = /^.*XDG_RUNTIME_DIR is invalid or not set.*(\r?\n|$)/gm;

export function describeExit(code: number | null, signal: string | null, stderrTail: string): string {
  let s =
    signal !== null
      ? `engine process was killed by ${signal}`
      : code === 0
        ? 'engine process exited before finishing the job'
        : `engine process exited with code ${code ?? 'unknown'}`;
  if (signal === 'SIGKILL') s += ' (killed, or out of memory)';
  const tail = stderrTail.trim();
  if (tail !== '') s += `; last output: ${tail.slice(-500)}`;
  return s;
}

/** Wraps a raw child: validation, exit bookkeeping, graceful close. */
export function wrapChild(raw: RawChild): EngineProcess {
  const msgListeners: Array<(m: EngineMessage) => void> = [];
  const errListeners: Array<(e: string) => void> = [];
  const exitListeners: Array<(e: EngineExit) => void> = [];
  let stderr = '';
  let exited: EngineExit | null = null;
  let exitWaiters: Array<(e: EngineExit) => void> = [];

  raw.onStderr((chunk) => {
    stderr = (stderr + chunk.replace(HARMLESS_STDERR, '')).slice(-STDERR_TAIL);
  });
  // These run from the child's IPC events: a listener that throws must not take the lab's process
  // (the server, or the app's main process) down, nor keep the other listeners from hearing it.
  const each = <T>(listeners: ReadonlyArray<(x: T) => void>, x: T) => {
    for (const l of listeners) {
      try {
        l(x);
      } catch (e) {
        console.error(`engine process listener failed: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  };
  raw.onMessage((data) => {
    const r = parseEngineMessage(data);
    if (r.ok) each(msgListeners, r.message);
    else each(errListeners, r.error);
  });
  raw.onExit((code, signal) => {
    if (exited !== null) return;
    exited = { code, signal, reason: describeExit(code, signal, stderr) };
    each(exitListeners, exited);
    each(exitWaiters, exited);
    exitWaiters = [];
  });

  return {
    get pid() {
      return raw.pid;
    },
    get exited() {
      return exited;
    },
    send(cmd) {
      if (exited !== null) return;
      try {
        raw.postMessage(cmd);
      } catch {
        // the channel closed under us (the process is exiting): its exit event reports what happened
      }
    },
    onMessage: (l) => void msgListeners.push(l),
    onProtocolError: (l) => void errListeners.push(l),
    onExit: (l) => void exitListeners.push(l),
    close(graceMs = 5000) {
      if (exited !== null) return Promise.resolve(exited);
      return new Promise<EngineExit>((resolve) => {
        exitWaiters.push(resolve);
        raw.disconnect();
        const t = setTimeout(() => raw.kill('SIGKILL'), graceMs);
        exitWaiters.push(() => clearTimeout(t));
      });
    },
    kill() {
      if (exited === null) raw.kill('SIGKILL');
    },
  };
}

const here = path.dirname(fileURLToPath(import.meta.url));
export const ENTRY_TS = path.join(here, 'entry.ts');
const PROJECT_ROOT = path.resolve(here, '../../..');

/** Headless: `node --import tsx entry.ts` through child_process.fork, structured-clone IPC. */
export function forkLauncher(o: { entry?: string; env?: NodeJS.ProcessEnv } = {}): EngineLauncher {
  return ({ name }) => {
    const child = fork(o.entry ?? ENTRY_TS, [], {
      cwd: PROJECT_ROOT,
      execArgv: ['--import', 'tsx'],
      // 'advanced' keeps NaN, Infinity and typed arrays intact (JSON would turn NaN into null).
      serialization: 'advanced',
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      // Its own process group: a Ctrl-C in the terminal reaches the CLI or `serve`, which pause the
      // run with a checkpoint; it must not kill the engine mid-step. (The engine still exits when
      // its host goes: entry.ts watches the IPC channel.)
      detached: true,
      env: { ...process.env, ...o.env, PUZZLE_LAB_ENGINE: name },
    });
    child.stdout?.on('data', () => {}); // drained so a chatty library never blocks on a full pipe
    const stderrListeners: Array<(s: string) => void> = [];
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (s: string) => {
      for (const l of stderrListeners) l(s);
    });
    // An IPC write to a dying child raises EPIPE/ERR_IPC_CHANNEL_CLOSED here; the exit event reports it.
    child.on('error', () => {});
    return wrapChild({
      pid: child.pid,
      postMessage: (m) => {
        if (child.connected) child.send(m as object, (err) => void err);
      },
      onMessage: (l) => child.on('message', l),
      // Reported once stderr has been read to its end (bounded wait), so the reason includes the
      // process's last words. ('close' is not used: after disconnect() Node never emits it.)
      onExit: (l) =>
        child.on('exit', (code, signal) => {
          const err = child.stderr;
          if (err === null || err.readableEnded) return l(code, signal);
          const t = setTimeout(() => l(code, signal), 200);
          err.once('end', () => {
            clearTimeout(t);
            l(code, signal);
          });
        }),
      onStderr: (l) => stderrListeners.push(l),
      disconnect: () => {
        if (child.connected) child.disconnect();
      },
      kill: (signal) => {
        child.kill(signal ?? 'SIGTERM');
      },
    });
  };
}
