// Light or dark: follows the system setting (prefers-color-scheme) unless the user chose one, which
// is remembered (localStorage). The resolved theme is set on <html data-theme>, where App.svelte's
// CSS variables pick it up; charts read it to rebuild with the theme's axis colours.
export type ThemeChoice = 'system' | 'light' | 'dark';
export const THEME_KEY = 'puzzle-lab.theme';

function stored(): ThemeChoice {
  try {
    const v = globalThis.localStorage?.getItem(THEME_KEY);
    return v === 'light' || v === 'dark' ? v : 'system';
  } catch {
    return 'system';
  }
}

class Theme {
  choice = $state<ThemeChoice>(stored());
  systemLight = $state(false);
  private media: MediaQueryList | null = null;

  constructor() {
    if (typeof window === 'undefined' || typeof window.matchMedia !== 'function') return;
    this.media = window.matchMedia('(prefers-color-scheme: light)');
    this.systemLight = this.media.matches;
    const follow = (e: { matches: boolean }) => {
      this.systemLight = e.matches;
      this.apply();
    };
    this.media.addEventListener?.('change', follow);
    this.apply();
  }

  get resolved(): 'light' | 'dark' {
    return this.choice === 'system' ? (this.systemLight ? 'light' : 'dark') : this.choice;
  }

  set(choice: ThemeChoice): void {
    this.choice = choice;
    try {
      if (choice === 'system') localStorage.removeItem(THEME_KEY);
      else localStorage.setItem(THEME_KEY, choice);
    } catch {
      // storage refused (private mode): the choice lasts this session
    }
    this.apply();
  }

  apply(): void {
    if (typeof document === 'undefined') return;
    document.documentElement.dataset['theme'] = this.resolved;
    document.documentElement.style.colorScheme = this.resolved;
  }
}

export const theme = new Theme();
