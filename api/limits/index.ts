// Per-user (and, for sign-in, per-IP) limits, answered with 429 + Retry-After as application/problem+json.
// The rate limits count in this process's memory (see window.ts); the daily model-token quota reads the
// token_usage table the worker writes, so it holds across processes and restarts.
import type { Request, RequestHandler, Response } from 'express';
import type { Config } from '../../core/config.js';
import type { Db } from '../../core/db/client.js';
import { tokensSpent } from '../../core/stores/token-usage.js';
import { identityOf, userOf } from '../context.js';
import { HttpError } from '../errors.js';
import { SlidingWindow } from './window.js';

function tooMany(res: Response, retryAfterSeconds: number, detail: string): HttpError {
  res.setHeader('retry-after', String(retryAfterSeconds));
  return new HttpError(429, 'Too Many Requests', `${detail}; try again in ${retryAfterSeconds} s`);
}

/** `keyOf` names the bucket a request counts in; null: not limited. */
function limited(
  rate: Config['RATE_AUTH'],
  keyOf: (req: Request, res: Response) => string | null,
  what: string,
): RequestHandler {
  const window = new SlidingWindow(rate.limit, rate.windowMs);
  return (req, res, next) => {
    try {
      const key = keyOf(req, res);
      if (key === null) return next();
      const verdict = window.take(key);
      if (verdict.ok) return next();
      next(tooMany(res, verdict.retryAfterSeconds, `${what} (limit ${rate.label})`));
    } catch (err) {
      next(err);
    }
  };
}

/**
 * Per-user rate buckets: one per account. The embedded default's cookie-less local user is its install's
 * single operator (and what the load and chaos benches drive), so it is not rate-limited; accounts beside
 * it are. Its model tokens still count against the daily quota.
 */
function perAccount(req: Request, res: Response): string | null {
  return identityOf(res).kind === 'local' ? null : userOf(req, res).id;
}

/** Seconds until the next UTC midnight, when the daily quota starts again. */
function untilUtcMidnight(now = new Date()): number {
  const next = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1);
  return Math.max(1, Math.ceil((next - now.getTime()) / 1000));
}

export function createLimits(
  config: Pick<
    Config,
    'RATE_AUTH' | 'RATE_UPLOADS' | 'RATE_SESSIONS' | 'RATE_REVIEW_LINKS' | 'LLM_TOKENS_PER_DAY'
  >,
  db: Db,
) {
  return {
    /** Sign-in and sign-up attempts per client IP: slows password guessing and account farming. */
    authAttempts: limited(
      config.RATE_AUTH,
      (req) => req.ip ?? 'unknown',
      'too many sign-in attempts from this address',
    ),
    uploads: limited(config.RATE_UPLOADS, perAccount, 'too many uploads'),
    /** Shared review links per client IP: whoever holds a link has no account to count against. */
    reviewLinks: limited(
      config.RATE_REVIEW_LINKS,
      (req) => req.ip ?? 'unknown',
      'too many requests to shared review links from this address',
    ),
    sessionsStarted: limited(config.RATE_SESSIONS, perAccount, 'too many practice sessions started'),
    /** Refuses requests that make the coach call the model once today's tokens are spent. */
    modelTokens: (async (req, res, next) => {
      try {
        if (config.LLM_TOKENS_PER_DAY === 0) return next();
        const spent = await tokensSpent(db, userOf(req, res).id);
        if (spent < config.LLM_TOKENS_PER_DAY) return next();
        next(
          tooMany(
            res,
            untilUtcMidnight(),
            `today's coach budget of ${config.LLM_TOKENS_PER_DAY} model tokens is spent (${spent} used); it renews at 00:00 UTC`,
          ),
        );
      } catch (err) {
        next(err);
      }
    }) satisfies RequestHandler,
  };
}

export type Limits = ReturnType<typeof createLimits>;
