// CSRF defence for state-changing requests, in two layers:
// 1. cross-site requests are refused outright (Sec-Fetch-Site, or an Origin that is not this site);
// 2. cookie-authenticated requests must echo the non-HttpOnly ih_csrf cookie in the x-csrf-token header
//    (double submit), which a page on another site cannot read.
// Clients without a cookie (scripts, the embedded default's local user) only need layer 1.
import { timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import type { Config } from '../../core/config.js';
import { identityOf } from '../context.js';
import { HttpError } from '../errors.js';
import { cookiesOf, CSRF_COOKIE, CSRF_HEADER } from './cookies.js';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

const forbidden = (detail: string) => new HttpError(403, 'Forbidden', detail);

function sameSite(req: Request, publicOrigin: string): boolean {
  if (req.headers['sec-fetch-site'] === 'cross-site') return false;
  const origin = req.headers.origin;
  if (origin === undefined) return true; // not a browser, or a same-origin GET-like navigation
  if (publicOrigin && origin === publicOrigin) return true;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false; // "null" (sandboxed frames, some redirects) or garbage
  }
}

function sameToken(a: string | undefined, b: string | undefined): boolean {
  if (!a || !b) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function csrfProtection(config: Pick<Config, 'PUBLIC_ORIGIN'>): RequestHandler {
  const publicOrigin = config.PUBLIC_ORIGIN.replace(/\/+$/, '');
  return (req, res, next) => {
    if (SAFE.has(req.method)) return next();
    if (!sameSite(req, publicOrigin)) {
      return next(forbidden('cross-site request refused'));
    }
    if (identityOf(res).kind === 'account') {
      const header = req.headers[CSRF_HEADER];
      if (!sameToken(typeof header === 'string' ? header : undefined, cookiesOf(req)[CSRF_COOKIE])) {
        return next(
          forbidden(`missing or wrong CSRF token: send the ${CSRF_COOKIE} cookie's value as ${CSRF_HEADER}`),
        );
      }
    }
    next();
  };
}
