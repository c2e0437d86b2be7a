// Readable messages for the user: every failed request ends up here, so no error is silent.
// Every message expires; the same message again replaces the one shown (a repeated failure does not
// pile up), and at most MAX_TOASTS show at once, so they never stack over the work area.
export interface Toast {
  id: number;
  kind: 'error' | 'info';
  text: string;
  /** one button, e.g. Undo; the toast closes when it is pressed */
  action?: { label: string; run: () => void };
}

export const MAX_TOASTS = 3;

class Toasts {
  items = $state<Toast[]>([]);
  private next = 1;
  private timers = new Map<number, ReturnType<typeof setTimeout>>();
  push(kind: Toast['kind'], text: string, ms = kind === 'error' ? 12_000 : 4_000, action?: Toast['action']): number {
    for (const t of this.items) if (t.kind === kind && t.text === text && !t.action) this.dismiss(t.id);
    const id = this.next++;
    const all = [...this.items, { id, kind, text, ...(action && { action }) }];
    for (const old of all.slice(0, Math.max(0, all.length - MAX_TOASTS))) this.clearTimer(old.id);
    this.items = all.slice(-MAX_TOASTS);
    this.timers.set(id, setTimeout(() => this.dismiss(id), ms));
    return id;
  }
  dismiss(id: number): void {
    this.clearTimer(id);
    this.items = this.items.filter((t) => t.id !== id);
  }
  private clearTimer(id: number): void {
    clearTimeout(this.timers.get(id));
    this.timers.delete(id);
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
