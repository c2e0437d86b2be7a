// Adam on puzzle-table rows, the alternative to the training's sign-SGD for adaptation. Like
// PuzzleTable.signSgd it works on the host table: gradients are summed per unique id, and only the
// touched rows are updated (each with its own step count) and decayed (decoupled):
//   m ← β1·m + (1−β1)·g;  v ← β2·v + (1−β2)·g²;  w ← w·(1 − lr·wd) − lr·m̂/(√v̂ + eps)
import type { PuzzleTable } from '../model/puzzle-table';

export class RowAdam {
  private readonly m: Float32Array;
  private readonly v: Float32Array;
  private readonly t: Int32Array;

  constructor(
    private readonly table: PuzzleTable,
    private readonly beta1: number,
    private readonly beta2: number,
    private readonly eps: number,
  ) {
    this.m = new Float32Array(table.rows * table.dim);
    this.v = new Float32Array(table.rows * table.dim);
    this.t = new Int32Array(table.rows);
  }

  step(ids: ArrayLike<number>, grad: ArrayLike<number>, lr: number, weightDecay: number): void {
    const { dim, rows, data } = this.table;
    if (grad.length !== ids.length * dim) throw new Error(`RowAdam: gradient holds ${grad.length} values, expected ${ids.length}×${dim}`);
    const sums = new Map<number, Float64Array>();
    for (let b = 0; b < ids.length; b++) {
      const id = ids[b] as number;
      if (!Number.isInteger(id) || id < 0 || id >= rows) throw new Error(`RowAdam: puzzle id ${id} is outside the table (0..${rows - 1})`);
      let s = sums.get(id);
      if (!s) sums.set(id, (s = new Float64Array(dim)));
      for (let j = 0; j < dim; j++) s[j]! += grad[b * dim + j] as number;
    }
    const { beta1, beta2, eps } = this;
    const decay = 1 - lr * weightDecay;
    for (const [id, s] of sums) {
      const t = ++this.t[id]!;
      const c1 = 1 - Math.pow(beta1, t);
      const c2 = Math.sqrt(1 - Math.pow(beta2, t));
      const base = id * dim;
      for (let j = 0; j < dim; j++) {
        const g = s[j]!;
        const m = (this.m[base + j] = beta1 * this.m[base + j]! + (1 - beta1) * g);
        const v = (this.v[base + j] = beta2 * this.v[base + j]! + (1 - beta2) * g * g);
        data[base + j] = data[base + j]! * decay - (lr * (m / c1)) / (Math.sqrt(v) / c2 + eps);
      }
    }
  }
}
