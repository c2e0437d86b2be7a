import { fireEvent, render, screen } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import Editor from '../../../../src-renderer/src/lib/editor/Editor.svelte';
import type { Task } from '../../../../src-shared/puzzle/types';

const blank = (): Task => ({
  id: 'draw',
  train: [{ input: [[0, 0, 0], [0, 0, 0], [0, 0, 0]], output: [[0, 0, 0], [0, 0, 0], [0, 0, 0]] }],
  test: [{ input: [[0, 0], [0, 0]] }],
});

function setup(task = blank()) {
  const onchange = vi.fn<(t: Task) => void>();
  const r = render(Editor, { task, onchange });
  const last = (): Task => onchange.mock.lastCall?.[0] as Task;
  const inputGrid = () => r.container.querySelector('section[aria-label="Train 1 input"] svg') as SVGElement;
  const cell = (row: number, col: number, side = 'input') =>
    r.container.querySelector(`section[aria-label="Train 1 ${side}"] rect.cell[data-r="${row}"][data-c="${col}"]`) as Element;
  const editor = screen.getByRole('application', { name: 'Grid editor' });
  return { ...r, onchange, last, inputGrid, cell, editor };
}

describe('Editor (mounted)', () => {
  it('paints with the pencil by click-drag in the colour chosen with a digit key, as one undo step', async () => {
    const { cell, editor, last } = setup();
    await fireEvent.keyDown(editor, { key: '2' });
    await fireEvent.pointerDown(cell(0, 0));
    await fireEvent.pointerOver(cell(0, 1), { buttons: 1 });
    await fireEvent.pointerOver(cell(0, 2), { buttons: 1 });
    await fireEvent.pointerUp(window);
    expect(last().train[0]?.input[0]).toEqual([2, 2, 2]);
    await fireEvent.keyDown(editor, { key: 'z', ctrlKey: true });
    expect(last().train[0]?.input[0]).toEqual([0, 0, 0]);
    await fireEvent.keyDown(editor, { key: 'Z', ctrlKey: true, shiftKey: true });
    expect(last().train[0]?.input[0]).toEqual([2, 2, 2]);
    await fireEvent.keyDown(editor, { key: 'z', ctrlKey: true });
    await fireEvent.keyDown(editor, { key: 'y', ctrlKey: true });
    expect(last().train[0]?.input[0]).toEqual([2, 2, 2]);
  });

  it('fills with F and undoes with the Undo button', async () => {
    const { cell, editor, last } = setup();
    await fireEvent.keyDown(editor, { key: '4' });
    await fireEvent.keyDown(editor, { key: 'f' });
    expect(screen.getByRole('button', { name: /Flood fill/ })).toHaveAttribute('aria-pressed', 'true');
    await fireEvent.pointerDown(cell(1, 1));
    expect(last().train[0]?.input).toEqual([[4, 4, 4], [4, 4, 4], [4, 4, 4]]);
    await userEvent.click(screen.getByRole('button', { name: 'Undo' }));
    expect(last().train[0]?.input).toEqual([[0, 0, 0], [0, 0, 0], [0, 0, 0]]);
    expect(screen.getByRole('button', { name: 'Undo' })).toBeDisabled();
  });

  it('selects by drag, copies with Ctrl+C, pastes with Ctrl+V, moves the paste with arrows and places it with Enter', async () => {
    const task = blank();
    task.train[0]!.input = [[5, 0, 0], [0, 0, 0], [0, 0, 0]];
    const { cell, editor, last } = setup(task);
    await fireEvent.keyDown(editor, { key: 's' });
    await fireEvent.pointerDown(cell(0, 0));
    await fireEvent.pointerUp(window);
    await fireEvent.keyDown(editor, { key: 'c', ctrlKey: true });
    await fireEvent.keyDown(editor, { key: 'v', ctrlKey: true });
    await fireEvent.keyDown(editor, { key: 'ArrowDown' });
    await fireEvent.keyDown(editor, { key: 'ArrowRight' });
    await fireEvent.keyDown(editor, { key: 'ArrowRight' });
    await fireEvent.keyDown(editor, { key: 'Enter' });
    expect(last().train[0]?.input).toEqual([[5, 0, 0], [0, 0, 5], [0, 0, 0]]);
  });

  it('flips and rotates with X and R, crops with Shift+C', async () => {
    const task = blank();
    task.train[0]!.input = [[1, 2, 0], [3, 4, 0], [0, 0, 0]];
    const { cell, editor, last } = setup(task);
    await fireEvent.keyDown(editor, { key: 'x' });
    expect(last().train[0]?.input).toEqual([[0, 2, 1], [0, 4, 3], [0, 0, 0]]);
    await fireEvent.keyDown(editor, { key: 'r' });
    expect(last().train[0]?.input).toEqual([[0, 0, 0], [0, 4, 2], [0, 3, 1]]);
    await fireEvent.keyDown(editor, { key: 's' });
    await fireEvent.pointerDown(cell(1, 1));
    await fireEvent.pointerOver(cell(2, 2), { buttons: 1 });
    await fireEvent.pointerUp(window);
    await fireEvent.keyDown(editor, { key: 'C', shiftKey: true });
    expect(last().train[0]?.input).toEqual([[4, 2], [3, 1]]);
  });

  it('resizes from the rows/cols fields, copies input → output, and clears', async () => {
    const task = blank();
    task.train[0]!.input = [[1, 2, 3], [4, 5, 6], [7, 8, 9]];
    const { editor, last } = setup(task);
    const rows = screen.getByLabelText('Rows');
    await userEvent.clear(rows);
    await userEvent.type(rows, '2');
    await userEvent.click(screen.getByRole('button', { name: 'Resize' }));
    expect(last().train[0]?.input).toEqual([[1, 2, 3], [4, 5, 6]]);
    await fireEvent.keyDown(editor, { key: 'i' });
    expect(last().train[0]?.output).toEqual([[1, 2, 3], [4, 5, 6]]);
    await userEvent.click(screen.getByRole('button', { name: 'Clear' }));
    expect(last().train[0]?.output).toEqual([[0, 0, 0], [0, 0, 0]]);
    expect(last().train[0]?.input).toEqual([[1, 2, 3], [4, 5, 6]]);
  });

  it('heads the grid being edited with its size and a spaced "· editing" marker', () => {
    const { container } = setup();
    const heading = container.querySelector('section[aria-label="Train 1 input"] h3');
    // Svelte trims whitespace at the edges of an element, so the separator must survive as text
    expect(heading?.textContent).toBe('Train 1 input 3×3 · editing');
  });

  it('typing digits in a number field does not change the colour', async () => {
    setup();
    const swatch = screen.getByRole('radio', { name: 'Colour 1 blue' });
    expect(swatch).toHaveAttribute('aria-checked', 'true');
    await userEvent.type(screen.getByLabelText('Cols'), '7');
    expect(swatch).toHaveAttribute('aria-checked', 'true');
  });

  it('adds a train pair and edits it, and gives a missing test output one', async () => {
    const { last } = setup();
    await userEvent.click(screen.getByRole('button', { name: '+ Train pair' }));
    expect(last().train).toHaveLength(2);
    expect(screen.getByRole('heading', { name: /Train 2 input/ })).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: /^Test 1/ }));
    await userEvent.click(screen.getByRole('button', { name: 'Add an output' }));
    expect(last().test[0]?.output).toEqual([[0, 0], [0, 0]]);
  });
});

