import { render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import type { DatasetSummary } from '../../../../src-shared/api/contract';
import { setClient } from '../../../../src-renderer/src/lib/api/client';
import LibraryView from '../../../../src-renderer/src/lib/library/LibraryView.svelte';
import Toasts from '../../../../src-renderer/src/lib/ui/Toasts.svelte';
import { toasts } from '../../../../src-renderer/src/lib/stores/toasts.svelte';
import { fakeClient } from '../fake-client';

afterEach(() => {
  setClient(null);
  for (const t of toasts.items) toasts.dismiss(t.id);
});

const files = Array.from({ length: 400 }, (_, i) => `t${i}.json`);
const ds: DatasetSummary = { id: 'ds-1', name: 'training', kind: 'import', provenance: JSON.stringify({ files }), taskCount: 400, createdAt: '2026-01-01T00:00:00Z' };

function client(datasets: DatasetSummary[], over: Parameters<typeof fakeClient>[0] = {}) {
  return fakeClient({
    listDatasets: () => datasets,
    listFamilies: () => [{ id: 'recolour', title: 'Recolour', description: '', kind: 'arc' }],
    listTasks: () => ({ total: 0, items: [] }),
    ...over,
  });
}

describe('the library', () => {
  it('says in one line what to do when it is empty, with a button for each', async () => {
    setClient(client([]));
    render(LibraryView, { dataset: null });
    const empty = await screen.findByTestId('library-empty');
    expect(empty).toHaveTextContent('No puzzles yet: import ARC JSON files, generate a puzzle family, or draw a task yourself.');
    expect(within(empty).getByText('Import ARC JSON…')).toBeInTheDocument();
    expect(within(empty).getByRole('button', { name: 'Generate puzzles' })).toBeInTheDocument();
    expect(within(empty).getByRole('button', { name: 'Draw a task' })).toBeInTheDocument();
  });

  it('shows a dataset\'s metadata as fields with its 400 file names folded, not as JSON', async () => {
    setClient(client([ds]));
    render(LibraryView, { dataset: 'ds-1' });
    const details = await screen.findByLabelText('Dataset details');
    expect(details).toHaveTextContent(/Files\s*400 files/);
    expect(details.textContent).not.toMatch(/[{}"]/);
    expect(details.querySelector('details')).not.toHaveAttribute('open');
    expect(screen.queryByTestId('library-empty')).toBeNull();
  });

  it('renames with Enter and shows a refused name inline', async () => {
    let names = ['training'];
    const c = client([ds], {
      renameDataset: ({ name }) => {
        if (name === 'taken') throw new Error('renameDataset: name: another dataset is already called "taken"');
        names = [name];
        return { ...ds, name };
      },
    });
    setClient(c);
    render(LibraryView, { dataset: 'ds-1' });
    await userEvent.click(await screen.findByRole('button', { name: 'Rename' }));
    const input = screen.getByLabelText('Dataset name');
    await userEvent.clear(input);
    await userEvent.type(input, 'taken{Enter}');
    expect(await screen.findByRole('alert')).toHaveTextContent('another dataset is already called "taken"');
    expect(input).toHaveAttribute('aria-invalid', 'true');
    await userEvent.clear(input);
    await userEvent.type(input, 'ARC training{Enter}');
    await waitFor(() => expect(names).toEqual(['ARC training']));
    expect(screen.queryByLabelText('Dataset name')).toBeNull();
  });

  it('deletes at once and offers Undo, which restores the dataset', async () => {
    const c = client([ds], { deleteDataset: () => ({ undoUntil: '2026-01-01T00:10:00Z' }), restoreDataset: () => ds });
    setClient(c);
    render(Toasts);
    render(LibraryView, { dataset: 'ds-1' });
    await userEvent.click(await screen.findByRole('button', { name: 'Delete' }));
    const toast = await screen.findByText('Deleted "training" (400 tasks).');
    await userEvent.click(within(toast.parentElement as HTMLElement).getByRole('button', { name: 'Undo' }));
    await waitFor(() => expect(c.calls.filter((x) => x.method === 'restoreDataset').map((x) => x.params)).toEqual([{ id: 'ds-1' }]));
    expect(screen.queryByText('Deleted "training" (400 tasks).')).toBeNull();
  });

  it('imports a folder as one dataset named for it, reading only its .json files', async () => {
    const c = client([ds], { importFiles: () => ({ datasetId: 'ds-2', loaded: 1, rejected: [] }) });
    setClient(c);
    render(LibraryView, { dataset: null });
    const inFolder = (name: string, content: string) => {
      const f = new File([content], name, { type: 'application/json' });
      Object.defineProperty(f, 'webkitRelativePath', { value: `training/${name}` });
      return f;
    };
    await userEvent.upload(await screen.findByLabelText('Import a folder…'), [inFolder('a.json', '{}'), inFolder('notes.txt', 'x')]);
    await waitFor(() => expect(c.calls.find((x) => x.method === 'importFiles')?.params).toEqual({ files: [{ name: 'a.json', content: '{}' }], folder: 'training' }));
  });
});
