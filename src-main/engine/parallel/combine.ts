// Splitting a batch into shards and recombining the shards' gradients into the full-batch gradient.
// Every loss term is a mean over rows, (1/B)·Σ_rows: a shard of B_k rows reports the gradient of
// (1/B_k)·Σ_its rows, so the full-batch gradient is Σ_k (B_k/B)·g_k. The puzzle-row gradient of the
// batch is the shards' row gradients, each scaled by B_k/B, concatenated in row order.
import type { StepReply } from './protocol';

export interface ShardRange {
  /** first row */
  start: number;
  /** one past the last row */
  end: number;
}

/** k contiguous blocks of rows, sizes differing by at most one; never an empty shard (k ≤ B). */
export function shardRanges(B: number, k: number): ShardRange[] {
  if (!Number.isInteger(k) || k < 1 || k > B) throw new Error(`cannot split ${B} batch rows into ${k} shards`);
  return Array.from({ length: k }, (_, i) => ({ start: Math.floor((i * B) / k), end: Math.floor(((i + 1) * B) / k) }));
}

export interface Combined {
  grads: Record<string, Float32Array | null>;
  /** [B·dim] in batch row order, or null without a table */
  rowsGrad: Float32Array | null;
  lm: number;
  qHaltLoss: number | null;
  qContinueLoss: number | null;
}

/** The full-batch gradients and losses from the shards' replies (replies[k] covers ranges[k]). */
export function combineShards(replies: StepReply[], ranges: ShardRange[], B: number): Combined {
  if (replies.length !== ranges.length || replies.length === 0) throw new Error('combineShards: one reply per shard expected');
  const weight = ranges.map((r) => (r.end - r.start) / B);
  const grads: Record<string, Float32Array | null> = {};
  for (const name of Object.keys(replies[0]!.grads)) {
    const parts = replies.map((r) => r.grads[name] ?? null);
    if (parts.every((g) => g === null)) {
      grads[name] = null;
      continue;
    }
    const size = parts[0]?.length;
    if (size === undefined || parts.some((g) => g === null || g.length !== size)) throw new Error(`combineShards: shards disagree on the gradient of ${name}`);
    const sum = new Float32Array(size);
    parts.forEach((g, k) => {
      const w = weight[k] as number;
      for (let i = 0; i < size; i++) sum[i] = (sum[i] as number) + w * (g![i] as number);
    });
    grads[name] = sum;
  }
  let rowsGrad: Float32Array | null = null;
  if (replies.some((r) => r.rowsGrad !== null)) {
    const dim = replies[0]!.rowsGrad ? replies[0]!.rowsGrad.length / (ranges[0]!.end - ranges[0]!.start) : 0;
    rowsGrad = new Float32Array(B * dim);
    replies.forEach((r, k) => {
      const range = ranges[k]!;
      const g = r.rowsGrad;
      if (!g || g.length !== (range.end - range.start) * dim) throw new Error(`combineShards: shard ${k} has no puzzle-row gradient of ${range.end - range.start}×${dim}`);
      const w = weight[k] as number;
      const base = range.start * dim;
      for (let i = 0; i < g.length; i++) rowsGrad![base + i] = w * (g[i] as number);
    });
  }
  const lm = replies.reduce((a, r, k) => a + (weight[k] as number) * r.lm, 0);
  const qHaltLoss = replies[0]!.qHaltLoss === null ? null : replies.reduce((a, r, k) => a + (weight[k] as number) * (r.qHaltLoss ?? NaN), 0);
  const qContinueLoss = replies[0]!.qContinueLoss == null ? null : replies.reduce((a, r, k) => a + (weight[k] as number) * (r.qContinueLoss ?? NaN), 0);
  return { grads, rowsGrad, lm, qHaltLoss, qContinueLoss };
}

/** The rows' per-row arrays concatenated in batch order. */
export function concatRows(parts: Array<Float32Array | null>, B: number, where: string): Float32Array {
  const out = new Float32Array(B);
  let at = 0;
  for (const p of parts) {
    if (!p) throw new Error(`${where}: a shard sent no per-row values`);
    out.set(p, at);
    at += p.length;
  }
  if (at !== B) throw new Error(`${where}: shards sent ${at} rows, expected ${B}`);
  return out;
}
