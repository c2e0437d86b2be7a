// An Io that keeps what a command prints, for running commands in-process.
import type { Io } from '../../../src-main/cli/io';

export function captureIo(): Io & { stdout: () => string; stderr: () => string } {
  let out = '';
  let err = '';
  return {
    out: (t) => void (out += t),
    err: (t) => void (err += t),
    isTTY: false,
    columns: 120,
    colour: 'none',
    stdout: () => out,
    stderr: () => err,
  };
}
