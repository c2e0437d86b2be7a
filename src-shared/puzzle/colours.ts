// Colour permutations (docs/method-notes.md#augmentation): colour 0 is the background and never moves;
// 1..NUM_COLOURS−1 are permuted. A map m sends colour k to m[k]. (Display colours: palette.ts.)

import type { Rng } from '../prng';
import { NUM_COLOURS, type Grid } from './types';

export type ColourMap = number[];

export const IDENTITY_COLOURS: readonly number[] = Object.freeze(Array.from({ length: NUM_COLOURS }, (_, k) => k));

export function isColourMap(m: readonly number[]): boolean {
  if (m.length !== NUM_COLOURS || m[0] !== 0) return false;
  const seen = new Array<boolean>(NUM_COLOURS).fill(false);
  for (const v of m) {
    if (!Number.isInteger(v) || v < 0 || v >= NUM_COLOURS || seen[v]) return false;
    seen[v] = true;
  }
  return true;
}

function checkMap(m: readonly number[]): void {
  if (!isColourMap(m)) {
    throw new Error(`colour map must be a permutation of 0..${NUM_COLOURS - 1} with m[0] = 0, got [${m.join(',')}]`);
  }
}

export function randomColourMap(rng: Rng): ColourMap {
  const rest = rng.shuffle(IDENTITY_COLOURS.slice(1));
  return [0, ...rest];
}

export function applyColourMap(g: Grid, m: readonly number[]): Grid {
  checkMap(m);
  return g.map((row) => row.map((v) => m[v] as number));
}

export function invertColourMap(m: readonly number[]): ColourMap {
  checkMap(m);
  const inv = new Array<number>(NUM_COLOURS);
  for (let k = 0; k < NUM_COLOURS; k++) inv[m[k] as number] = k;
  return inv;
}
