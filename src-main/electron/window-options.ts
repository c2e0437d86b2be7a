// The desktop window's security settings and the renderer's origin, as plain data so they are
// tested without Electron (Electron security checklist: contextIsolation, sandbox, no Node in the
// page, webSecurity, a strict CSP, no window.open, no navigation away).
import type { BrowserWindowConstructorOptions } from 'electron';

/** The renderer is served from app://lab/ (a custom protocol, not file://, so it gets a CSP header). */
export const APP_SCHEME = 'app';
export const APP_HOST = 'lab';
export const RENDERER_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

export const CSP = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export function windowOptions(preloadPath: string): BrowserWindowConstructorOptions {
  return {
    width: 1400,
    height: 900,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'Puzzle Lab',
    backgroundColor: '#111318',
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
    },
  };
}

/**
 * Is this frame URL our renderer? app://lab/… in the packaged app; in development also the
 * electron-vite dev server (ELECTRON_RENDERER_URL), never anything else.
 */
export function isTrustedRendererUrl(url: string | undefined, devServerUrl?: string): boolean {
  if (url === undefined || url === '') return false;
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  if (u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST) return true;
  if (devServerUrl !== undefined && devServerUrl !== '') {
    try {
      return u.origin === new URL(devServerUrl).origin;
    } catch {
      return false;
    }
  }
  return false;
}

/**
 * Hosts whose pages a link in the app may open in the system browser (the papers and the project's
 * code). Anything else, any scheme but https, or a URL carrying credentials or an odd port stays
 * closed: shell.openExternal with an arbitrary URL can start local programs.
 */
export const EXTERNAL_HOSTS: readonly string[] = ['arxiv.org', 'github.com'];

export function isAllowedExternalUrl(url: string): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  if (u.protocol !== 'https:' || u.username !== '' || u.password !== '' || u.port !== '') return false;
  return EXTERNAL_HOSTS.some((h) => u.hostname === h || u.hostname.endsWith(`.${h}`));
}

/** Permission requests and checks from the page (camera, notifications, …): the lab needs none. */
export const denyAllPermissions = {
  request: (_wc: unknown, _permission: string, callback: (granted: boolean) => void): void => callback(false),
  check: (): boolean => false,
};
