// One rule for "does this grid fit the run's canvas", used by run setup (choosing a canvas) and the
// playground (before inference or adaptation on a trained run), so both give the same number.
// A grid needs one more cell than its side for the EOS marker that says where it ends (tokens.ts);
// at the authors' 30×30 canvas there is no room for it either, so 30 is enough for a 30-cell grid.
import { MAX_SIDE, type Grid, type Task } from '../puzzle/types';

/** The smallest canvas that holds a grid of this side with its EOS marker. */
export function canvasFor(side: number): number {
  return Math.min(MAX_SIDE, side + 1);
}

export interface CanvasProblem {
  /** e.g. "test 1 input" */
  where: string;
  rows: number;
  cols: number;
  /** 'too-large': cannot be encoded; 'no-eos': fits but fills the canvas, so the EOS marker is dropped */
  kind: 'too-large' | 'no-eos';
}

export interface CanvasCheck {
  canvas: number;
  /** the canvas a new run would need for every grid of the task (canvasFor of the largest side) */
  needed: number;
  problems: CanvasProblem[];
  /** false: inference/adaptation cannot run (a grid is larger than the canvas) */
  runnable: boolean;
  /** one plain sentence per thing the user can do, empty when all fits */
  advice: string[];
}

function gridsOf(task: Task, testIndex: number | null): Array<[string, Grid]> {
  const out: Array<[string, Grid]> = [];
  task.train.forEach((p, i) => out.push([`demonstration ${i + 1} input`, p.input], [`demonstration ${i + 1} output`, p.output]));
  task.test.forEach((p, i) => {
    if (testIndex !== null && i !== testIndex) return;
    out.push([`test ${i + 1} input`, p.input]);
    if (p.output !== undefined) out.push([`test ${i + 1} output`, p.output]);
  });
  return out;
}

/**
 * Checks every demonstration and the chosen test pair (all tests when testIndex is null) against a
 * trained run's canvas. A trained run cannot change its canvas, so the advice is to shrink the grid or
 * train a new run with the canvas this same rule asks for.
 */
export function checkCanvasFit(task: Task, canvas: number, testIndex: number | null = null): CanvasCheck {
  const problems: CanvasProblem[] = [];
  let largest = 0;
  for (const [where, g] of gridsOf(task, testIndex)) {
    const rows = g.length;
    const cols = g[0]?.length ?? 0;
    const side = Math.max(rows, cols);
    largest = Math.max(largest, side);
    if (side > canvas) problems.push({ where, rows, cols, kind: 'too-large' });
    else if (side === canvas && canvas < MAX_SIDE) problems.push({ where, rows, cols, kind: 'no-eos' });
  }
  const needed = canvasFor(largest);
  const runnable = !problems.some((p) => p.kind === 'too-large');
  const advice: string[] = [];
  if (problems.length > 0) {
    const fit = canvas < MAX_SIDE ? canvas - 1 : canvas;
    const names = problems.map((p) => `${p.where} (${p.rows}×${p.cols})`).join(', ');
    advice.push(
      runnable
        ? `${names} fill${problems.length === 1 ? 's' : ''} the run's ${canvas}×${canvas} canvas, leaving no room for the end-of-grid marker: the model cannot say where its answer ends. Crop or resize ${problems.length === 1 ? 'it' : 'them'} to at most ${fit}×${fit}.`
        : `${names} ${problems.length === 1 ? 'is' : 'are'} larger than the run's ${canvas}×${canvas} canvas. Crop or resize to at most ${fit}×${fit} (Rows/Cols in the editor).`,
    );
    advice.push(`Or train a new run with a canvas of at least ${needed} (run setup uses the same rule).`);
  }
  return { canvas, needed, problems, runnable, advice };
}

/**
 * The refusal the lab service and the CLI give when a task cannot run on a trained run's canvas (null:
 * it can): the one message, so a lab run and a checkpoint folder are refused in the same words.
 * N-Queens and Sudoku runs have fixed boards, not a canvas to fit.
 */
export function canvasRefusal(task: Task, data: { canvas: number; source: { kind: string } }, testIndex: number | null): string | null {
  if (data.source.kind === 'nqueens' || data.source.kind === 'sudoku') return null;
  const fit = checkCanvasFit(task, data.canvas, testIndex);
  return fit.runnable ? null : `task ${task.id || '(unnamed)'}: ${fit.advice.join(' ')}`;
}
