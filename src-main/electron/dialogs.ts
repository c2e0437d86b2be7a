// Native open/save dialogs for import and export (File menu). Files are read and written here in
// main and go through the same service methods as the renderer's requests.
import { BrowserWindow, dialog, shell } from 'electron';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { LabService } from '../service/api';
import { exportsDir } from '../service/authors';
import { aboutText } from './menu';
import { readImportFiles, writeExportFiles } from './files';

function parent(): BrowserWindow | undefined {
  return BrowserWindow.getFocusedWindow() ?? BrowserWindow.getAllWindows()[0];
}

async function show(type: 'info' | 'error', message: string, detail: string): Promise<void> {
  const win = parent();
  const opts = { type, message, detail, buttons: ['OK'] };
  await (win === undefined ? dialog.showMessageBox(opts) : dialog.showMessageBox(win, opts));
}

export async function importDialog(service: LabService): Promise<void> {
  const win = parent();
  const opts: Electron.OpenDialogOptions = {
    title: 'Import ARC puzzles',
    properties: ['openFile', 'openDirectory', 'multiSelections'],
    filters: [{ name: 'ARC task files', extensions: ['json'] }],
  };
  const r = await (win === undefined ? dialog.showOpenDialog(opts) : dialog.showOpenDialog(win, opts));
  if (r.canceled || r.filePaths.length === 0) return;
  try {
    const files = await readImportFiles(r.filePaths);
    const name = r.filePaths.length === 1 ? path.basename(r.filePaths[0] as string) : `${files.length} files`;
    const report = await service.importFiles({ name, files });
    const rejected = report.rejected.slice(0, 20).map((x) => `${x.file}${x.taskId === undefined ? '' : ` (${x.taskId})`}: ${x.message}`);
    if (report.rejected.length > 20) rejected.push(`… and ${report.rejected.length - 20} more`);
    await show(report.rejected.length === 0 ? 'info' : 'error', `Imported ${report.loaded} task(s); ${report.rejected.length} rejected`, rejected.join('\n'));
  } catch (e) {
    await show('error', 'Import failed', e instanceof Error ? e.message : String(e));
  }
}

/** Exports every dataset into a chosen folder, one subfolder per dataset. */
export async function exportDialog(service: LabService): Promise<void> {
  const win = parent();
  const datasets = (await service.listDatasets()).filter((d) => d.taskCount > 0);
  if (datasets.length === 0) return show('info', 'Nothing to export', 'The library is empty.');
  const fmtOpts = {
    type: 'question' as const,
    message: 'Export the library',
    detail: 'One file per task, or a Kaggle challenges/solutions pair per dataset?',
    buttons: ['Per-task files', 'Combined pair', 'Cancel'],
    cancelId: 2,
  };
  const choice = await (win === undefined ? dialog.showMessageBox(fmtOpts) : dialog.showMessageBox(win, fmtOpts));
  if (choice.response === 2) return;
  const format = choice.response === 0 ? 'per-task' : 'combined';
  const dirOpts: Electron.OpenDialogOptions = { title: 'Export into folder', properties: ['openDirectory', 'createDirectory'] };
  const r = await (win === undefined ? dialog.showOpenDialog(dirOpts) : dialog.showOpenDialog(win, dirOpts));
  if (r.canceled || r.filePaths[0] === undefined) return;
  try {
    let count = 0;
    for (const d of datasets) {
      const { files } = await service.exportTasks({ datasetId: d.id, format });
      const sub = d.name.replace(/[^A-Za-z0-9._ -]+/g, '_').trim() || d.id;
      count += (await writeExportFiles(path.join(r.filePaths[0], sub), files)).length;
    }
    await show('info', `Exported ${count} file(s)`, r.filePaths[0]);
  } catch (e) {
    await show('error', 'Export failed', e instanceof Error ? e.message : String(e));
  }
}

/** Imports an authors' dataset folder chosen with the native folder dialog. */
export async function importAuthorsDatasetDialog(service: LabService): Promise<void> {
  const win = parent();
  const opts: Electron.OpenDialogOptions = { title: "Import the authors' PyTorch dataset folder (train/, test/, identifiers.json)", properties: ['openDirectory'] };
  const r = await (win === undefined ? dialog.showOpenDialog(opts) : dialog.showOpenDialog(win, opts));
  if (r.canceled || r.filePaths[0] === undefined) return;
  try {
    const res = await service.importAuthorsDataset({ folder: r.filePaths[0] });
    await show('info', `Imported ${res.loaded} task(s) into "${res.name}"`, [`${res.evaluationTasks} evaluation task(s), ${res.trainSplitTasks} from the train split`, ...res.notes].join('\n'));
  } catch (e) {
    await show('error', 'Import failed', e instanceof Error ? e.message : String(e));
  }
}

/** Opens the folder the PyTorch/torchrun exports are written to, in the system file manager. */
export async function openExportsFolder(service: LabService): Promise<void> {
  const dir = exportsDir(service.dataDir);
  await mkdir(dir, { recursive: true });
  const err = await shell.openPath(dir);
  if (err !== '') await show('error', 'Could not open the exports folder', `${dir}: ${err}`);
}

export async function aboutDialog(service: LabService): Promise<void> {
  await show('info', 'About Puzzle Lab', aboutText(await service.systemInfo()));
}
