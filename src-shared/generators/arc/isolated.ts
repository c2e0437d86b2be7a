// Whether a cell has no coloured neighbour among its eight.
import type { Grid } from '../../puzzle/types';
import { cellAt } from '../grid-utils';

export function hasColouredNeighbour(g: Grid, r: number, c: number): boolean {
  for (let dr = -1; dr <= 1; dr++) {
    for (let dc = -1; dc <= 1; dc++) {
      if ((dr !== 0 || dc !== 0) && cellAt(g, r + dr, c + dc) !== 0) return true;
    }
  }
  return false;
}
