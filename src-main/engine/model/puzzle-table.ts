// The sparse per-puzzle embedding (docs/method-notes.md#puzzle-embedding). It is a buffer outside the autograd tape:
// a plain Float32Array [numPuzzleIds, dim], zero-initialised, so it scales to hundreds of thousands of
// rows without one tensor per row. Each step the batch's rows are gathered into one [B, dim] tensor,
// its gradient comes back from the tape as an input gradient, and the touched rows get sign-SGD:
// gradients summed per unique id, then w ← w·(1 − lr·wd) − lr·sign(g_sum). Untouched rows get no decay.

export class PuzzleTable {
  readonly data: Float32Array;

  constructor(
    readonly rows: number,
    readonly dim: number,
    data?: Float32Array,
  ) {
    if (!Number.isInteger(rows) || rows < 1) throw new Error(`puzzle table needs at least 1 row, got ${rows}`);
    if (!Number.isInteger(dim) || dim < 1) throw new Error(`puzzle table width must be a positive integer, got ${dim}`);
    if (data && data.length !== rows * dim) {
      throw new Error(`puzzle table data holds ${data.length} values, expected ${rows}×${dim} = ${rows * dim}`);
    }
    this.data = data ?? new Float32Array(rows * dim);
  }

  private check(id: number, where: string): void {
    if (!Number.isInteger(id) || id < 0 || id >= this.rows) {
      throw new Error(`${where}: puzzle id ${id} is outside the table (0..${this.rows - 1})`);
    }
  }

  /** Rows for a batch of ids, [B·dim] row-major. A negative id gives a zero row (an unseen puzzle). */
  gather(ids: ArrayLike<number>): Float32Array {
    const out = new Float32Array(ids.length * this.dim);
    for (let b = 0; b < ids.length; b++) {
      const id = ids[b] as number;
      if (id < 0) continue;
      this.check(id, 'gather');
      out.set(this.data.subarray(id * this.dim, (id + 1) * this.dim), b * this.dim);
    }
    return out;
  }

  /** Sign-SGD with decoupled decay on the rows the batch touched; grad is [B·dim] for the batch rows. */
  signSgd(ids: ArrayLike<number>, grad: ArrayLike<number>, lr: number, weightDecay: number): void {
    if (grad.length !== ids.length * this.dim) {
      throw new Error(`signSgd: gradient holds ${grad.length} values, expected ${ids.length}×${this.dim}`);
    }
    const sums = new Map<number, Float64Array>();
    for (let b = 0; b < ids.length; b++) {
      const id = ids[b] as number;
      this.check(id, 'signSgd');
      let s = sums.get(id);
      if (!s) {
        s = new Float64Array(this.dim);
        sums.set(id, s);
      }
      const base = b * this.dim;
      for (let j = 0; j < this.dim; j++) s[j] = (s[j] as number) + (grad[base + j] as number);
    }
    const decay = 1 - lr * weightDecay;
    for (const [id, s] of sums) {
      const base = id * this.dim;
      for (let j = 0; j < this.dim; j++) {
        this.data[base + j] = (this.data[base + j] as number) * decay - lr * Math.sign(s[j] as number);
      }
    }
  }
}
