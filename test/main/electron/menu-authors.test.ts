// File › Import PyTorch dataset folder… and Open exports folder appear when the app wires them.
import { describe, expect, it } from 'vitest';
import { menuTemplate } from '../../../src-main/electron/menu';

describe("the File menu's PyTorch entries", () => {
  it('lists and runs Import PyTorch dataset folder… and Open exports folder', () => {
    const clicked: string[] = [];
    const t = menuTemplate(
      {
        importFiles: () => clicked.push('import'),
        importCheckpoint: () => clicked.push('checkpoint'),
        exportTasks: () => clicked.push('export'),
        about: () => clicked.push('about'),
        importAuthorsDataset: () => clicked.push('authors'),
        openExports: () => clicked.push('exports'),
      },
      'linux',
    );
    const file = t.find((m) => m.label === '&File')!.submenu as Array<{ label?: string; role?: string; click?: () => void }>;
    const labels = file.map((i) => i.label ?? i.role).filter((x) => x !== undefined);
    expect(labels).toEqual(['Import puzzles…', 'Import PyTorch checkpoint…', 'Export puzzles…', 'Import PyTorch dataset folder…', 'Open exports folder', 'quit']);
    file.find((i) => i.label === 'Import PyTorch dataset folder…')!.click!();
    file.find((i) => i.label === 'Open exports folder')!.click!();
    expect(clicked).toEqual(['authors', 'exports']);
  });
});
