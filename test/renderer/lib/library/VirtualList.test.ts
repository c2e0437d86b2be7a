import { render } from '@testing-library/svelte';
import { createRawSnippet } from 'svelte';
import { describe, expect, it, vi } from 'vitest';
import VirtualList from '../../../../src-renderer/src/lib/library/VirtualList.svelte';

const row = createRawSnippet((item: () => string | undefined, i: () => number) => ({
  render: () => `<span class="r">${item() ?? `loading ${i()}`}</span>`,
}));

describe('VirtualList', () => {
  it('renders only the rows in view for a list of thousands, and asks for that range', async () => {
    const onrange = vi.fn();
    const { container } = render(VirtualList<string>, {
      total: 5000,
      rowHeight: 50,
      item: (i: number) => (i < 10 ? `task ${i}` : undefined),
      row,
      onrange,
      label: 'tasks',
    });
    const rows = container.querySelectorAll('[role="listitem"]');
    // jsdom has no layout: the list assumes a 600 px viewport → 12 rows + overscan
    expect(rows.length).toBeGreaterThan(10);
    expect(rows.length).toBeLessThan(40);
    expect(container.querySelector('.spacer')).toHaveStyle({ height: '250000px' });
    expect(rows[0]).toHaveTextContent('task 0');
    expect(onrange).toHaveBeenCalledWith(0, rows.length);
  });
});
