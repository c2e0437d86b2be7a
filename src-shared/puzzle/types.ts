// The puzzle domain, shared by every layer (engine, lab service, renderer). Plain, JSON-shaped data:
// a grid is exactly what an ARC JSON file holds, so reading and writing the standard formats is lossless.

/** A colour index 0..9 (0 = black/background in the ARC palette). */
export type Colour = number;

/** A grid: 1..30 rows of 1..30 colours, all rows the same length. Row-major, `grid[r][c]`. */
export type Grid = Colour[][];

/** One demonstration (train) pair. */
export interface Pair {
  input: Grid;
  output: Grid;
}

/** One test pair; the output is absent when the solution is unknown (a challenges file without solutions). */
export interface TestPair {
  input: Grid;
  output?: Grid;
}

/** An ARC task: demonstration pairs and test pairs. The id is the file stem or the key in a combined file. */
export interface Task {
  id: string;
  train: Pair[];
  test: TestPair[];
}

/** A named set of tasks, e.g. one imported file or folder, or one generated curriculum. */
export interface Dataset {
  name: string;
  tasks: Task[];
}

/** Bounds of the ARC format. */
export const MAX_SIDE = 30;
/** Most demonstration (or test) pairs one task may have: what the editor, save and preview handle. */
export const MAX_PAIRS = 1000;
export const NUM_COLOURS = 10;
