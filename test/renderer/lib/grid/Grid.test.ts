import { render } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import { fireEvent } from '@testing-library/svelte';
import Grid from '../../../../src-renderer/src/lib/grid/Grid.svelte';
import { CELL_EOS, CELL_IGNORE, CELL_PAD } from '../../../../src-renderer/src/lib/grid/cells';
import { ARC_PALETTE } from '../../../../src-shared/puzzle/palette';

const cellAt = (c: HTMLElement, r: number, col: number) => c.querySelector(`rect.cell[data-r="${r}"][data-c="${col}"]`);

describe('Grid', () => {
  it('fills every cell with its exact ARC palette colour at whole-pixel size', () => {
    const { container } = render(Grid, { cells: [[0, 1, 2, 3, 4], [5, 6, 7, 8, 9]], label: 'g', cell: 12 });
    for (let v = 0; v < 10; v++) {
      const el = cellAt(container, Math.floor(v / 5), v % 5);
      expect(el?.getAttribute('fill')).toBe(ARC_PALETTE[v]);
    }
    const svg = container.querySelector('svg');
    expect(svg?.getAttribute('width')).toBe('60');
    expect(svg?.getAttribute('shape-rendering')).toBe('crispEdges');
    expect(svg).toHaveAttribute('aria-label', 'g, 2×5');
  });

  it('fit picks the largest whole-pixel cell that fits', () => {
    const { container } = render(Grid, { cells: [[1, 2, 3]], label: 'g', fit: 50 });
    expect(container.querySelector('svg')?.getAttribute('width')).toBe('48');
  });

  it('draws symbol numbers only when asked', () => {
    const off = render(Grid, { cells: [[3, 7]], label: 'a', cell: 20 });
    expect(off.container.querySelectorAll('text.symbol')).toHaveLength(0);
    const on = render(Grid, { cells: [[3, 7]], label: 'b', cell: 20, symbols: true });
    expect([...on.container.querySelectorAll('text.symbol')].map((t) => t.textContent)).toEqual(['3', '7']);
  });

  it('draws PAD as hatched, EOS as marked and -100 as unsupervised non-cells', () => {
    const { container } = render(Grid, { cells: [[1, CELL_EOS, CELL_PAD, CELL_IGNORE]], label: 'tokens', cell: 10 });
    expect(cellAt(container, 0, 1)).toHaveClass('eos');
    expect(cellAt(container, 0, 2)).toHaveClass('pad');
    expect(cellAt(container, 0, 3)).toHaveClass('ignore');
    expect(cellAt(container, 0, 2)?.getAttribute('fill')).toMatch(/^url\(#.*-pad\)$/);
    expect(cellAt(container, 0, 1)?.getAttribute('fill')).toMatch(/-eos\)$/);
    expect(cellAt(container, 0, 3)?.querySelector('title')?.textContent).toMatch(/not supervised/);
  });

  it('overlays right/wrong against a reference and marks cells changed since the previous grid', () => {
    const { container } = render(Grid, {
      cells: [[1, 2, 3]],
      label: 'pred',
      cell: 10,
      against: [[1, 0, CELL_IGNORE]],
      previous: [[1, 1, 3]],
    });
    expect(container.querySelectorAll('.diff-right')).toHaveLength(1);
    expect(container.querySelectorAll('.diff-wrong')).toHaveLength(1);
    // the unsupervised reference cell gets no right/wrong mark
    expect(container.querySelectorAll('.diff-right, .diff-wrong')).toHaveLength(2);
    expect(container.querySelectorAll('.diff-changed')).toHaveLength(1);
  });

  it('shades low-confidence cells darker', () => {
    const { container } = render(Grid, { cells: [[1, 1]], label: 'c', cell: 10, confidence: [[1, 0.25]] });
    const shades = [...container.querySelectorAll('rect.conf')].map((r) => Number(r.getAttribute('opacity')));
    expect(shades[0]).toBe(0);
    expect(shades[1]).toBeCloseTo(0.6);
  });

  it('crops to the content of a padded canvas, keeping full-grid coordinates', () => {
    const cells = [
      [CELL_PAD, CELL_PAD, CELL_PAD],
      [CELL_PAD, 4, CELL_EOS],
      [CELL_PAD, CELL_PAD, CELL_PAD],
    ];
    const { container } = render(Grid, { cells, label: 'crop', cell: 10, crop: true });
    expect(container.querySelectorAll('rect.cell')).toHaveLength(2);
    expect(cellAt(container, 1, 1)).toHaveAttribute('x', '0');
  });

  it('reports the hovered cell (for the linked cursor) and draws the cursor', async () => {
    const onhover = vi.fn();
    const { container } = render(Grid, { cells: [[1, 2], [3, 4]], label: 'h', cell: 10, onhover, cursor: { r: 1, c: 0 } });
    await fireEvent.pointerOver(cellAt(container, 1, 1) as Element);
    expect(onhover).toHaveBeenCalledWith({ r: 1, c: 1 });
    expect(container.querySelector('rect.cursor')).toHaveAttribute('y', '11');
  });
});
