import { render, screen, waitFor } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import type { CheckpointInspection, CheckpointOverrides } from '../../../../src-shared/api/contract';
import { setClient } from '../../../../src-renderer/src/lib/api/client';
import ImportCheckpoint from '../../../../src-renderer/src/lib/runs/ImportCheckpoint.svelte';
import { toBase64, uploadFile } from '../../../../src-renderer/src/lib/runs/upload';
import { runSummary } from '../builders';
import { fakeClient } from '../fake-client';

afterEach(() => setClient(null));

function inspection(o: CheckpointOverrides = {}): CheckpointInspection {
  const heads = o.heads ?? 0;
  const T = o.T ?? 0;
  const n = o.n ?? 0;
  const Nsup = o.Nsup ?? 0;
  const unresolved = (['heads', 'T', 'n', 'Nsup'] as const).filter((k) => ({ heads, T, n, Nsup })[k] === 0);
  return {
    file: 'step_7',
    format: 'torch-zip',
    step: 7,
    allConfig: null,
    keys: 15,
    trainableParams: heads ? 1000 : 0,
    architecture: {
      method: 'trm', archName: null, hidden: 32, layers: 2, heads, expansion: 4, inner: 256, puzzleEmbLen: 16, puzzleEmbDim: 32, puzzleRows: 10, vocab: 12,
      encoding: { kind: 'arc', side: 30, seqLen: 900 }, T, n, Nsup, ropeTheta: 10000, mixer: 'attention', posEncodings: o.posEncodings ?? 'rope',
      sources: {
        hidden: 'shapes', puzzleEmbLen: 'default', mixer: 'shapes', posEncodings: o.posEncodings ? 'user' : 'default',
        ...(heads ? { heads: 'user', T: 'user', n: 'user', Nsup: 'user' } : {}),
      },
      unresolved: [...unresolved], notes: [],
    },
  };
}

describe('uploading a file in chunks', () => {
  it('sends consecutive base64 chunks that continue the same upload', async () => {
    const bytes = Uint8Array.from({ length: 10 }, (_, i) => i * 25);
    const sent: Array<{ offset: number; data: string; uploadId?: string | undefined }> = [];
    const client = {
      uploadChunk: async (q: { offset: number; data: string; uploadId?: string | undefined }) => {
        sent.push(q);
        return { uploadId: 'up-1', received: q.offset + atob(q.data).length };
      },
    };
    const file = { name: 'step_7', size: 10, slice: (a: number, b: number) => ({ arrayBuffer: async () => bytes.slice(a, b).buffer }) };
    expect(await uploadFile(client, file, undefined, 4)).toBe('up-1');
    expect(sent.map((s) => [s.offset, s.uploadId])).toEqual([[0, undefined], [4, 'up-1'], [8, 'up-1']]);
    expect(sent.map((s) => s.data).join('|')).toBe([toBase64(bytes.slice(0, 4)), toBase64(bytes.slice(4, 8)), toBase64(bytes.slice(8))].join('|'));
  });
});

describe('ImportCheckpoint', () => {
  it('uploads, asks for what the weights cannot tell, states the puzzle-id caveat and imports with the confirmed values', async () => {
    const user = userEvent.setup();
    const client = fakeClient({
      listDatasets: () => [{ id: 'ds-1', name: 'ARC eval', kind: 'import', provenance: '', taskCount: 400, createdAt: '' }],
      uploadChunk: (q) => ({ uploadId: 'up-abc', received: q.offset + atob(q.data).length }),
      inspectCheckpoint: (q) => inspection(q.overrides),
      importCheckpoint: () => runSummary({ id: 'run-x', name: 'TRM step_7 (PyTorch)', method: 'trm', status: 'completed', step: 7 }),
    });
    setClient(client);
    render(ImportCheckpoint);
    await user.click(screen.getByRole('button', { name: 'Import PyTorch checkpoint…' }));
    await user.upload(screen.getByLabelText('Checkpoint…'), new File([new Uint8Array([80, 75, 3, 4])], 'step_7'));
    await screen.findByText(/hidden 32/);
    const importButton = screen.getByRole('button', { name: 'Import as a run' });
    expect(importButton).toBeDisabled();
    expect(screen.getByText(/Confirm heads, T, n, Nsup first/)).toBeInTheDocument();
    expect(screen.getByText(/blank puzzle embedding/)).toBeInTheDocument();
    await user.type(screen.getByLabelText(/Heads/), '4');
    await user.type(screen.getByLabelText(/T \(H_cycles\)/), '2');
    await user.type(screen.getByLabelText(/n \(L_cycles\)/), '2');
    await user.type(screen.getByLabelText(/N_sup/), '3');
    await user.selectOptions(screen.getByLabelText(/Show it with/), 'ds-1');
    expect(importButton).toBeEnabled();
    await user.click(importButton);
    await waitFor(() => expect(client.calls.some((c) => c.method === 'importCheckpoint')).toBe(true));
    const call = client.calls.find((c) => c.method === 'importCheckpoint')!.params;
    expect(call).toEqual({
      source: { kind: 'upload', uploadId: 'up-abc' },
      overrides: { method: 'trm', heads: 4, T: 2, n: 2, Nsup: 3, canvas: 30 },
      pair: { kind: 'dataset', datasetId: 'ds-1' },
    });
  });
});

