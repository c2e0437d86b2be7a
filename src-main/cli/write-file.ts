// Files the CLI writes for the user (submission.json): written whole to a temporary name, flushed, then
// renamed over the target, so a crash or kill never leaves a half-written file where a good one was.
import { rename, rm, writeFile } from 'node:fs/promises';

export async function writeTextAtomic(file: string, content: string): Promise<void> {
  const tmp = `${file}.tmp-${process.pid}`;
  try {
    await writeFile(tmp, content, { flush: true });
    await rename(tmp, file);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}
