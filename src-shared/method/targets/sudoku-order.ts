// The order in which a constraint-propagation solver fills a Sudoku, used by the programmable target
// generator so that each step's frame is what a human-style solver would have written down by then.
// Boards are 81 digits row-major, 0 = blank.

const UNITS: number[][] = (() => {
  const units: number[][] = [];
  for (let r = 0; r < 9; r++) units.push(Array.from({ length: 9 }, (_, c) => r * 9 + c));
  for (let c = 0; c < 9; c++) units.push(Array.from({ length: 9 }, (_, r) => r * 9 + c));
  for (let b = 0; b < 9; b++) {
    const r0 = 3 * Math.floor(b / 3);
    const c0 = 3 * (b % 3);
    units.push(Array.from({ length: 9 }, (_, k) => (r0 + Math.floor(k / 3)) * 9 + c0 + (k % 3)));
  }
  return units;
})();

/** The 20 cells sharing a row, column or box with each cell. */
const PEERS: number[][] = Array.from({ length: 81 }, (_, i) => {
  const set = new Set<number>();
  for (const u of UNITS) if (u.includes(i)) for (const j of u) if (j !== i) set.add(j);
  return [...set];
});

/** Bitmask of digits 1..9 (bit d) still possible at cell i of `board`. */
function candidates(board: Int8Array, i: number): number {
  let used = 0;
  for (const j of PEERS[i] as number[]) used |= 1 << (board[j] as number);
  return ~used & 0b1111111110;
}

function popcount(m: number): number {
  let n = 0;
  for (let v = m; v !== 0; v &= v - 1) n++;
  return n;
}

/** True when no row, column or box holds the same digit twice (blanks are ignored). */
export function isConsistentSudoku(board: ArrayLike<number>): boolean {
  if (board.length !== 81) throw new Error(`a Sudoku board has 81 cells, got ${board.length}`);
  for (const u of UNITS) {
    let seen = 0;
    for (const i of u) {
      const d = board[i] as number;
      if (d === 0) continue;
      if (!Number.isInteger(d) || d < 1 || d > 9) throw new Error(`Sudoku cell ${i} holds ${d}, not a digit 0..9`);
      if (seen & (1 << d)) return false;
      seen |= 1 << d;
    }
  }
  return true;
}

/**
 * The blank cells of `start` (those that `solution` fills) in solver order. Each round takes every
 * naked single (one candidate left) and hidden single (the only place for a digit in a row, column or
 * box) of the current board, in row-major order, and fills them with the solution's digits. When no
 * single exists (a puzzle that needs search) the blank cell with the fewest candidates is filled from
 * the solution, as a solver's correct guess. Every prefix of the order is therefore a consistent
 * partial board whenever `solution` is a valid completion of `start`.
 */
export function sudokuSolveOrder(start: ArrayLike<number>, solution: ArrayLike<number>): number[] {
  if (start.length !== 81 || solution.length !== 81) {
    throw new Error(`sudokuSolveOrder needs two 81-cell boards, got ${start.length} and ${solution.length}`);
  }
  const board = Int8Array.from(start);
  const pending = new Set<number>();
  for (let i = 0; i < 81; i++) {
    const s = solution[i] as number;
    if (board[i] === 0 && s >= 1 && s <= 9) pending.add(i);
  }
  const order: number[] = [];
  while (pending.size > 0) {
    const round = new Set<number>();
    const cand = new Map<number, number>();
    for (const i of pending) cand.set(i, candidates(board, i));
    for (const [i, m] of cand) {
      if (popcount(m) === 1 && m === 1 << (solution[i] as number)) round.add(i);
    }
    for (const u of UNITS) {
      for (let d = 1; d <= 9; d++) {
        let place = -1;
        let places = 0;
        for (const i of u) {
          if (board[i] === d) {
            places = 2; // already placed in this unit
            break;
          }
          const m = cand.get(i);
          if (m !== undefined && m & (1 << d)) {
            place = i;
            places++;
          }
        }
        if (places === 1 && solution[place] === d) round.add(place);
      }
    }
    if (round.size === 0) {
      let best = -1;
      let bestCount = 10;
      for (const [i, m] of cand) {
        const c = popcount(m);
        if (c < bestCount || (c === bestCount && i < best)) {
          best = i;
          bestCount = c;
        }
      }
      round.add(best);
    }
    for (const i of [...round].sort((a, b) => a - b)) {
      board[i] = solution[i] as number;
      pending.delete(i);
      order.push(i);
    }
  }
  return order;
}
