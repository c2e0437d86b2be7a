// Hash routing, so every view can be deep-linked: #/library, #/editor/<id>, #/runs, #/runs/new,
// #/runs/<id>, #/runs/new/<clone-of-run>, #/compare/<id>/<id>/… (two or more runs),
// #/playground/<run>/<task>, #/studies/<id>. The ?token= query stays untouched.
export type Route =
  | { view: 'library'; dataset: string | null }
  | { view: 'editor'; id: string | null }
  | { view: 'runs'; id: string | null }
  | { view: 'setup'; from: string | null }
  | { view: 'compare'; ids: string[] }
  | { view: 'playground'; run: string | null; task: string | null }
  | { view: 'studies'; id: string | null };

export function parseHash(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent);
  const [head, a = null, b = null] = parts;
  switch (head) {
    case 'editor':
      return { view: 'editor', id: a || null };
    case 'runs':
      return a === 'new' ? { view: 'setup', from: b || null } : { view: 'runs', id: a || null };
    case 'compare':
      return { view: 'compare', ids: parts.slice(1).filter((x) => x !== '') };
    case 'playground':
      return { view: 'playground', run: a || null, task: b || null };
    case 'studies':
      return { view: 'studies', id: a || null };
    case 'library':
      return { view: 'library', dataset: a || null };
    default:
      return { view: 'library', dataset: null };
  }
}

export function href(...parts: string[]): string {
  return `#/${parts.map(encodeURIComponent).join('/')}`;
}

class Router {
  route = $state<Route>(parseHash(typeof location === 'undefined' ? '' : location.hash));
  /** counts navigations; `adopt` leaves it alone, so a view keyed by it stays mounted */
  visit = $state(0);
  private adopting: string | null = null;
  constructor() {
    if (typeof window !== 'undefined')
      window.addEventListener('hashchange', () => {
        this.route = parseHash(location.hash);
        if (this.adopting === location.hash) this.adopting = null;
        else this.visit++;
      });
  }
  go(hash: string): void {
    if (location.hash === hash) {
      this.route = parseHash(hash);
      this.visit++;
    } else location.hash = hash;
  }
  /**
   * The current view now has this address (a new task was saved and got its library id): the URL
   * and the route follow, but it is not a navigation, so the view keeps its state (undo history,
   * the pair shown, tool and colour).
   */
  adopt(hash: string): void {
    if (location.hash === hash) return;
    this.adopting = hash;
    location.hash = hash;
  }
}

export const router = new Router();
