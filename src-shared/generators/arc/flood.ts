// Which background cells can reach the grid's edge through 4-connected background cells.
import type { Grid } from '../../puzzle/types';
import { cellAt, colsOf, rowsOf } from '../grid-utils';

/** reached[r][c] is true for 0-cells connected to the border through 0-cells. */
export function borderReachable(g: Grid): boolean[][] {
  const rows = rowsOf(g);
  const cols = colsOf(g);
  const reached = Array.from({ length: rows }, () => new Array<boolean>(cols).fill(false));
  const stack: Array<[number, number]> = [];
  const visit = (r: number, c: number): void => {
    if (r < 0 || c < 0 || r >= rows || c >= cols) return;
    const row = reached[r] as boolean[];
    if (row[c] || cellAt(g, r, c) !== 0) return;
    row[c] = true;
    stack.push([r, c]);
  };
  for (let r = 0; r < rows; r++) {
    visit(r, 0);
    visit(r, cols - 1);
  }
  for (let c = 0; c < cols; c++) {
    visit(0, c);
    visit(rows - 1, c);
  }
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    const [r, c] = next;
    visit(r + 1, c);
    visit(r - 1, c);
    visit(r, c + 1);
    visit(r, c - 1);
  }
  return reached;
}
