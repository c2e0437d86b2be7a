// The CLI as a transport over the lab API (like Electron IPC and the serve WebSocket): every command
// that reads or writes a lab's data directory (the app's and `serve`'s default; --data-dir to
// choose) calls LAB_API methods through a LabClient, reached one of two ways:
//  - no lab is running there: the command starts the lab service in this process, talks to it
//    through dispatch (validated like every other transport) and closes it when done; while it runs
//    it is the lab of that directory, control channel included, so a second command reaches it.
//    That lab starts only the runs the `startable` rule allows (the others wait for the app);
//  - a lab (the app, `serve`, or another command's own lab) holds the data directory: the command
//    is a client of its control channel (service/control-channel.ts), the same requests over the
//    same validation; that lab, the only queue runner there, trains what is queued. When that lab
//    goes away (another command's lab that finished), `lost` says so and the caller may open the
//    data directory again.
import { forkLauncher, type EngineLauncher } from '../engine/process/host';
import { DataDirInUse, LabService } from '../service/api';
import { startControlChannel } from '../service/control-channel';
import { connectControl, ControlUnreachable, type ControlConnection } from '../service/control-client';
import { dispatch } from '../service/dispatch';
import type { RunRow } from '../service/store/run-store';
import { labClient } from '../../src-shared/api/client';
import type { LabClient } from '../../src-shared/api/contract';

export interface LabLink {
  /** 'own': the lab runs in this process; 'running': another process holds it (pid) */
  kind: 'own' | 'running';
  dataDir: string;
  api: LabClient;
  pid: number;
  /** lets the lab read a file or folder the user named on the command line (service/path-grants.ts) */
  grant(p: string): Promise<void>;
  /** 'running': resolves when that lab goes away (it closed, or its process died); 'own': never */
  lost: Promise<string>;
  close(): Promise<void>;
}

export interface OpenLabOptions {
  /** which queued runs a lab started here may train (default: none it did not queue itself, see LabLink) */
  startable?: (row: RunRow) => boolean;
  launcher?: EngineLauncher;
}

/** How long a lab that holds the lock may take to open its control channel (it is starting). */
const CONNECT_PATIENCE_MS = 10_000;
const CONNECT_RETRY_MS = 200;

export async function openLab(dataDir: string, o: OpenLabOptions = {}): Promise<LabLink> {
  let service: LabService;
  try {
    service = new LabService({
      dataDir,
      mode: 'cli',
      launcher: o.launcher ?? forkLauncher(),
      queue: { startable: o.startable ?? (() => false) },
      // the run's own engine reports its backend; a second probe process would only cost start-up time
      probeBackend: false,
      log: (line) => process.stderr.write(`${line}\n`),
    });
  } catch (e) {
    if (!(e instanceof DataDirInUse)) throw e;
    const c = await reachRunningLab(dataDir, e);
    return {
      kind: 'running',
      dataDir,
      api: c.api,
      pid: c.pid,
      grant: (p) => c.grant(p),
      lost: c.lost,
      close: async () => c.close(),
    };
  }
  let channel;
  try {
    channel = await startControlChannel(service);
  } catch (e) {
    await service.close();
    throw e;
  }
  const api = labClient(
    (method, params) => dispatch(service, method, params),
    (listener) => service.subscribe(listener),
  );
  return {
    kind: 'own',
    dataDir: service.dataDir,
    api,
    pid: process.pid,
    grant: async (p) => service.grants.grant(p),
    lost: new Promise<string>(() => {}),
    close: async () => {
      await channel.close();
      await service.close();
    },
  };
}

async function reachRunningLab(dataDir: string, inUse: DataDirInUse): Promise<ControlConnection> {
  const deadline = Date.now() + CONNECT_PATIENCE_MS;
  for (;;) {
    try {
      return await connectControl(dataDir);
    } catch (e) {
      if (!(e instanceof ControlUnreachable) || Date.now() > deadline) {
        const who = `the lab already running on ${dataDir}${inUse.pid !== null ? ` (pid ${inUse.pid})` : ''}`;
        throw new Error(`${who} does not answer on its control channel: ${(e as Error).message}; if it is an older Puzzle Lab, stop it and run the command again`);
      }
    }
    await new Promise((r) => setTimeout(r, CONNECT_RETRY_MS));
  }
}
