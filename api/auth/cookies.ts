// The auth cookies: the session token (HttpOnly) and the CSRF token the web client echoes in a header.
import type { CookieOptions, Request, Response } from 'express';
import type { Config } from '../../core/config.js';

export const SESSION_COOKIE = 'ih_session';
export const CSRF_COOKIE = 'ih_csrf';
export const CSRF_HEADER = 'x-csrf-token';

/** The request's cookies by name (the first of a repeated name wins; values are URI-decoded). */
export function cookiesOf(req: Request): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    if (name in out) continue;
    const raw = part
      .slice(eq + 1)
      .trim()
      .replace(/^"(.*)"$/, '$1');
    try {
      out[name] = decodeURIComponent(raw);
    } catch {
      out[name] = raw;
    }
  }
  return out;
}

type CookieConfig = Pick<Config, 'COOKIE_SECURE' | 'SESSION_TTL_DAYS'>;

const base = (config: CookieConfig): CookieOptions => ({
  path: '/',
  sameSite: 'lax',
  secure: config.COOKIE_SECURE,
});

/** Sets the session cookie and a fresh CSRF cookie, both living as long as the session. */
export function setSessionCookies(res: Response, config: CookieConfig, token: string, csrf: string): void {
  const maxAge = config.SESSION_TTL_DAYS * 24 * 3600 * 1000;
  res.cookie(SESSION_COOKIE, token, { ...base(config), httpOnly: true, maxAge });
  setCsrfCookie(res, config, csrf);
}

/** Readable by the page's script (that is the point of double-submit): never HttpOnly. */
export function setCsrfCookie(res: Response, config: CookieConfig, csrf: string): void {
  const maxAge = config.SESSION_TTL_DAYS * 24 * 3600 * 1000;
  res.cookie(CSRF_COOKIE, csrf, { ...base(config), httpOnly: false, maxAge });
}

export function clearSessionCookies(res: Response, config: CookieConfig): void {
  res.clearCookie(SESSION_COOKIE, { ...base(config), httpOnly: true });
  res.clearCookie(CSRF_COOKIE, { ...base(config), httpOnly: false });
}
