import { describe, expect, it } from 'vitest';
import { canvasFor, checkCanvasFit } from '../../../src-shared/method/canvas-fit';
import type { Grid, Task } from '../../../src-shared/puzzle/types';

const g = (n: number): Grid => Array.from({ length: n }, () => Array(n).fill(1));
const task = (testSide: number): Task => ({ id: 't', train: [{ input: g(3), output: g(3) }], test: [{ input: g(testSide), output: g(testSide) }] });

describe('the canvas rule shared by run setup and the playground', () => {
  it('asks one more cell than the side for the end-of-grid marker, and no more than 30', () => {
    expect(canvasFor(6)).toBe(7);
    expect(canvasFor(30)).toBe(30);
  });

  it('lets everything run when every grid leaves room for the marker', () => {
    expect(checkCanvasFit(task(5), 8)).toMatchObject({ runnable: true, problems: [], advice: [] });
  });

  it('refuses a test input larger than the canvas before any work, with advice a trained run can follow', () => {
    const c = checkCanvasFit(task(9), 8);
    expect(c.runnable).toBe(false);
    expect(c.needed).toBe(10);
    expect(c.problems.map((p) => p.where)).toEqual(['test 1 input', 'test 1 output']);
    expect(c.advice[0]).toMatch(/larger than the run's 8×8 canvas\. Crop or resize to at most 7×7/);
    expect(c.advice[1]).toBe('Or train a new run with a canvas of at least 10 (run setup uses the same rule).');
  });

  it('warns (but runs) when a grid fills the canvas and its end marker would be dropped', () => {
    const c = checkCanvasFit(task(8), 8);
    expect(c.runnable).toBe(true);
    expect(c.problems.every((p) => p.kind === 'no-eos')).toBe(true);
    expect(c.advice[0]).toMatch(/no room for the end-of-grid marker/);
    expect(c.needed).toBe(9);
  });

  it('checks only the chosen test pair when given one', () => {
    const t: Task = { ...task(3), test: [{ input: g(3) }, { input: g(12) }] };
    expect(checkCanvasFit(t, 8, 0).runnable).toBe(true);
    expect(checkCanvasFit(t, 8, 1).runnable).toBe(false);
  });
});
