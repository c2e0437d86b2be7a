// What every built-in puzzle source looks like, and the checks its parameters go through.
import type { FamilyInfo } from '../api/contract';
import type { Task } from '../puzzle/types';
import { MAX_SIDE } from '../puzzle/types';

export interface FamilyParams {
  /** number of tasks (ARC families) or of training puzzles (N-Queens, Sudoku: see their generate) */
  count: number;
  minSide: number;
  maxSide: number;
  /** 1..5 */
  difficulty: number;
  seed: number;
  /** demonstration pairs per ARC task; default 3 */
  trainPairs?: number;
}

export interface Family {
  info: FamilyInfo;
  defaults: FamilyParams;
  generate(p: FamilyParams): Task[];
}

export const DEFAULT_TRAIN_PAIRS = 3;
/** Generous caps that keep a mistyped number from freezing the app. */
export const MAX_COUNT = 100_000;
export const MAX_TRAIN_PAIRS = 20;

function requireInt(familyId: string, name: string, v: unknown, lo: number, hi: number): void {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < lo || v > hi) {
    throw new Error(`puzzle family "${familyId}": ${name} must be an integer in ${lo}..${hi}, got ${String(v)}`);
  }
}

/** Throws a clear error for parameters no family can honour. Returns trainPairs with its default. */
export function validateFamilyParams(familyId: string, p: FamilyParams): { trainPairs: number } {
  requireInt(familyId, 'count', p.count, 1, MAX_COUNT);
  requireInt(familyId, 'minSide', p.minSide, 1, MAX_SIDE);
  requireInt(familyId, 'maxSide', p.maxSide, 1, MAX_SIDE);
  if (p.minSide > p.maxSide) {
    throw new Error(`puzzle family "${familyId}": minSide (${p.minSide}) is greater than maxSide (${p.maxSide})`);
  }
  requireInt(familyId, 'difficulty', p.difficulty, 1, 5);
  requireInt(familyId, 'seed', p.seed, -0x80000000, 0xffffffff);
  const trainPairs = p.trainPairs ?? DEFAULT_TRAIN_PAIRS;
  requireInt(familyId, 'trainPairs', trainPairs, 1, MAX_TRAIN_PAIRS);
  return { trainPairs };
}

export function taskId(familyId: string, seed: number, index: number): string {
  return `${familyId}-s${seed}-${index}`;
}
