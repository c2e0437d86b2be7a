import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import type { LibraryTask } from '../../../../src-shared/api/contract';
import { setClient } from '../../../../src-renderer/src/lib/api/client';
import EditorView from '../../../../src-renderer/src/lib/editor/EditorView.svelte';
import { router } from '../../../../src-renderer/src/lib/stores/route.svelte';
import { fakeClient } from '../fake-client';

afterEach(() => setClient(null));

describe('saving in the editor', () => {
  it('keeps the undo history, the pair shown, the tool and the colour; only the address follows', async () => {
    location.hash = '#/editor';
    await waitFor(() => expect(router.route).toEqual({ view: 'editor', id: null }));
    const visits = router.visit;
    setClient(
      fakeClient({
        saveTask: ({ task }) => ({ id: 'task-9', taskId: task.id, datasetId: 'ds-user', tags: [], trainCount: 1, testCount: 1, thumbnail: [[0]], edited: false, updatedAt: '', task, originalId: null }) as LibraryTask,
      }),
    );
    const { container } = render(EditorView, { id: null });
    const editor = await screen.findByRole('application', { name: 'Grid editor' });
    await fireEvent.keyDown(editor, { key: '4' });
    await fireEvent.pointerDown(container.querySelector('section[aria-label="Test 1 output"] rect.cell[data-r="0"][data-c="0"]') as Element);
    await fireEvent.pointerUp(window);
    await fireEvent.keyDown(editor, { key: 'f' });
    await userEvent.click(screen.getByRole('button', { name: 'Save to library' }));
    await waitFor(() => expect(location.hash).toBe('#/editor/task-9'));
    await waitFor(() => expect(router.route).toEqual({ view: 'editor', id: 'task-9' }));
    expect(router.visit).toBe(visits);
    expect(screen.getByRole('button', { name: 'Undo' })).toBeEnabled();
    expect(screen.getByRole('button', { name: /Flood fill/ })).toHaveAttribute('aria-pressed', 'true');
    expect(screen.getByRole('radio', { name: 'Colour 4 yellow' })).toHaveAttribute('aria-checked', 'true');
    expect(container.querySelector('section[aria-label="Test 1 output"]')).toHaveClass('active');
  });
});
