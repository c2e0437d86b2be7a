// The CLI as a transport over the lab service (like Electron IPC and the serve WebSocket): commands
// that create runs or touch the library reach the lab's data directory (the app's and `serve`'s
// default; --data-dir to choose) in one of two ways:
//  - no lab is running there: the command starts the lab service in this process, talks to it
//    through dispatch (validated like every other transport) and closes it when done; that lab
//    starts only the runs this command queued (the others wait for the app);
//  - a lab (the app or `serve`) holds the data directory: runs are queued in its database and that
//    lab, the only queue runner there, picks them up within a second (LabService.adoptQueued); the
//    command follows them through the database. Two queue runners never share one data directory.
import { forkLauncher, type EngineLauncher } from '../engine/process/host';
import { DataDirInUse, LabService } from '../service/api';
import { dispatch } from '../service/dispatch';
import { ensureDataDir, openDb, type Db } from '../service/store/db';
import { LibraryStore } from '../service/store/library-store';
import { RunStore, type RunRow } from '../service/store/run-store';
import { labClient } from '../../src-shared/api/client';
import type { LabClient } from '../../src-shared/api/contract';

export type LabLink =
  | { kind: 'own'; dataDir: string; api: LabClient; service: LabService; close(): Promise<void> }
  | { kind: 'running'; dataDir: string; pid: number | null; runs: RunStore; library: LibraryStore; close(): Promise<void> };

export interface OpenLabOptions {
  /** which queued runs a lab started here may train (default: none it did not queue itself, see LabLink) */
  startable: (row: RunRow) => boolean;
  launcher?: EngineLauncher;
}

export function openLab(dataDir: string, o: OpenLabOptions): LabLink {
  let service: LabService;
  try {
    service = new LabService({
      dataDir,
      mode: 'cli',
      launcher: o.launcher ?? forkLauncher(),
      queue: { startable: o.startable },
      // the run's own engine reports its backend; a second probe process would only cost start-up time
      probeBackend: false,
      log: (line) => process.stderr.write(`${line}\n`),
    });
  } catch (e) {
    if (!(e instanceof DataDirInUse)) throw e;
    ensureDataDir(dataDir);
    const db: Db = openDb(dataDir);
    return {
      kind: 'running',
      dataDir,
      pid: e.pid,
      runs: new RunStore(db),
      library: new LibraryStore(db),
      close: async () => {
        db.close();
      },
    };
  }
  const api = labClient(
    (method, params) => dispatch(service, method, params),
    (listener) => service.subscribe(listener),
  );
  return { kind: 'own', dataDir, api, service, close: () => service.close() };
}
