// File-system helpers shared by the engine, the authors' pipeline and the service.
import { stat } from 'node:fs/promises';

/** Whether anything (file, folder, link target) exists at `p`. */
export async function pathExists(p: string): Promise<boolean> {
  try {
    await stat(p);
    return true;
  } catch {
    return false;
  }
}
