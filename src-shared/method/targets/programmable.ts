// Programmable edits (the DIS paper: "puzzle solvers that reveal N constraint-consistent moves per
// step"). The frames walk from the input to the label in an order a solver would take, floor(s·m/N_sup)
// of the m edits done at step s (the reference's linear schedule), so every frame is a legal partial
// solution:
//   N-Queens: wrong queens (none in generated data) are removed first, then the missing queens of the
//             solution are placed in row order, so no frame holds attacking queens.
//   Sudoku:   blanks are filled in constraint-propagation order (naked/hidden singles first; see
//             sudoku-order.ts); cells whose given digit disagrees with the label are corrected first.
//   ARC:      there is no general solver for arbitrary ARC tasks, so this falls back to the reveal path.
// Off-path positions carry the label, as in the reveal path; unfilled cells are supervised as their
// input token (N-Queens empty, Sudoku blank). The order is deterministic; the Rng is used only by the
// ARC fallback.

import type { Rng } from '../../prng';
import { checkFrameArgs, pathFrames, type TargetContext, type TargetGenerator, type TargetOptions } from './common';
import { revealFrames } from './reveal';
import { sudokuSolveOrder } from './sudoku-order';

const QUEEN = 2;
const SUDOKU_BLANK = 1;

function nqueensOrder(x: ArrayLike<number>, y: ArrayLike<number>): number[] {
  const removals: number[] = [];
  const additions: number[] = [];
  for (let i = 0; i < x.length; i++) {
    if (x[i] === y[i]) continue;
    if (y[i] === QUEEN) additions.push(i);
    else removals.push(i);
  }
  // Row-major index order is row order.
  return [...removals, ...additions];
}

function sudokuOrder(x: ArrayLike<number>, y: ArrayLike<number>): number[] {
  const corrections: number[] = [];
  const start = new Int8Array(81);
  const solution = new Int8Array(81);
  for (let i = 0; i < 81; i++) {
    const xi = x[i] as number;
    const yi = y[i] as number;
    solution[i] = yi >= 2 && yi <= 10 ? yi - 1 : 0;
    if (xi !== yi && xi !== SUDOKU_BLANK) corrections.push(i);
    // Wrong givens are treated as blanks by the solver; they are corrected before it starts.
    start[i] = xi >= 2 && xi <= 10 && xi === yi ? xi - 1 : 0;
  }
  const corrected = new Set(corrections);
  for (const i of corrections) start[i] = solution[i] as number;
  const fill = sudokuSolveOrder(start, solution).filter((i) => !corrected.has(i) && x[i] !== y[i]);
  return [...corrections, ...fill];
}

export const programmableGenerator: TargetGenerator = {
  id: 'programmable',
  frames(x: ArrayLike<number>, y: ArrayLike<number>, Nsup: number, rng: Rng, ctx: TargetContext, o: TargetOptions): Int32Array[] {
    switch (ctx.encoding) {
      case 'arc':
        return revealFrames(x, y, Nsup, rng, ctx, o);
      case 'nqueens':
        checkFrameArgs('programmable', x, y, Nsup, ctx);
        return pathFrames(nqueensOrder(x, y), x, y, y, Nsup, ctx.vocab);
      case 'sudoku':
        checkFrameArgs('programmable', x, y, Nsup, ctx);
        if (ctx.side !== 9) throw new Error(`target generator programmable: a Sudoku canvas is 9×9, got ${ctx.side}`);
        return pathFrames(sudokuOrder(x, y), x, y, y, Nsup, ctx.vocab);
    }
  },
};
