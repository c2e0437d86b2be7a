import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { HUMAN_TRIES, type HumanTestStatus } from '../../../../src-shared/api/contract';
import type { Grid, Task } from '../../../../src-shared/puzzle/types';
import { setClient } from '../../../../src-renderer/src/lib/api/client';
import SolveMode from '../../../../src-renderer/src/lib/playground/SolveMode.svelte';
import { fakeClient } from '../fake-client';

const task: Task = { id: 't', train: [{ input: [[1, 0]], output: [[2, 0]] }], test: [{ input: [[0, 1]], output: [[0, 2]] }] };

afterEach(() => setClient(null));

/** A fake service that checks answers like the real one (exact match, three tries). */
function service(start: HumanTestStatus = { testIndex: 0, tries: 0, solved: false, answers: [] }) {
  let status = start;
  return fakeClient({
    humanStatus: () => [status],
    submitHumanAttempt: (q) => {
      const correct = JSON.stringify(q.grid) === JSON.stringify(task.test[0]!.output);
      status = { testIndex: 0, tries: status.tries + 1, solved: correct, answers: [...status.answers, q.grid as Grid] };
      return { correct, attempt: status.tries, triesLeft: correct ? 0 : HUMAN_TRIES - status.tries, status };
    },
  });
}

describe('solve mode', () => {
  it('never shows the answer, starts blank or from the input, and checks the drawn output', async () => {
    const client = service();
    setClient(client);
    const { container } = render(SolveMode, { task, testIndex: 0 });
    await waitFor(() => expect(screen.getByTestId('solve-tries')).toHaveTextContent('3 of 3 tries left.'));
    const out = () => container.querySelector('section[aria-label="Test 1 output"] svg');
    // blank grid of the input's size, never the real answer
    expect(out()?.getAttribute('aria-label')).toMatch(/1×2/);
    await userEvent.click(screen.getByRole('button', { name: 'Check answer' }));
    await waitFor(() => expect(screen.getByTestId('solve-result')).toHaveTextContent('Not right (try 1).'));
    expect(client.calls.find((c) => c.method === 'submitHumanAttempt')?.params).toMatchObject({ task, testIndex: 0, grid: [[0, 0]] });
    expect(screen.getByTestId('solve-tries')).toHaveTextContent('2 of 3 tries left.');

    // copy the input, paint the 1 as a 2, check
    await userEvent.click(screen.getByRole('button', { name: 'Copy of the input' }));
    const cell = container.querySelector('section[aria-label="Test 1 output"] rect.cell[data-r="0"][data-c="1"]') as Element;
    await userEvent.click(screen.getByRole('radio', { name: /^Colour 2/ }));
    await fireEvent.pointerDown(cell);
    await fireEvent.pointerUp(window);
    await userEvent.click(screen.getByRole('button', { name: 'Check answer' }));
    await waitFor(() => expect(screen.getByTestId('solve-result')).toHaveTextContent('Correct on try 2!'));
    expect(screen.getByTestId('solve-tries')).toHaveTextContent('Solved on try 2.');
    expect(screen.getByRole('button', { name: 'Check answer' })).toBeDisabled();
  });

  it('remembers used tries and stops after three', async () => {
    setClient(service({ testIndex: 0, tries: 3, solved: false, answers: [[[0]], [[1]], [[2]]] }));
    render(SolveMode, { task, testIndex: 0 });
    await waitFor(() => expect(screen.getByTestId('solve-tries')).toHaveTextContent('0 of 3 tries left.'));
    expect(screen.getByRole('button', { name: 'Check answer' })).toBeDisabled();
  });

  it('says there is nothing to check when the test input has no known answer', () => {
    setClient(service());
    render(SolveMode, { task: { ...task, test: [{ input: [[0, 1]] }] }, testIndex: 0 });
    expect(screen.getByTestId('solve-unknown')).toHaveTextContent('no known answer');
  });
});
