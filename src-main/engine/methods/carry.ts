// The one carry serialiser: a method's carry (named tensors, batch rows first) and the host state of
// its training loop (row data, depths, frames) to and from checkpoint arrays, and the carry split
// into and joined from data-parallel shards. Checkpoint keys are `carry/<name>`, with the method and
// any scalar state in the JSON part: { method: 'trm' } or { method: 'dis', s }.
import * as tf from '@tensorflow/tfjs';
import type { Carry, CarryShapes } from './method';
import type { CarryState } from './types';

export type HostArray = Float32Array | Int32Array;
/** A carry (or part of one) as host arrays, row-major with the batch rows first. */
export type HostCarry = Record<string, HostArray>;

/** The carry's values on the host (async: a GPU read-back cannot be synchronous in Node). */
export async function readCarry(carry: Carry): Promise<HostCarry> {
  const out: HostCarry = {};
  for (const [name, t] of Object.entries(carry)) {
    const v = await t.data();
    // A copy: the backend may hand out its own buffer, and the caller may transfer this one.
    out[name] = t.dtype === 'int32' ? new Int32Array(v as Int32Array) : new Float32Array(v as Float32Array);
  }
  return out;
}

/** Tensors for `rows` batch rows from host values; every entry of `shapes` must be there. */
export function carryTensors(host: HostCarry, shapes: CarryShapes): Carry {
  const out: Carry = {};
  for (const [name, { shape, dtype }] of Object.entries(shapes)) {
    const v = host[name];
    const size = shape.reduce((a, b) => a * b, 1);
    if (!v || v.length !== size) throw new Error(`carry ${name}: expected ${size} values for shape [${shape.join(', ')}], got ${v?.length ?? 'none'}`);
    out[name] = tf.tensor(v, shape, dtype);
  }
  return out;
}

export function disposeCarry(c: Carry | null): void {
  if (c) tf.dispose(Object.values(c));
}

/** Dispose the tensors of `old` that `next` does not carry on (an entry may pass through a step unchanged). */
export function replaceCarry(old: Carry, next: Carry): Carry {
  const kept = new Set(Object.values(next));
  for (const t of Object.values(old)) if (!kept.has(t)) t.dispose();
  return next;
}

/** The checkpoint content for a carry plus the training loop's row state. */
export function encodeCarry(method: string, carry: HostCarry, state: HostCarry, json: Record<string, unknown> = {}): CarryState {
  const arrays: CarryState['arrays'] = {};
  for (const [name, a] of [...Object.entries(carry), ...Object.entries(state)]) arrays[`carry/${name}`] = a.slice();
  return { json: { method, ...json }, arrays };
}

/**
 * A checkpoint's carry split into the method's carry tensors (every other `carry/` entry; their sizes
 * are checked when they become tensors) and the training loop's state, each state entry checked
 * against its expected length (`state`, by name); fresh copies. Throws when the carry belongs to
 * another method or does not fit the batch.
 */
export function decodeCarry(c: CarryState, method: string, state: Record<string, number>, batch: number): { carry: HostCarry; state: HostCarry } {
  if (c.json['method'] !== method) throw new Error(`checkpoint carry is not a ${method.toUpperCase()} state (it says ${String(c.json['method'])})`);
  const out = { carry: {} as HostCarry, state: {} as HostCarry };
  for (const [name, len] of Object.entries(state)) {
    const v = c.arrays[`carry/${name}`];
    if (!v || v.length !== len) throw new Error(`checkpoint carry carry/${name} is missing or does not fit batch ${batch}`);
    out.state[name] = v.slice();
  }
  for (const [key, v] of Object.entries(c.arrays)) {
    const name = key.startsWith('carry/') ? key.slice('carry/'.length) : null;
    if (name !== null && !(name in state)) out.carry[name] = v.slice();
  }
  return out;
}

/** Values per batch row of each carry entry. */
export function rowSizes(shapes: CarryShapes): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, { shape }] of Object.entries(shapes)) out[name] = shape.slice(1).reduce((a, b) => a * b, 1);
  return out;
}

/** Rows [start, end) of every entry. */
export function sliceRows(c: HostCarry, start: number, end: number, B: number): HostCarry {
  const out: HostCarry = {};
  for (const [name, a] of Object.entries(c)) {
    const w = a.length / B;
    out[name] = a.slice(start * w, end * w);
  }
  return out;
}

/** Shards' carries (in row order) joined into the full batch. */
export function joinRows(parts: HostCarry[]): HostCarry {
  const out: HostCarry = {};
  const first = parts[0];
  if (!first) return out;
  for (const name of Object.keys(first)) {
    const arrays = parts.map((p) => {
      const a = p[name];
      if (!a) throw new Error(`carry ${name} is missing from a shard`);
      return a;
    });
    const total = arrays.reduce((n, a) => n + a.length, 0);
    const joined = first[name] instanceof Int32Array ? new Int32Array(total) : new Float32Array(total);
    let at = 0;
    for (const a of arrays) {
      joined.set(a, at);
      at += a.length;
    }
    out[name] = joined;
  }
  return out;
}
