import { describe, expect, it } from 'vitest';
import { CSP, isTrustedRendererUrl, RENDERER_URL, windowOptions } from '../../../src-main/electron/window-options';

describe('the desktop window', () => {
  it('isolates the page: context isolation, sandbox, no Node, web security on', () => {
    const w = windowOptions('/app/out/preload/index.cjs').webPreferences!;
    expect(w).toMatchObject({
      preload: '/app/out/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
  });

  it('has a strict content security policy', () => {
    expect(CSP).toContain("default-src 'self'");
    expect(CSP).toContain("script-src 'self' 'wasm-unsafe-eval'");
    expect(CSP).toContain("object-src 'none'");
    const scriptSrc = CSP.split('; ').find((d) => d.startsWith('script-src'))!.split(' ').slice(1);
    expect(scriptSrc).toEqual(["'self'", "'wasm-unsafe-eval'"]); // no 'unsafe-eval', no 'unsafe-inline'
  });

  it('trusts only its own renderer origin (and the dev server when one is given)', () => {
    expect(isTrustedRendererUrl(RENDERER_URL)).toBe(true);
    expect(isTrustedRendererUrl('app://lab/assets/x.js')).toBe(true);
    expect(isTrustedRendererUrl('app://evil/index.html')).toBe(false);
    expect(isTrustedRendererUrl('file:///etc/passwd')).toBe(false);
    expect(isTrustedRendererUrl('https://example.com/')).toBe(false);
    expect(isTrustedRendererUrl('')).toBe(false);
    expect(isTrustedRendererUrl(undefined)).toBe(false);
    expect(isTrustedRendererUrl('http://localhost:5173/', 'http://localhost:5173')).toBe(true);
    expect(isTrustedRendererUrl('http://localhost:5174/', 'http://localhost:5173')).toBe(false);
    expect(isTrustedRendererUrl('http://localhost:5173/')).toBe(false);
  });
});
