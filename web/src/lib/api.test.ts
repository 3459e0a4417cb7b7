import { describe, expect, it } from 'vitest';
import { ApiError, errorMessage, problemError } from './api.js';

describe('problemError (fetch and XHR errors alike)', () => {
  it('reads an application/problem+json body', () => {
    const body = JSON.stringify({
      type: 'about:blank',
      title: 'Conflict',
      status: 409,
      detail: 'the document is being re-indexed',
    });
    const err = problemError(409, 'Conflict', body);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 409, title: 'Conflict', detail: 'the document is being re-indexed' });
    expect(errorMessage(err)).toBe('the document is being re-indexed');
  });

  it('takes a plain `message` when there is no detail, and the type when there is one', () => {
    const err = problemError(400, 'Bad Request', '{"message":"no title","type":"urn:ih:invalid"}');
    expect(err).toMatchObject({ title: 'Bad Request', detail: 'no title', type: 'urn:ih:invalid' });
  });

  it('keeps the first 300 characters of a body that is not JSON (a proxy error page)', () => {
    const html = `<html>${'x'.repeat(400)}</html>`;
    const err = problemError(502, 'Bad Gateway', html);
    expect(err.detail).toBe(html.slice(0, 300));
    expect(err.title).toBe('Bad Gateway');
  });

  it('falls back to the status text and code for an empty body', () => {
    expect(problemError(503, 'Service Unavailable', '')).toMatchObject({
      title: 'Service Unavailable',
      detail: 'Service Unavailable (503)',
      type: 'about:blank',
    });
    expect(problemError(500, '', '').detail).toBe('Request failed (500)');
  });
});