describe('ImportCheckpoint pairing with an authors’ dataset', () => {
  const datasets = [
    { id: 'ds-mine', name: 'My puzzles', kind: 'user' as const, provenance: '{}', taskCount: 3, createdAt: '' },
    {
      id: 'ds-authors', name: 'arc1 (authors)', kind: 'import' as const, taskCount: 4, createdAt: '',
      provenance: JSON.stringify({ authorsDataset: '/data/arc1', identifiers: { file: 'authors-identifiers/0123456789abcdef.json.gz', count: 10, sha256: 'x', source: '/data/arc1/identifiers.json' } }),
    },
    {
      id: 'ds-other', name: 'sudoku (authors)', kind: 'import' as const, taskCount: 2, createdAt: '',
      provenance: JSON.stringify({ authorsDataset: '/data/other', identifiers: { file: 'authors-identifiers/fedcba9876543210.json.gz', count: 7, sha256: 'y', source: '/data/other/identifiers.json' } }),
    },
    { id: 'ds-old', name: 'old import', kind: 'import' as const, taskCount: 2, createdAt: '', provenance: JSON.stringify({ authorsDataset: '/data/old' }) },
  ];

  it('says which case the chosen dataset is: matched rows, a table of another size (import disabled), an old import, or blank embeddings; and sends the chosen positions', async () => {
    const user = userEvent.setup();
    const client = fakeClient({
      listDatasets: () => datasets,
      uploadChunk: (q) => ({ uploadId: 'up-abc', received: q.offset + atob(q.data).length }),
      inspectCheckpoint: (q) => inspection({ heads: 4, T: 2, n: 2, Nsup: 3, ...q.overrides }),
      importCheckpoint: () => runSummary({ id: 'run-x', name: 'TRM step_7 (PyTorch)', method: 'trm', status: 'completed', step: 7 }),
    });
    setClient(client);
    render(ImportCheckpoint);
    await user.click(screen.getByRole('button', { name: 'Import PyTorch checkpoint…' }));
    await user.upload(screen.getByLabelText('Checkpoint…'), new File([new Uint8Array([80, 75, 3, 4])], 'step_7'));
    await screen.findByText(/hidden 32/);
    expect(screen.getByText('self-attention')).toBeInTheDocument();
    const importButton = screen.getByRole('button', { name: 'Import as a run' });
    const pairing = () => screen.getByTestId('pairing').textContent ?? '';
    expect(pairing()).toMatch(/blank puzzle embedding/);
    await user.selectOptions(screen.getByLabelText(/Show it with/), 'ds-authors');
    expect(pairing()).toMatch(/its 10 puzzle identifiers match the checkpoint's table/);
    expect(importButton).toBeEnabled();
    await user.selectOptions(screen.getByLabelText(/Show it with/), 'ds-other');
    expect(pairing()).toMatch(/keeps 7 puzzle identifiers .* has\s+10 rows: it is not the dataset this checkpoint trained on/);
    expect(importButton).toBeDisabled();
    await user.selectOptions(screen.getByLabelText(/Show it with/), 'ds-old');
    expect(pairing()).toMatch(/before the lab kept its identifiers/);
    await user.selectOptions(screen.getByLabelText(/Show it with/), 'ds-authors');
    await user.selectOptions(screen.getByLabelText(/Positions/), 'none');
    await user.click(importButton);
    await waitFor(() => expect(client.calls.some((c) => c.method === 'importCheckpoint')).toBe(true));
    expect(client.calls.find((c) => c.method === 'importCheckpoint')!.params).toMatchObject({
      overrides: { posEncodings: 'none' },
      pair: { kind: 'dataset', datasetId: 'ds-authors' },
    });
  });
});
