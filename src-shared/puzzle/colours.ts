// Colour permutations (docs/method-notes.md#augmentation): colour 0 is the background and never moves; 1..9 are permuted.
// A map m sends colour k to m[k].

import type { Rng } from '../prng';
import type { Grid } from './types';

export type ColourMap = number[];

export const IDENTITY_COLOURS: readonly number[] = Object.freeze([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);

export function isColourMap(m: readonly number[]): boolean {
  if (m.length !== 10 || m[0] !== 0) return false;
  const seen = new Array<boolean>(10).fill(false);
  for (const v of m) {
    if (!Number.isInteger(v) || v < 0 || v > 9 || seen[v]) return false;
    seen[v] = true;
  }
  return true;
}

function checkMap(m: readonly number[]): void {
  if (!isColourMap(m)) {
    throw new Error(`colour map must be a permutation of 0..9 with m[0] = 0, got [${m.join(',')}]`);
  }
}

export function randomColourMap(rng: Rng): ColourMap {
  const rest = rng.shuffle([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  return [0, ...rest];
}

export function applyColourMap(g: Grid, m: readonly number[]): Grid {
  checkMap(m);
  return g.map((row) => row.map((v) => m[v] as number));
}

export function invertColourMap(m: readonly number[]): ColourMap {
  checkMap(m);
  const inv = new Array<number>(10);
  for (let k = 0; k < 10; k++) inv[m[k] as number] = k;
  return inv;
}
