import { render, screen, waitFor } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunSummary } from '../../../../src-shared/api/contract';
import type { RunConfig } from '../../../../src-shared/method/run-config';
import { setClient } from '../../../../src-renderer/src/lib/api/client';
import RunSetup from '../../../../src-renderer/src/lib/runs/RunSetup.svelte';
import { fakeClient } from '../fake-client';

const summary = (c: RunConfig, i: number): RunSummary => ({
  id: `r${i}`,
  name: c.name,
  method: c.method,
  status: 'queued',
  group: 'g',
  queuePosition: i,
  step: 0,
  totalSteps: c.budget.optimizerSteps,
  examplesPerSec: 0,
  etaSec: null,
  backend: null,
  error: null,
  createdAt: '2026-01-01T00:00:00Z',
  startedAt: null,
  finishedAt: null,
});

afterEach(() => setClient(null));

describe('RunSetup', () => {
  it('queues a TRM+DIS pair with shared data and the edited budget', async () => {
    const client = fakeClient({
      listFamilies: () => [{ id: 'recolour', title: 'Recolour', description: '', kind: 'arc' }],
      listDatasets: () => [],
      queueRuns: (q) => q.configs.map(summary),
    });
    setClient(client);
    render(RunSetup);
    const steps = screen.getByLabelText('Optimizer steps');
    await userEvent.clear(steps);
    await userEvent.type(steps, '80');
    await userEvent.click(screen.getByRole('button', { name: 'Queue TRM + DIS' }));
    await waitFor(() => expect(client.calls.some((c) => c.method === 'queueRuns')).toBe(true));
    const q = client.calls.find((c) => c.method === 'queueRuns')?.params as { configs: RunConfig[]; paired: boolean };
    expect(q.paired).toBe(true);
    expect(q.configs.map((c) => c.method)).toEqual(['trm', 'dis']);
    expect(q.configs.map((c) => c.budget.optimizerSteps)).toEqual([80, 80]);
    expect(q.configs[0]?.data).toEqual(q.configs[1]?.data);
  });

  it('starts from a recipe: cites its source, records the recipe and the fields the user changed, and shows them', async () => {
    const client = fakeClient({ listFamilies: () => [], listDatasets: () => [], queueRuns: (q) => q.configs.map(summary) });
    setClient(client);
    render(RunSetup);
    await userEvent.selectOptions(screen.getByRole('combobox', { name: 'Recipe' }), 'sudoku-extreme');
    expect(screen.getByTestId('recipe-source')).toHaveTextContent(/pretrain_mlp_t_sudoku/);
    expect(screen.getByTestId('recipe-changes')).toHaveTextContent('Unchanged from the recipe.');
    expect(screen.getByRole('radio', { name: 'DIS' })).toBeDisabled();
    const steps = screen.getByLabelText('Optimizer steps');
    await userEvent.clear(steps);
    await userEvent.type(steps, '300');
    expect(screen.getByTestId('recipe-changes')).toHaveTextContent('1 field changed from the recipe');
    await userEvent.click(screen.getByRole('button', { name: 'Queue TRM' }));
    await waitFor(() => expect(client.calls.some((c) => c.method === 'queueRuns')).toBe(true));
    const q = client.calls.find((c) => c.method === 'queueRuns')?.params as { configs: RunConfig[] };
    expect(q.configs).toHaveLength(1);
    expect(q.configs[0]?.model).toMatchObject({ mixer: 'mlp_t', posEncodings: 'none' });
    expect(q.configs[0]?.data.source.kind).toBe('sudoku');
    expect(q.configs[0]?.recipe).toEqual({ id: 'sudoku-extreme', changes: [{ path: 'budget.optimizerSteps', recipe: '65104', value: '300' }] });
  });

  it('shows translation on by default (the authors’ ARC default) and records it when turned off', async () => {
    const client = fakeClient({ listFamilies: () => [], listDatasets: () => [], queueRuns: (q) => q.configs.map(summary) });
    setClient(client);
    render(RunSetup);
    const box = screen.getByRole('checkbox', { name: /Translate training examples/ });
    expect(box).toBeChecked();
    await userEvent.click(box);
    await userEvent.click(screen.getByRole('button', { name: 'Queue TRM + DIS' }));
    await waitFor(() => expect(client.calls.some((c) => c.method === 'queueRuns')).toBe(true));
    const q = client.calls.find((c) => c.method === 'queueRuns')?.params as { configs: RunConfig[] };
    expect(q.configs.map((c) => c.data.translate)).toEqual([false, false]);
  });

  it('switching DIS to the paper preset records mode "paper"', async () => {
    setClient(fakeClient({ listFamilies: () => [], listDatasets: () => [] }));
    render(RunSetup);
    await userEvent.click(screen.getByRole('radio', { name: 'DIS' }));
    await userEvent.click(screen.getByRole('button', { name: 'Paper' }));
    expect(screen.getByText(/mode: paper/)).toBeInTheDocument();
    expect(screen.getByRole('combobox', { name: /Step weights/ })).toHaveValue('linear');
  });

  it('shows why the form cannot be queued', async () => {
    setClient(fakeClient({ listFamilies: () => [], listDatasets: () => [] }));
    render(RunSetup);
    const canvas = screen.getByLabelText('Canvas');
    await userEvent.clear(canvas);
    await userEvent.type(canvas, '40');
    expect(screen.getByRole('alert')).toHaveTextContent(/data\.canvas/);
    expect(screen.getByRole('button', { name: 'Queue TRM + DIS' })).toBeDisabled();
  });
});
