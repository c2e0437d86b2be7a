// Small fixtures shared by the target generator tests.

/** A valid Sudoku solution (the classic shifted pattern), 81 digits row-major. */
export function patternSudoku(): number[] {
  const out: number[] = [];
  for (let r = 0; r < 9; r++) for (let c = 0; c < 9; c++) out.push(((r * 3 + Math.floor(r / 3) + c) % 9) + 1);
  return out;
}

/** Queens' coordinates in a board of n² tokens (queen token 2). */
export function queens(tokens: ArrayLike<number>, n: number): Array<[number, number]> {
  const q: Array<[number, number]> = [];
  for (let i = 0; i < tokens.length; i++) if (tokens[i] === 2) q.push([Math.floor(i / n), i % n]);
  return q;
}

export function attacking(q: Array<[number, number]>): boolean {
  for (let a = 0; a < q.length; a++) {
    for (let b = a + 1; b < q.length; b++) {
      const [r1, c1] = q[a] as [number, number];
      const [r2, c2] = q[b] as [number, number];
      if (r1 === r2 || c1 === c2 || Math.abs(r1 - r2) === Math.abs(c1 - c2)) return true;
    }
  }
  return false;
}
