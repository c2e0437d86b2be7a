// One colour per run in comparisons (as TensorBoard and W&B do), and one line style per metric, so
// a chart of N runs × 2 metrics reads as "colour = run, style = metric". The colours are mid-tones
// that keep at least 3:1 contrast (WCAG's bar for graphics) against both the dark and the light
// theme's background, and differ in hue for the common colour-vision deficiencies (after the
// Okabe–Ito / Tableau palettes). They are used for curves, legend entries and filmstrip headers.

export const RUN_COLOURS = ['#3b82f6', '#e8590c', '#14a37f', '#e11d48', '#a855f7', '#0e9fbf', '#c2860a', '#db2777'] as const;

/** The colour of the run at position i of a comparison (stable while the list does not change). */
export function runColour(i: number): string {
  return RUN_COLOURS[((i % RUN_COLOURS.length) + RUN_COLOURS.length) % RUN_COLOURS.length] as string;
}

/** uPlot dash patterns per metric within a chart: solid, dashed, dotted, dash-dot. */
export const METRIC_DASHES: ReadonlyArray<number[] | null> = [null, [7, 4], [2, 3], [9, 3, 2, 3]];

export function metricDash(i: number): number[] | null {
  return METRIC_DASHES[i % METRIC_DASHES.length] ?? null;
}

/** The same pattern as an SVG stroke-dasharray (legend samples). */
export function dashArray(d: number[] | null): string | undefined {
  return d ? d.join(' ') : undefined;
}

/** WCAG relative luminance and contrast ratio of two #rrggbb colours. */
export function contrast(a: string, b: string): number {
  const lum = (hex: string) => {
    const [r, g, bl] = [1, 3, 5].map((i) => {
      const c = parseInt(hex.slice(i, i + 2), 16) / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    }) as [number, number, number];
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p) as [number, number];
  return (x + 0.05) / (y + 0.05);
}
