// The application menu as a plain template (tested without Electron): File (Import…, Import PyTorch
// checkpoint…, Export…, Quit), View, Help (About, with the backend the engine uses).
import type { MenuItemConstructorOptions } from 'electron';
import type { SystemInfo } from '../../src-shared/api/contract';

export interface MenuActions {
  importFiles(): void;
  importCheckpoint(): void;
  exportTasks(): void;
  about(): void;
  /** File › Import PyTorch dataset folder… (the authors' build_arc_dataset.py output) */
  importAuthorsDataset?(): void;
  /** File › Open exports folder (where "Export for PyTorch/torchrun" write) */
  openExports?(): void;
}

export function menuTemplate(a: MenuActions, platform: NodeJS.Platform = process.platform): MenuItemConstructorOptions[] {
  const mac = platform === 'darwin';
  return [
    ...(mac ? [{ role: 'appMenu' as const }] : []),
    {
      label: '&File',
      submenu: [
        { label: 'Import puzzles…', accelerator: 'CmdOrCtrl+O', click: () => a.importFiles() },
        { label: 'Import PyTorch checkpoint…', click: () => a.importCheckpoint() },
        { label: 'Export puzzles…', accelerator: 'CmdOrCtrl+E', click: () => a.exportTasks() },
        ...(a.importAuthorsDataset !== undefined || a.openExports !== undefined ? [{ type: 'separator' as const }] : []),
        ...(a.importAuthorsDataset !== undefined ? [{ label: 'Import PyTorch dataset folder…', click: () => a.importAuthorsDataset?.() }] : []),
        ...(a.openExports !== undefined ? [{ label: 'Open exports folder', click: () => a.openExports?.() }] : []),
        { type: 'separator' },
        mac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { label: '&Edit', submenu: [{ role: 'undo' }, { role: 'redo' }, { type: 'separator' }, { role: 'cut' }, { role: 'copy' }, { role: 'paste' }, { role: 'selectAll' }] },
    {
      label: '&View',
      submenu: [
        { role: 'reload' },
        { role: 'toggleDevTools' },
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    { label: '&Help', submenu: [{ label: 'About Puzzle Lab', click: () => a.about() }] },
  ];
}

/** The About box text: app version, where data lives, and what really computes. */
export function aboutText(info: SystemInfo): string {
  const b = info.backend;
  const backend =
    b === null
      ? 'Backend: not probed yet (the engine process is starting)'
      : [`Backend: ${b.name} — ${b.device}`, ...Object.entries(b.versions).map(([k, v]) => `  ${k} ${v}`), ...b.notes.map((n) => `  note: ${n}`)].join('\n');
  return [`Puzzle Lab ${info.app.version}`, backend, `Data: ${info.dataDir}`, `Platform: ${info.platform}`].join('\n');
}
