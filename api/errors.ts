// The one place errors become HTTP: domain errors (core/errors.ts) and HTTP-only refusals (HttpError:
// sign-in, roles, CSRF, rate limits, multipart framing) map to a status and an application/problem+json
// body here, and nowhere else.
import type { ErrorRequestHandler } from 'express';
import { ZodError } from 'zod';
import {
  Conflict,
  DomainError,
  Invalid,
  NotFound,
  Unavailable,
  type DomainErrorKind,
} from '../core/errors.js';
import { errorsTotal } from '../core/metrics.js';
import type { Logger } from '../core/logger.js';

/** A refusal that only means something in HTTP (401, 403, 429, a malformed multipart body). */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    detail: string,
  ) {
    super(detail);
  }
}

export const notFound = (what: string) => new NotFound(what);
export const conflict = (detail: string) => new Conflict(detail);
export const badRequest = (detail: string) => new Invalid(detail);
export const unavailable = (detail: string, engine = 'a service') => new Unavailable(engine, detail);

/** Each kind of domain error as HTTP. */
const STATUS: Record<DomainErrorKind, { status: number; title: string }> = {
  invalid: { status: 400, title: 'Bad Request' },
  'not-found': { status: 404, title: 'Not Found' },
  forbidden: { status: 403, title: 'Forbidden' },
  conflict: { status: 409, title: 'Conflict' },
  'too-large': { status: 413, title: 'Payload Too Large' },
  unsupported: { status: 415, title: 'Unsupported Media Type' },
  unprocessable: { status: 422, title: 'Unprocessable Entity' },
  upstream: { status: 502, title: 'Bad Gateway' },
  unavailable: { status: 503, title: 'Service Unavailable' },
};

export function problem(status: number, title: string, detail: string) {
  return { type: `https://interview-helper.dev/problems/${status}`, title, status, detail };
}

/**
 * Temporal unreachable (down, restarting): gRPC UNAVAILABLE, on the error or a cause the SDK wrapped it
 * in. It is a 503 to retry, not a bug.
 */
function isTemporalUnavailable(err: unknown): boolean {
  for (let e = err, depth = 0; e && typeof e === 'object' && depth < 4; depth++) {
    if ((e as { code?: unknown }).code === 14) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

interface HttpAnswer {
  status: number;
  title: string;
  detail: string;
  retryAfterSeconds?: number;
}

/** Any thrown value as the status, title and detail it answers with: the one mapping. */
export function httpAnswer(err: unknown): HttpAnswer {
  if (err instanceof DomainError) {
    const retryAfterSeconds = err instanceof Unavailable ? err.retryAfterSeconds : undefined;
    return { ...STATUS[err.kind], detail: err.message, ...(retryAfterSeconds && { retryAfterSeconds }) };
  }
  if (err instanceof HttpError) return { status: err.status, title: err.title, detail: err.message };
  if (err instanceof ZodError)
    return {
      status: 400,
      title: 'Bad Request',
      detail: err.issues
        .map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message))
        .join('; '),
    };
  if (typeof err === 'object' && err && 'type' in err && 'status' in err && typeof err.status === 'number') {
    // body-parser's errors: malformed JSON, a body over the limit, a wrong charset.
    const e = err as { status: number; type: unknown; message?: unknown; limit?: unknown };
    return {
      status: e.status,
      title: e.status === 413 ? 'Payload Too Large' : 'Bad Request',
      detail:
        e.type === 'entity.parse.failed'
          ? `the body is not valid JSON: ${String(e.message)}`
          : e.type === 'entity.too.large'
            ? `the body is larger than the limit of ${String(e.limit)} bytes`
            : String(e.message),
    };
  }
  if (isTemporalUnavailable(err))
    return httpAnswer(
      new Unavailable(
        'the workflow service',
        'the workflow service is restarting; try again (an answer sent with its turnId counts once)',
        2,
        { cause: err },
      ),
    );
  return {
    status: 500,
    title: 'Internal Server Error',
    detail: 'something went wrong on our side; it has been logged',
  };
}

export function errorMiddleware(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const { status, title, detail, retryAfterSeconds } = httpAnswer(err);
    if (retryAfterSeconds) res.set('retry-after', String(retryAfterSeconds));
    if (status >= 500) {
      errorsTotal.inc({ where: 'api' });
      logger.error({ err, url: req.originalUrl }, 'request failed');
    }
    res
      .status(status)
      .type('application/problem+json')
      .json(problem(status, title, detail));
  };
}