describe('Editor: the whole task at once (issue 13)', () => {
  const task = (): Task => ({
    id: 'all',
    train: [
      { input: [[0, 0], [0, 0]], output: [[0, 0], [0, 0]] },
      { input: [[0, 0], [0, 0]], output: [[0, 0], [0, 0]] },
    ],
    test: [{ input: [[0, 0], [0, 0]], output: [[0, 0], [0, 0]] }],
  });
  const cellOf = (c: HTMLElement, grid: string, r: number, col: number) =>
    c.querySelector(`section[aria-label="${grid}"] rect.cell[data-r="${r}"][data-c="${col}"]`) as Element;

  it('shows demonstrations left and tests right, and paints on the first click on any grid', async () => {
    const onchange = vi.fn<(t: Task) => void>();
    const { container } = render(Editor, { task: task(), onchange });
    const demos = screen.getByRole('group', { name: 'Demonstrations' });
    const tests = screen.getByRole('group', { name: 'Tests' });
    expect([...demos.querySelectorAll('section')].map((x) => x.getAttribute('aria-label'))).toEqual(['Train 1 input', 'Train 1 output', 'Train 2 input', 'Train 2 output']);
    expect([...tests.querySelectorAll('section')].map((x) => x.getAttribute('aria-label'))).toEqual(['Test 1 input', 'Test 1 output']);
    const editor = screen.getByRole('application', { name: 'Grid editor' });
    await fireEvent.keyDown(editor, { key: '3' });
    for (const grid of ['Train 2 output', 'Test 1 input', 'Train 1 input']) {
      await fireEvent.pointerDown(cellOf(container, grid, 1, 1));
      await fireEvent.pointerUp(window);
      expect(cellOf(container, grid, 1, 1)).toHaveAttribute('data-v', '3');
    }
    const t = onchange.mock.lastCall?.[0] as Task;
    expect([t.train[1]?.output[1]?.[1], t.test[0]?.input[1]?.[1], t.train[0]?.input[1]?.[1]]).toEqual([3, 3, 3]);
    // the selection tool selects on the first click on another grid, too
    await fireEvent.keyDown(editor, { key: 's' });
    await fireEvent.pointerDown(cellOf(container, 'Test 1 output', 0, 1));
    await fireEvent.pointerUp(window);
    expect(screen.getByText(/Selection 1×1 at \(0,1\)/)).toBeInTheDocument();
  });

  it('applies Rows/Cols with Enter and says inline what is wrong, without a toast', async () => {
    const onchange = vi.fn<(t: Task) => void>();
    render(Editor, { task: task(), onchange });
    const rows = screen.getByLabelText('Rows');
    await userEvent.clear(rows);
    await userEvent.type(rows, '31');
    expect(rows).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByText('Rows: 31 is outside 1–30')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Resize' })).toBeDisabled();
    await userEvent.clear(rows);
    await userEvent.type(rows, '4{Enter}');
    expect((onchange.mock.lastCall?.[0] as Task).train[0]?.input).toHaveLength(4);
    expect(rows).toHaveAttribute('aria-invalid', 'false');
  });
});
