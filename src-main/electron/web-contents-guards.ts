// What the window's page may do beyond rendering: open allow-listed links in the system browser, and
// nothing else (no windows, no navigation, redirect or frame navigation away from the renderer, no
// webviews). Takes a webContents-like object so it is tested without Electron.
import { isAllowedExternalUrl, isTrustedRendererUrl } from './window-options';

interface PreventableEvent {
  preventDefault(): void;
}

export interface GuardedContents {
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
  on(event: 'will-navigate' | 'will-redirect', listener: (e: PreventableEvent, url: string) => void): unknown;
  on(event: 'will-frame-navigate', listener: (e: PreventableEvent & { url: string }) => void): unknown;
  on(event: 'will-attach-webview', listener: (e: PreventableEvent) => void): unknown;
}

export function guardWebContents(wc: GuardedContents, devUrl: string | undefined, openExternal: (url: string) => void): void {
  wc.setWindowOpenHandler(({ url }) => {
    if (isAllowedExternalUrl(url)) openExternal(url);
    return { action: 'deny' };
  });
  wc.on('will-navigate', (e, url) => {
    if (!isTrustedRendererUrl(url, devUrl)) e.preventDefault();
  });
  wc.on('will-redirect', (e, url) => {
    if (!isTrustedRendererUrl(url, devUrl)) e.preventDefault();
  });
  wc.on('will-frame-navigate', (e) => {
    if (!isTrustedRendererUrl(e.url, devUrl)) e.preventDefault();
  });
  wc.on('will-attach-webview', (e) => e.preventDefault());
}
