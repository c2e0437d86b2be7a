// A read-only puzzle-embedding table kept on disk (imported checkpoints: the authors' ARC-1 table is
// ~876k rows × 512 fp32 = 1.8 GB, too big to hold in the engine). The file is the rows, row-major,
// little-endian fp32, nothing else; the checkpoint's meta records rows, width and sha256. gather()
// reads only the rows a request needs, with positional reads, and keeps no file open between calls.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { endianness } from 'node:os';

const LITTLE_ENDIAN = endianness() === 'LE';

export class DiskPuzzleTable {
  constructor(
    readonly file: string,
    readonly rows: number,
    readonly dim: number,
  ) {
    if (!Number.isInteger(rows) || rows < 1) throw new Error(`${file}: puzzle table needs at least 1 row, got ${rows}`);
    if (!Number.isInteger(dim) || dim < 1) throw new Error(`${file}: puzzle table width must be a positive integer, got ${dim}`);
  }

  /** Throws unless the file exists and holds exactly rows × dim fp32 values. */
  check(): void {
    const fd = this.openChecked();
    closeSync(fd);
  }

  private openChecked(): number {
    let fd: number;
    try {
      fd = openSync(this.file, 'r');
    } catch (e) {
      throw new Error(`the puzzle-embedding table ${this.file} cannot be opened (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
    const size = fstatSync(fd).size;
    if (size !== this.rows * this.dim * 4) {
      closeSync(fd);
      throw new Error(`the puzzle-embedding table ${this.file} has ${size} bytes, expected ${this.rows}×${this.dim} fp32 = ${this.rows * this.dim * 4} (truncated or replaced)`);
    }
    return fd;
  }

  /** Rows for a batch of ids, [B·dim] row-major. A negative id gives a zero row (an unseen puzzle). */
  gather(ids: ArrayLike<number>): Float32Array {
    const out = new Float32Array(ids.length * this.dim);
    const bytes = new Uint8Array(out.buffer);
    const rowBytes = this.dim * 4;
    let fd: number | null = null;
    try {
      for (let b = 0; b < ids.length; b++) {
        const id = ids[b] as number;
        if (id < 0) continue;
        if (!Number.isInteger(id) || id >= this.rows) throw new Error(`gather: puzzle id ${id} is outside the table (0..${this.rows - 1})`);
        fd ??= this.openChecked();
        let done = 0;
        while (done < rowBytes) {
          const n = readSync(fd, bytes, b * rowBytes + done, rowBytes - done, id * rowBytes + done);
          if (n === 0) throw new Error(`${this.file}: row ${id} is cut short`);
          done += n;
        }
      }
    } finally {
      if (fd !== null) closeSync(fd);
    }
    if (!LITTLE_ENDIAN) {
      const view = new DataView(out.buffer);
      for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(i * 4, true);
    }
    return out;
  }
}
