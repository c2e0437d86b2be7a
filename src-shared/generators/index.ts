// The registry of built-in puzzle sources.
import type { Task } from '../puzzle/types';
import { countToBar } from './arc/count-to-bar';
import { cropObject } from './arc/crop-object';
import { denoise } from './arc/denoise';
import { extendRaysFamily } from './arc/extend-rays';
import { fillEnclosed } from './arc/fill-enclosed';
import { flipRotate } from './arc/flip-rotate';
import { gravity } from './arc/gravity';
import { hollowRectangles } from './arc/hollow-rectangles';
import { linesBetweenMarkers } from './arc/lines-between-markers';
import { recolour } from './arc/recolour';
import { scaleUp } from './arc/scale-up';
import { tilePattern } from './arc/tile-pattern';
import type { Family, FamilyParams } from './family';
import { nqueensFamily } from './nqueens';
import { sudokuFamily } from './sudoku';

export type { Family, FamilyParams } from './family';

export const FAMILIES: readonly Family[] = [
  recolour,
  flipRotate,
  gravity,
  fillEnclosed,
  linesBetweenMarkers,
  tilePattern,
  countToBar,
  cropObject,
  denoise,
  scaleUp,
  hollowRectangles,
  extendRaysFamily,
  nqueensFamily,
  sudokuFamily,
];

export function getFamily(id: string): Family {
  const family = FAMILIES.find((f) => f.info.id === id);
  if (family === undefined) {
    throw new Error(`unknown puzzle family "${id}"; known: ${FAMILIES.map((f) => f.info.id).join(', ')}`);
  }
  return family;
}

export function generateTasks(id: string, p: FamilyParams): Task[] {
  return getFamily(id).generate(p);
}
