// The one mapping of errors to HTTP: each domain error's status and title, and the HTTP-only ones,
// exactly as ../shared/API.md documents them (tests/api/* check them through real requests).
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  Conflict,
  Forbidden,
  Invalid,
  NotFound,
  TooLarge,
  Unavailable,
  Unprocessable,
  Unsupported,
  UpstreamFailed,
} from '../core/errors.js';
import { badRequest, conflict, httpAnswer, HttpError, notFound, unavailable } from './errors.js';

describe('httpAnswer', () => {
  it('maps each domain error to its status and title, with the message as the detail', () => {
    const cases: [Error, number, string][] = [
      [new Invalid('name: required'), 400, 'Bad Request'],
      [new NotFound('job 42'), 404, 'Not Found'],
      [new Forbidden('software-engineer is a built-in panel'), 403, 'Forbidden'],
      [new Conflict('the session has ended'), 409, 'Conflict'],
      [new TooLarge('over 10 minutes'), 413, 'Payload Too Large'],
      [new Unsupported('not audio'), 415, 'Unsupported Media Type'],
      [new Unprocessable('no speech'), 422, 'Unprocessable Entity'],
      [new UpstreamFailed('the MLflow registry', 'RESOURCE_EXHAUSTED'), 502, 'Bad Gateway'],
      [new Unavailable('speech', 'speech is not available'), 503, 'Service Unavailable'],
    ];
    for (const [err, status, title] of cases)
      expect(httpAnswer(err)).toEqual({ status, title, detail: err.message });
  });

  it('keeps the helpers’ wording: "<what> not found"', () => {
    expect(httpAnswer(notFound('session s1'))).toMatchObject({ status: 404, detail: 'session s1 not found' });
    expect(httpAnswer(conflict('busy')).status).toBe(409);
    expect(httpAnswer(badRequest('bad')).status).toBe(400);
    expect(httpAnswer(unavailable('later')).status).toBe(503);
  });

  it('passes HTTP-only refusals through, and reads zod and body-parser errors', () => {
    expect(httpAnswer(new HttpError(429, 'Too Many Requests', 'slow down'))).toEqual({
      status: 429,
      title: 'Too Many Requests',
      detail: 'slow down',
    });
    const zod = z.object({ rounds: z.number() }).safeParse({ rounds: 'x' }).error;
    expect(httpAnswer(zod)).toMatchObject({ status: 400, title: 'Bad Request' });
    expect(httpAnswer(zod).detail).toMatch(/^rounds: /);
    const tooLarge = Object.assign(new Error('request entity too large'), {
      status: 413,
      type: 'entity.too.large',
      limit: 1024,
    });
    expect(httpAnswer(tooLarge)).toEqual({
      status: 413,
      title: 'Payload Too Large',
      detail: 'the body is larger than the limit of 1024 bytes',
    });
  });

  it('answers an unreachable workflow service (gRPC UNAVAILABLE, however wrapped) with 503 and a retry', () => {
    const grpc = Object.assign(new Error('14 UNAVAILABLE: No connection established'), { code: 14 });
    expect(httpAnswer(new Error('Workflow Update failed', { cause: grpc }))).toEqual({
      status: 503,
      title: 'Service Unavailable',
      detail: 'the workflow service is restarting; try again (an answer sent with its turnId counts once)',
      retryAfterSeconds: 2,
    });
  });

  it('hides anything else behind a 500', () => {
    expect(httpAnswer(new Error('secret internals'))).toEqual({
      status: 500,
      title: 'Internal Server Error',
      detail: 'something went wrong on our side; it has been logged',
    });
  });
});
