// Native open/save dialogs for import and export (File menu). Files are read and written here in
// main and go through the same service methods as the renderer's requests.
import { BrowserWindow, dialog, shell } from 'electron';
import { mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { LabService } from '../service/api';
import { exportsDir } from '../service/authors';
import { aboutText } from './menu';
import { planExport, readImportFiles, writeExportPlan } from './files';

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
  // The user chose these in a native dialog: requests may now name them as a run's data source.
  for (const p of r.filePaths) service.grants.grant(p);
  try {
    const files = await readImportFiles(r.filePaths);
    // one folder: the dataset is named for it; otherwise the lab names it (the file that loaded, or a count)
    const only = r.filePaths.length === 1 ? (r.filePaths[0] as string) : undefined;
    const folder = only !== undefined && (await stat(only)).isDirectory() ? path.basename(only) : undefined;
    const report = await service.importFiles({ files, ...(folder !== undefined && { folder }) });
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
  const root = r.filePaths[0];
  try {
    const sets = [];
    for (const d of datasets) sets.push({ name: d.name, id: d.id, files: (await service.exportTasks({ datasetId: d.id, format })).files });
    // Dataset names never become paths unsanitised, and nothing is replaced without asking.
    const plan = planExport(root, sets);
    let replace = false;
    if (plan.existing.length > 0) {
      const ask = {
        type: 'question' as const,
        message: `${plan.existing.length} file(s) already exist in ${root}`,
        detail: plan.existing.slice(0, 10).map((f) => path.relative(root, f)).join('\n') + (plan.existing.length > 10 ? '\n…' : ''),
        buttons: ['Replace them', 'Cancel'],
        cancelId: 1,
        defaultId: 1,
      };
      const answer = await (win === undefined ? dialog.showMessageBox(ask) : dialog.showMessageBox(win, ask));
      if (answer.response !== 0) return;
      replace = true;
    }
    const count = (await writeExportPlan(plan, replace)).length;
    await show('info', `Exported ${count} file(s)`, root);
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

/**
 * File › Import PyTorch checkpoint…: the native dialog gives a path, so nothing is uploaded. When the
 * weights and an all_config.yaml beside them tell everything, the user confirms the summary and the run
 * is imported (shown with their own puzzles); otherwise the Runs view's import panel asks for the rest.
 */
export async function importCheckpointDialog(service: LabService): Promise<void> {
  const win = parent();
  const opts: Electron.OpenDialogOptions = {
    title: 'Import a PyTorch checkpoint (step_N from pretrain.py, or .safetensors)',
    properties: ['openFile'],
    filters: [
      { name: 'Checkpoints', extensions: ['*'] },
      { name: 'safetensors', extensions: ['safetensors'] },
    ],
  };
  const r = await (win === undefined ? dialog.showOpenDialog(opts) : dialog.showOpenDialog(win, opts));
  const file = r.filePaths[0];
  if (r.canceled || file === undefined) return;
  try {
    const source = { kind: 'path' as const, path: file };
    const insp = await service.inspectCheckpoint({ source });
    const a = insp.architecture;
    if (a.unresolved.length > 0) {
      await show(
        'error',
        `${path.basename(file)}: ${a.unresolved.join(', ')} must be confirmed`,
        'The weights do not say these, and there is no all_config.yaml beside the checkpoint. Use Runs › Import PyTorch checkpoint… to enter them, or put the run\'s all_config.yaml beside the file.',
      );
      return;
    }
    const detail = [
      `${a.method.toUpperCase()}${a.archName ? ` (${a.archName})` : ''}, step ${insp.step}`,
      `hidden ${a.hidden}, ${a.layers} layer(s), ${a.heads} heads, T ${a.T}, n ${a.n}, N_sup ${a.Nsup}`,
      `${a.puzzleRows.toLocaleString()} puzzle embeddings × ${a.puzzleEmbDim}; ${a.encoding.kind} ${a.encoding.side}×${a.encoding.side}`,
      ...a.notes,
      '',
      'The run is shown with your own puzzles. The checkpoint\'s puzzle embeddings belong to the puzzle ids of the authors\' dataset, so every lab task gets a blank puzzle embedding until you adapt one in the playground.',
    ].join('\n');
    const ask = { type: 'question' as const, message: `Import ${path.basename(file)} as a run?`, detail, buttons: ['Import', 'Cancel'], cancelId: 1 };
    const choice = await (win === undefined ? dialog.showMessageBox(ask) : dialog.showMessageBox(win, ask));
    if (choice.response !== 0) return;
    const run = await service.importCheckpoint({ source });
    await show('info', `Imported "${run.name}"`, 'Open it under Runs: the playground and the vote view accept it like any other run.');
  } catch (e) {
    await show('error', 'Import failed', e instanceof Error ? e.message : String(e));
  }
}
