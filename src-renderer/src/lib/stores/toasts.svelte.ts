// Readable messages for the user: every failed request ends up here, so no error is silent.
export interface Toast {
  id: number;
  kind: 'error' | 'info';
  text: string;
}

class Toasts {
  items = $state<Toast[]>([]);
  private next = 1;
  push(kind: Toast['kind'], text: string, ms = kind === 'error' ? 12_000 : 4_000): void {
    const id = this.next++;
    this.items = [...this.items, { id, kind, text }];
    setTimeout(() => this.dismiss(id), ms);
  }
  dismiss(id: number): void {
    this.items = this.items.filter((t) => t.id !== id);
  }
}

export const toasts = new Toasts();

// An engine's last output can carry terminal colour codes, which read as noise in the UI.
const ANSI = /\x1b\[[0-9;]*m/g;

export function errorText(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).replace(ANSI, '');
}

/** Run a request; on failure show its message (prefixed with what was being done) and return undefined. */
export async function attempt<T>(what: string, fn: () => Promise<T>): Promise<T | undefined> {
  try {
    return await fn();
  } catch (e) {
    toasts.push('error', `${what} failed: ${errorText(e)}`);
    return undefined;
  }
}
