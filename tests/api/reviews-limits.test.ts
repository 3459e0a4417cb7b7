// Shared review links over real HTTP: whoever holds a link has no account, so the link routes count per
// client IP (RATE_REVIEW_LINKS); guessing tokens or passcodes runs into 429 + Retry-After.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { accountClient } from '../support/accounts.js';
import { startStack, type TestStack } from '../support/stack.js';

let stack: TestStack;

beforeAll(async () => {
  stack = await startStack({ AUTH_MODE: 'accounts', RATE_REVIEW_LINKS: '3/min' });
});
afterAll(() => stack?.close());

it('a client guessing link tokens is refused with 429 after the limit, and other routes are not counted', async () => {
  const guest = accountClient(stack.baseUrl);
  const statuses: number[] = [];
  for (let i = 0; i < 4; i++) {
    const res = await guest.call('POST', `/api/shared-reviews/${String(i).repeat(43)}/open`, {});
    statuses.push(res.status);
    if (res.status === 429) {
      expect(res.type).toContain('application/problem+json');
      const retryAfter = Number(res.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(60);
    }
  }
  expect(statuses).toEqual([404, 404, 404, 429]);
  // The limit is the links' own: the rest of the API answers as before.
  expect((await guest.call('GET', '/api/me')).status).toBe(401);
});
