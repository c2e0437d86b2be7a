// The desktop app's main process: thin wiring of the lab service (which never runs tfjs; engine
// work goes to utility processes), one secure window, IPC, menu and dialogs.
import { app, BrowserWindow, dialog, ipcMain, Menu, session, shell } from 'electron';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { LabService } from '../service/api';
import { startControlChannel, type ControlChannel } from '../service/control-channel';
import { appDataDir } from '../service/data-dir';
import { aboutDialog, exportDialog, importAuthorsDatasetDialog, importCheckpointDialog, importDialog, openExportsFolder } from './dialogs';
import { utilityLauncher } from './engine-launcher';
import { forwardEvents, wireIpc } from './ipc-wiring';
import { menuTemplate } from './menu';
import { registerAppScheme, serveRenderer } from './protocol';
import { guardWebContents } from './web-contents-guards';
import { denyAllPermissions, isTrustedRendererUrl, RENDERER_URL, windowOptions } from './window-options';

const here = path.dirname(fileURLToPath(import.meta.url)); // out/main
const devUrl = !app.isPackaged ? process.env['ELECTRON_RENDERER_URL'] : undefined;
const dataDirFlag = process.argv.find((a) => a.startsWith('--data-dir='))?.slice('--data-dir='.length);

registerAppScheme();
if (!app.requestSingleInstanceLock()) app.quit();

let service: LabService | null = null;
let control: ControlChannel | null = null;

function createWindow(): BrowserWindow {
  const win = new BrowserWindow(windowOptions(path.join(here, '../preload/index.cjs')));
  win.once('ready-to-show', () => win.show());
  // Links to the papers and the project's code open in the system browser; nothing navigates away.
  guardWebContents(win.webContents, devUrl, (url) => void shell.openExternal(url));
  void win.loadURL(devUrl ?? RENDERER_URL);
  return win;
}

app.on('second-instance', () => {
  const win = BrowserWindow.getAllWindows()[0];
  if (win !== undefined) {
    if (win.isMinimized()) win.restore();
    win.focus();
  }
});

app.on('child-process-gone', (_e, details) => {
  if (details.type === 'Utility') console.error(`engine process gone: ${details.reason} (exit code ${details.exitCode})`);
});

void app.whenReady().then(() => {
  session.defaultSession.setPermissionRequestHandler(denyAllPermissions.request);
  session.defaultSession.setPermissionCheckHandler(denyAllPermissions.check);
  serveRenderer(path.join(here, '../renderer'));
  let svc: LabService;
  try {
    svc = new LabService({
      dataDir: appDataDir(dataDirFlag, app.getPath('userData')),
      mode: 'electron',
      launcher: utilityLauncher(here),
    });
  } catch (e) {
    // A read-only database, another running lab on the same folder, …: say so and quit.
    dialog.showErrorBox('Puzzle Lab cannot start', e instanceof Error ? e.message : String(e));
    app.exit(1);
    return;
  }
  service = svc;
  // `puzzle-lab` commands on this data directory talk to this lab through it (service/control-channel.ts)
  startControlChannel(svc).then(
    (c) => {
      control = c;
    },
    (e: unknown) => console.error(`the lab's control channel did not start (puzzle-lab commands cannot reach this lab): ${e instanceof Error ? e.message : String(e)}`),
  );
  wireIpc(ipcMain, svc, (url) => isTrustedRendererUrl(url, devUrl));
  forwardEvents(
    (l) => svc.subscribe(l),
    () => BrowserWindow.getAllWindows().map((w) => w.webContents),
  );
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(
      menuTemplate({
        importFiles: () => void importDialog(svc),
        importCheckpoint: () => void importCheckpointDialog(svc),
        exportTasks: () => void exportDialog(svc),
        about: () => void aboutDialog(svc),
        importAuthorsDataset: () => void importAuthorsDatasetDialog(svc),
        openExports: () => void openExportsFolder(svc),
      }),
    ),
  );
  createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

// Running runs get a pause (they checkpoint) and continue at the next start.
let quitting = false;
app.on('before-quit', (e) => {
  if (quitting || service === null) return;
  e.preventDefault();
  quitting = true;
  void (control?.close() ?? Promise.resolve())
    .catch(() => {})
    .then(() => service!.close())
    .finally(() => app.quit());
});
