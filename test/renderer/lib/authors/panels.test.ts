// The authors' pipeline panels: each sends its request with the user's choices and shows where the
// folder went (and, for a run, the command and the options their code cannot express).
import { fireEvent, render, screen } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';
import { setClient } from '../../../../src-renderer/src/lib/api/client';
import ExportDatasetPanel from '../../../../src-renderer/src/lib/authors/ExportDatasetPanel.svelte';
import ExportRunPanel from '../../../../src-renderer/src/lib/authors/ExportRunPanel.svelte';
import ImportDatasetPanel from '../../../../src-renderer/src/lib/authors/ImportDatasetPanel.svelte';
import { fakeClient } from '../fake-client';

afterEach(() => setClient(null));

const splits = { train: { groups: 2, puzzles: 10, examples: 30 }, test: { groups: 2, puzzles: 10, examples: 10 } };

describe("the authors' pipeline panels", () => {
  it('exports the dataset with the chosen augmentations and shows the folder', async () => {
    const client = fakeClient({ exportAuthorsDataset: () => ({ folder: '/data/exports/mine-aug-50', tasks: 2, numPuzzleIdentifiers: 11, splits, notes: [] }) });
    setClient(client);
    render(ExportDatasetPanel, { datasetId: 'ds-1' });
    await fireEvent.input(screen.getByLabelText('Augmentations'), { target: { value: '50' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Write folder' }));
    expect(await screen.findByText('/data/exports/mine-aug-50')).toBeInTheDocument();
    expect(client.calls).toEqual([{ method: 'exportAuthorsDataset', params: { datasetId: 'ds-1', augmentations: 50, seed: 42, translate: true } }]);
  });

  it('imports a folder by path and reports the new dataset', async () => {
    const client = fakeClient({
      importAuthorsDataset: () => ({ datasetId: 'ds-9', name: 'arc1', loaded: 960, evaluationTasks: 400, trainSplitTasks: 560, numPuzzleIdentifiers: 876406, notes: [] }),
    });
    setClient(client);
    let got = '';
    render(ImportDatasetPanel, { onimported: (r: { datasetId: string }) => (got = r.datasetId) });
    const button = screen.getByRole('button', { name: 'Import' });
    expect(button).toBeDisabled();
    await fireEvent.input(screen.getByLabelText('Dataset folder path'), { target: { value: ' /data/arc1concept-aug-1000 ' } });
    await fireEvent.click(button);
    await screen.findByRole('button', { name: 'Import' });
    expect(client.calls).toEqual([{ method: 'importAuthorsDataset', params: { folder: '/data/arc1concept-aug-1000' } }]);
    expect(got).toBe('ds-9');
  });

  it('exports a run and shows the commit, the command and what has no equivalent', async () => {
    const client = fakeClient({
      exportRunForAuthors: () => ({
        folder: '/data/exports/run-r1',
        method: 'dis',
        repo: { name: 'machinestein/Deep-Improvement-Supervision', url: 'https://github.com/machinestein/Deep-Improvement-Supervision', commit: '032f116' },
        dataset: { folder: '/data/exports/run-r1/data/x', tasks: 2, numPuzzleIdentifiers: 11, splits, notes: [] },
        command: 'torchrun --nproc-per-node 8 puzzle_lab_dis.py arch.H_cycles=1',
        unsupported: ['dis.targets = mask: the DIS code only has the reveal path'],
        notes: [],
        files: [],
        checkpoint: null,
      }),
    });
    setClient(client);
    render(ExportRunPanel, { runId: 'r1' });
    await fireEvent.input(screen.getByLabelText('GPUs per machine'), { target: { value: '8' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Write folder' }));
    expect(await screen.findByText('/data/exports/run-r1')).toBeInTheDocument();
    expect(screen.getByText('032f116')).toBeInTheDocument();
    expect(screen.getByText(/torchrun --nproc-per-node 8/)).toBeInTheDocument();
    expect(screen.getByText(/dis\.targets = mask/)).toBeInTheDocument();
    expect(client.calls).toEqual([{ method: 'exportRunForAuthors', params: { runId: 'r1', gpus: 8, nodes: 2 } }]);
  });
});
