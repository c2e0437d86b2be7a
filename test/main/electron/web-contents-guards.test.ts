import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { guardWebContents } from '../../../src-main/electron/web-contents-guards';
import { denyAllPermissions, isAllowedExternalUrl } from '../../../src-main/electron/window-options';

type Listener = (...args: never[]) => void;

function fakeContents() {
  const listeners = new Map<string, Listener>();
  let openHandler: ((d: { url: string }) => { action: string }) | null = null;
  const wc = {
    setWindowOpenHandler: (h: typeof openHandler) => {
      openHandler = h;
    },
    on: (event: string, l: Listener) => listeners.set(event, l),
  };
  const fire = (event: string, url: string): boolean => {
    let prevented = false;
    const e = { url, preventDefault: () => (prevented = true) };
    (listeners.get(event) as (e: unknown, url: string) => void)(e, url);
    return prevented;
  };
  return { wc, fire, open: (url: string) => openHandler!({ url }) };
}

describe('the window page guards', () => {
  it('opens only allow-listed https links externally and never opens a window', () => {
    const f = fakeContents();
    const opened: string[] = [];
    guardWebContents(f.wc as never, undefined, (u) => opened.push(u));
    for (const url of ['https://arxiv.org/abs/2510.00000', 'https://evil.example/', 'http://github.com/x', 'file:///etc/passwd', 'https://user:pw@github.com/', 'https://github.com.evil.example/', 'smb://host/share']) {
      expect(f.open(url)).toEqual({ action: 'deny' });
    }
    expect(opened).toEqual(['https://arxiv.org/abs/2510.00000']);
    expect(isAllowedExternalUrl('https://www.github.com/SamsungSAILMontreal/TinyRecursiveModels')).toBe(true);
  });

  it('stops navigation, redirects and frame navigation away from the renderer, and webviews', () => {
    const f = fakeContents();
    guardWebContents(f.wc as never, undefined, () => {});
    for (const event of ['will-navigate', 'will-redirect', 'will-frame-navigate']) {
      expect(f.fire(event, 'https://evil.example/')).toBe(true);
      expect(f.fire(event, 'app://lab/index.html#/runs')).toBe(false);
    }
    expect(f.fire('will-attach-webview', '')).toBe(true);
  });

  it('denies every permission request and check', () => {
    let granted: boolean | null = null;
    denyAllPermissions.request(null, 'media', (g) => (granted = g));
    expect(granted).toBe(false);
    expect(denyAllPermissions.check()).toBe(false);
  });

  it('flips the Electron fuses in the packaged app', () => {
    // the electronFuses block of electron-builder.yml: "  key: true|false" lines under it
    const text = readFileSync(path.resolve(import.meta.dirname, '../../../electron-builder.yml'), 'utf8');
    const block = /^electronFuses:\n((?: {2}\w+: (?:true|false)\n?)+)/m.exec(text)?.[1] ?? '';
    const fuses = Object.fromEntries(block.trim().split('\n').map((l) => l.trim().split(': ')).map(([k, v]) => [k, v === 'true']));
    expect(fuses).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });
});
