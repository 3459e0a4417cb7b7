// Who is calling: resolved once per request from the session cookie (or, in the embedded default, the
// local user) and kept on res.locals.identity, which api/context.ts userOf() reads.
import type { RequestHandler } from 'express';
import type { Config } from '../../core/config.js';
import { LOCAL_USER_ID } from '../../core/types.js';
import type { Identity } from '../context.js';
import { HttpError } from '../errors.js';
import { clearSessionCookies, cookiesOf, CSRF_COOKIE, SESSION_COOKIE, setCsrfCookie } from './cookies.js';
import { newToken, type AuthSessions } from './sessions.js';

export const LOCAL_ACCOUNT = { id: LOCAL_USER_ID, email: 'local@localhost', role: 'admin' } as const;

export function identify(config: Config, sessions: AuthSessions): RequestHandler {
  return async (req, res, next) => {
    try {
      const cookies = cookiesOf(req);
      const token = cookies[SESSION_COOKIE];
      let identity: Identity;
      if (token) {
        const found = await sessions.resolve(token);
        if (found) {
          identity = { kind: 'account', account: found.account, sessionId: found.sessionId };
          // A signed-in client that lost its CSRF cookie gets a new one, or it could never change anything.
          if (!cookies[CSRF_COOKIE]) setCsrfCookie(res, config, newToken());
        } else {
          // Never fall back to the local user for a stale cookie: the client must learn its session ended.
          identity = { kind: 'anonymous', reason: 'session ended or expired; sign in again' };
          clearSessionCookies(res, config);
        }
      } else if (config.AUTH_MODE === 'local') {
        identity = { kind: 'local', account: LOCAL_ACCOUNT };
      } else {
        identity = { kind: 'anonymous', reason: 'sign in first' };
      }
      res.locals.identity = identity;
      next();
    } catch (err) {
      next(err);
    }
  };
}

/**
 * What an anonymous client may reach under /api: the OpenAPI document, sign-in itself, and shared review
 * links (whose token, and passcode if any, is the authorization: api/routes/reviews.ts). (Health,
 * readiness and metrics live outside /api.)
 */
const PUBLIC_API = [/^\/api\/openapi\.json$/, /^\/api\/auth\//, /^\/api\/shared-reviews\//];

/** Mounted under /api: 401 for an anonymous client on anything but PUBLIC_API. */
export const requireSignedIn: RequestHandler = (req, res, next) => {
  const identity = res.locals.identity;
  const path = req.baseUrl + req.path;
  if (identity?.kind === 'anonymous' && !PUBLIC_API.some((p) => p.test(path))) {
    return next(new HttpError(401, 'Unauthorized', identity.reason));
  }
  next();
};
