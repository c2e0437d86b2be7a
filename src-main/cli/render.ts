// Token grids in the terminal: ARC colours as ANSI backgrounds in the ARC palette (truecolour, or the
// nearest xterm-256 colour), N-Queens and Sudoku as symbols, and a plain-text form for pipes and
// NO_COLOR. Several grids are laid out side by side under their titles.

import { paletteRgb } from '../../src-shared/puzzle/palette';
import { COLOUR_TOKEN_BASE, EOS, IGNORE, PAD } from '../../src-shared/puzzle/tokens';

export type ColourMode = 'truecolor' | '256' | 'none';
export type GridKind = 'arc' | 'nqueens' | 'sudoku';

const RESET = '\x1b[0m';

/** The colour mode for a stream: none when not a TTY or NO_COLOR is set; truecolour when COLORTERM says so. */
export function detectColourMode(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): ColourMode {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return 'none';
  if (stream.isTTY !== true) return 'none';
  return env.COLORTERM === 'truecolor' || env.COLORTERM === '24bit' ? 'truecolor' : '256';
}

function xterm256([r, g, b]: [number, number, number]): number {
  const q = (v: number): number => Math.round((v / 255) * 5);
  // Greys map better onto the 24-step grey ramp.
  if (r === g && g === b && r > 4 && r < 247) return 232 + Math.round(((r - 8) / 238) * 23);
  return 16 + 36 * q(r) + 6 * q(g) + q(b);
}

function background(rgb: [number, number, number], mode: ColourMode): string {
  return mode === 'truecolor' ? `\x1b[48;2;${rgb[0]};${rgb[1]};${rgb[2]}m` : `\x1b[48;5;${xterm256(rgb)}m`;
}

/** One cell, two columns wide so the grid looks square. */
export function cell(token: number, kind: GridKind, mode: ColourMode): string {
  if (token === IGNORE) return mode === 'none' ? ' ~' : `\x1b[2m ~${RESET}`;
  if (kind === 'arc') {
    if (token >= COLOUR_TOKEN_BASE && token < COLOUR_TOKEN_BASE + 10) {
      const colour = token - COLOUR_TOKEN_BASE;
      return mode === 'none' ? ` ${colour}` : `${background(paletteRgb(colour), mode)}  ${RESET}`;
    }
    if (token === EOS) return mode === 'none' ? ' |' : `\x1b[2m ▪${RESET}`;
    if (token === PAD) return mode === 'none' ? ' .' : `\x1b[2m ·${RESET}`;
    return ` ${String(token).slice(-1)}`;
  }
  if (kind === 'nqueens') {
    if (token === 2) return mode === 'none' ? ' Q' : `${background(paletteRgb(4), mode)}\x1b[30m ♛${RESET}`;
    if (token === 1) return mode === 'none' ? ' .' : `\x1b[2m ·${RESET}`;
    return ' ?';
  }
  // Sudoku: token 1 = blank, d+1 = digit d.
  if (token === 1) return mode === 'none' ? ' .' : `\x1b[2m ·${RESET}`;
  if (token >= 2 && token <= 10) return ` ${token - 1}`;
  return ' ?';
}

/** Rows×cols of the smallest top-left box holding every non-PAD, supervised token of the sequences (ARC), or the full board. */
export function extent(seqs: ReadonlyArray<ArrayLike<number>>, side: number, kind: GridKind): { rows: number; cols: number } {
  if (kind !== 'arc') return { rows: side, cols: side };
  let rows = 1;
  let cols = 1;
  for (const s of seqs) {
    for (let i = 0; i < s.length; i++) {
      const t = s[i] as number;
      if (t === PAD || t === IGNORE) continue;
      rows = Math.max(rows, Math.floor(i / side) + 1);
      cols = Math.max(cols, (i % side) + 1);
    }
  }
  return { rows, cols };
}

/** The lines of one grid, cropped to rows×cols. */
export function gridLines(tokens: ArrayLike<number>, side: number, kind: GridKind, mode: ColourMode, box: { rows: number; cols: number }): string[] {
  if (tokens.length !== side * side) throw new Error(`cannot draw ${tokens.length} tokens as a ${side}×${side} grid`);
  const lines: string[] = [];
  for (let r = 0; r < box.rows; r++) {
    let line = '';
    for (let c = 0; c < box.cols; c++) line += cell(tokens[r * side + c] as number, kind, mode);
    lines.push(line);
  }
  return lines;
}

/** Visible width of a string without its ANSI escapes. */
export function visibleWidth(s: string): number {
  // eslint-disable-next-line no-control-regex
  return [...s.replace(/\x1b\[[0-9;]*m/g, '')].length;
}

/** Titled grids side by side, wrapping to the terminal width. */
export function layoutGrids(
  items: ReadonlyArray<{ title: string; tokens: ArrayLike<number> }>,
  side: number,
  kind: GridKind,
  mode: ColourMode,
  width: number,
): string {
  const box = extent(items.map((i) => i.tokens), side, kind);
  const blockWidth = Math.max(box.cols * 2, ...items.map((i) => i.title.length));
  const gap = 3;
  const perRow = Math.max(1, Math.floor((width + gap) / (blockWidth + gap)));
  const out: string[] = [];
  for (let start = 0; start < items.length; start += perRow) {
    const chunk = items.slice(start, start + perRow);
    const blocks = chunk.map((i) => [i.title, ...gridLines(i.tokens, side, kind, mode, box)]);
    for (let line = 0; line < box.rows + 1; line++) {
      out.push(
        blocks
          .map((b) => {
            const s = b[line] ?? '';
            return s + ' '.repeat(Math.max(0, blockWidth - visibleWidth(s)));
          })
          .join(' '.repeat(gap))
          .trimEnd(),
      );
    }
    out.push('');
  }
  return out.join('\n');
}
