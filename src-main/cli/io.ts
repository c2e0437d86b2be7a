// Where a command writes, and how: separated from process globals so tests can run commands in-process.

import { detectColourMode, type ColourMode } from './render';

export interface Io {
  out(text: string): void;
  err(text: string): void;
  /** stdout is an interactive terminal (progress bars, colours) */
  isTTY: boolean;
  columns: number;
  colour: ColourMode;
}

export function processIo(): Io {
  return {
    out: (t) => void process.stdout.write(t),
    err: (t) => void process.stderr.write(t),
    isTTY: process.stdout.isTTY === true,
    columns: process.stdout.columns ?? 120,
    colour: detectColourMode(process.stdout),
  };
}

/** --color always|never|auto over the detected mode. */
export function withColourFlag(io: Io, flag: string | undefined): Io {
  if (flag === 'never') return { ...io, colour: 'none' };
  if (flag === 'always' && io.colour === 'none') return { ...io, colour: process.env.COLORTERM === 'truecolor' ? 'truecolor' : '256' };
  return io;
}
