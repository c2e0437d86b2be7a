// Who may talk to the headless server: a request must name our host (DNS-rebinding protection),
// come from our own origin when it says where it comes from, and carry the per-start token
// (cookie, `?token=`, or `Authorization: Bearer`). Pure functions over headers, so they are tested
// without sockets.
import { timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

export const COOKIE_NAME = 'puzzle_lab_token';

export interface AuthContext {
  token: string;
  port: number;
}

export type AuthResult = { ok: true; via: 'cookie' | 'query' | 'header' } | { ok: false; status: 401 | 403; reason: string };

function allowedHosts(port: number): Set<string> {
  return new Set([`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]);
}

export function allowedOrigins(port: number): Set<string> {
  return new Set([...allowedHosts(port)].map((h) => `http://${h}`));
}

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function cookieToken(header: string | undefined): string | null {
  if (header === undefined) return null;
  for (const part of header.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === COOKIE_NAME) return decodeURIComponent(v.join('='));
  }
  return null;
}

/** Checks Host, Origin and token of one HTTP request or WebSocket upgrade. */
export function authorize(headers: IncomingHttpHeaders, url: URL, ctx: AuthContext): AuthResult {
  const host = headers.host;
  if (host === undefined || !allowedHosts(ctx.port).has(host.toLowerCase())) {
    return { ok: false, status: 403, reason: `foreign Host header ${JSON.stringify(host ?? '')}` };
  }
  const origin = headers.origin;
  if (origin !== undefined && !allowedOrigins(ctx.port).has(origin.toLowerCase())) {
    return { ok: false, status: 403, reason: `foreign Origin ${JSON.stringify(origin)}` };
  }
  const candidates: Array<[string | null, 'cookie' | 'query' | 'header']> = [
    [url.searchParams.get('token'), 'query'],
    [/^Bearer (.+)$/i.exec(headers.authorization ?? '')?.[1] ?? null, 'header'],
    [cookieToken(headers.cookie), 'cookie'],
  ];
  let sawToken = false;
  for (const [t, via] of candidates) {
    if (t === null) continue;
    sawToken = true;
    if (sameToken(t, ctx.token)) return { ok: true, via };
  }
  return { ok: false, status: 401, reason: sawToken ? 'wrong token' : 'missing token' };
}

export function sessionCookie(token: string): string {
  return `${COOKIE_NAME}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/`;
}
