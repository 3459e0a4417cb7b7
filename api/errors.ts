// Typed errors and the one middleware that turns them into application/problem+json.
import type { ErrorRequestHandler } from 'express';
import { ZodError } from 'zod';
import { errorsTotal } from '../core/metrics.js';
import type { Logger } from '../core/logger.js';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    detail: string,
  ) {
    super(detail);
  }
}

export const notFound = (what: string) => new HttpError(404, 'Not Found', `${what} not found`);
export const conflict = (detail: string) => new HttpError(409, 'Conflict', detail);
export const badRequest = (detail: string) => new HttpError(400, 'Bad Request', detail);
export const unavailable = (detail: string) => new HttpError(503, 'Service Unavailable', detail);

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

export function errorMiddleware(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    let status = 500;
    let title = 'Internal Server Error';
    let detail = 'something went wrong on our side; it has been logged';
    if (err instanceof HttpError) {
      ({ status, title } = err);
      detail = err.message;
    } else if (err instanceof ZodError) {
      status = 400;
      title = 'Bad Request';
      detail = err.issues
        .map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message))
        .join('; ');
    } else if (typeof err === 'object' && err && 'type' in err && typeof err.status === 'number') {
      // body-parser's errors: malformed JSON, a body over the limit, a wrong charset.
      status = err.status;
      title = status === 413 ? 'Payload Too Large' : 'Bad Request';
      detail =
        err.type === 'entity.parse.failed'
          ? `the body is not valid JSON: ${err.message}`
          : err.type === 'entity.too.large'
            ? `the body is larger than the limit of ${err.limit} bytes`
            : String(err.message);
    } else if (isTemporalUnavailable(err)) {
      status = 503;
      title = 'Service Unavailable';
      detail = 'the workflow service is restarting; try again (an answer sent with its turnId counts once)';
      res.set('retry-after', '2');
    }
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
