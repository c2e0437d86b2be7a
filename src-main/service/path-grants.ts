// Which files the API may make the lab read. Over the API (serve mode and Electron IPC) a run's data
// comes from the library, or from a file or folder the user picked in a native dialog during this
// session: main records those picks here. Nothing else on disk is reachable by a request, so a page
// or WebSocket client cannot make the lab walk a home folder or train on a file it names. The CLI's
// user names paths on its command line: the CLI grants them here, in its own lab or over a running
// lab's owner-only control channel (control-channel.ts).
import { realpathSync } from 'node:fs';
import path from 'node:path';

export class PathGrants {
  private readonly granted = new Set<string>();

  /** Records a file or folder the user chose in a native dialog (as its real path). */
  grant(p: string): void {
    try {
      this.granted.add(realpathSync(p));
    } catch {
      // a path that does not exist grants nothing
    }
  }

  /** Is `p` (after resolving links and `..`) a granted file or folder, or inside a granted folder? */
  allows(p: string): boolean {
    if (this.granted.size === 0 || !path.isAbsolute(p)) return false;
    let real: string;
    try {
      real = realpathSync(p);
    } catch {
      return false;
    }
    for (const g of this.granted) {
      if (real === g || real.startsWith(g.endsWith(path.sep) ? g : g + path.sep)) return true;
    }
    return false;
  }
}

export const FILE_SOURCE_REFUSED =
  'data.source.path: over the lab API, training data comes from the library (import it first) or from a file or folder chosen in the app\'s own file dialog during this session; other paths are not read';
