// Cohort pools through the real stack: a candidate creates a cohort, a classmate joins with its invite code,
// and a request for the cohort's pool shows up in every other member's Reviews to claim, names hidden by
// default; someone outside the cohort can neither see nor claim it. And the unread count on the nav: new
// invitations and arrived reviews, cleared when seen.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountClient, type AccountClient } from '../support/accounts.js';
import { finishedSession } from '../support/reviews.js';
import { startStack, type TestStack } from '../support/stack.js';

const DAY = 24 * 60 * 60 * 1000;

interface Cohort {
  id: string;
  name: string;
  inviteCode: string;
  members: number;
}
interface Summary {
  id: string;
  status: string;
}
interface ReviewList {
  requested: Summary[];
  invited: Summary[];
  pool: Summary[];
}

let stack: TestStack;
let candidate: AccountClient;
let candidateEmail: string;
let sessionId: string;
let answerId: string;

async function signedUp(): Promise<{ client: AccountClient; email: string }> {
  const client = accountClient(stack.baseUrl);
  const email = `pool-${randomUUID().slice(0, 8)}@example.com`;
  expect((await client.signUp(email)).status).toBe(201);
  return { client, email };
}

const askPool = (cohortId: string, extra: Record<string, unknown> = {}) =>
  candidate.call<{ id: string; detail?: string }>('POST', `/api/sessions/${sessionId}/reviews`, {
    dueAt: new Date(Date.now() + DAY).toISOString(),
    focus: 'Pool review, please',
    cohortId,
    ...extra,
  });

beforeAll(async () => {
  stack = await startStack({ AUTH_MODE: 'accounts', RATE_AUTH: '1000/min' });
  ({ client: candidate, email: candidateEmail } = await signedUp());
  ({ sessionId } = await finishedSession(candidate));
  const session = await candidate.call<{ turns: { id: string; feedback?: unknown }[] }>(
    'GET',
    `/api/sessions/${sessionId}`,
  );
  answerId = session.json.turns.find((t) => t.feedback)!.id;
}, 180_000);
afterAll(() => stack?.close());

describe('cohorts', () => {
  it('the creator is the first member and gets an invite code; others join with it', async () => {
    const created = await candidate.call<Cohort>('POST', '/api/cohorts', { name: '  Evening class ' });
    expect(created.status, created.text).toBe(201);
    expect(created.json).toMatchObject({ name: 'Evening class', members: 1 });
    expect(created.json.inviteCode).toMatch(/^[A-Z2-9]{10}$/);
    const { client: classmate } = await signedUp();
    // Typed in lower case, as people do.
    const joined = await classmate.call<Cohort>('POST', '/api/cohorts/join', {
      inviteCode: created.json.inviteCode.toLowerCase(),
    });
    expect(joined.status, joined.text).toBe(200);
    expect(joined.json).toMatchObject({ id: created.json.id, members: 2 });
    // Joining again changes nothing.
    expect((await classmate.call<Cohort>('POST', '/api/cohorts/join', joined.json)).json.members).toBe(2);
    expect((await classmate.call<Cohort[]>('GET', '/api/cohorts')).json.map((c) => c.id)).toEqual([
      created.json.id,
    ]);
  });

  it('refuses a nameless cohort (400) and a code nobody made (404)', async () => {
    const nameless = await candidate.call<{ status: number }>('POST', '/api/cohorts', { name: ' ' });
    expect(nameless.status).toBe(400);
    const unknown = await candidate.call<{ detail: string }>('POST', '/api/cohorts/join', {
      inviteCode: 'NOSUCHCODE',
    });
    expect(unknown.status).toBe(404);
    expect(unknown.json.detail).toMatch(/invite code/);
  });
});

describe('a review request for a cohort pool', () => {
  it('every other member sees it open and may claim it; names are hidden both ways; an outsider cannot reach it', async () => {
    const cohort = (await candidate.call<Cohort>('POST', '/api/cohorts', { name: 'Study group' })).json;
    const { client: member, email: memberEmail } = await signedUp();
    const { client: other } = await signedUp();
    await member.call('POST', '/api/cohorts/join', { inviteCode: cohort.inviteCode });
    await other.call('POST', '/api/cohorts/join', { inviteCode: cohort.inviteCode });
    const { client: outsider } = await signedUp();

    const created = await askPool(cohort.id);
    expect(created.status, created.text).toBe(201);
    const { id } = created.json;

    const listed = (await member.call<ReviewList>('GET', '/api/reviews')).json;
    expect(listed.pool.map((r) => r.id)).toContain(id);
    expect(listed.invited.map((r) => r.id)).not.toContain(id);
    expect(
      (await candidate.call<ReviewList>('GET', '/api/reviews')).json.pool.map((r) => r.id),
    ).not.toContain(id);

    // Outside the cohort: not listed, and every route to it is a 404.
    expect((await outsider.call<ReviewList>('GET', '/api/reviews')).json.pool).toEqual([]);
    for (const [method, path] of [
      ['GET', `/api/reviews/${id}/reviewer`],
      ['POST', `/api/reviews/${id}/claim`],
      ['GET', `/api/reviews/${id}/events`],
      ['GET', `/api/reviews/${id}`],
    ] as const)
      expect((await outsider.call(method, path)).status, `${method} ${path}`).toBe(404);

    const view = await member.call<{ candidate: string | null; coach: unknown }>(
      'GET',
      `/api/reviews/${id}/reviewer`,
    );
    expect(view.status).toBe(200);
    expect(view.json.candidate).toBeNull();
    expect(view.json.coach).toBeNull();
    expect((await member.call('POST', `/api/reviews/${id}/claim`)).status).toBe(200);
    // One review wanted: the seat is held, so another member cannot claim it too.
    const second = await other.call<{ detail: string }>('POST', `/api/reviews/${id}/claim`);
    expect(second.status).toBe(409);
    const done = await member.call('POST', `/api/reviews/${id}/submission`, {
      answers: [
        {
          answerId,
          scores: { clarity: { score: 4 } },
          comments: [{ text: 'Clear, but say the result first.', anchor: { kind: 'answer' } }],
        },
      ],
    });
    expect(done.status, done.text).toBe(201);

    const mine = await candidate.call<{
      status: string;
      anonymous: boolean;
      reviews: { reviewer: string }[];
    }>('GET', `/api/reviews/${id}`);
    expect(mine.json.status).toBe('completed');
    expect(mine.json.anonymous).toBe(true);
    expect(mine.json.reviews.map((r) => r.reviewer)).toEqual(['Reviewer 1']);
    expect(JSON.stringify(mine.json)).not.toContain(memberEmail);
    // The reviewer keeps it in their pool (to see where they differ); the other member, who did not review, does not.
    expect(
      (await member.call<ReviewList>('GET', '/api/reviews')).json.pool.find((r) => r.id === id)?.status,
    ).toBe('completed');
    expect((await other.call<ReviewList>('GET', '/api/reviews')).json.pool.map((r) => r.id)).not.toContain(
      id,
    );
  });

  it('names are shown when the candidate chooses so', async () => {
    const cohort = (await candidate.call<Cohort>('POST', '/api/cohorts', { name: 'Named group' })).json;
    const { client: member } = await signedUp();
    await member.call('POST', '/api/cohorts/join', { inviteCode: cohort.inviteCode });
    const { json } = await askPool(cohort.id, { anonymous: false });
    const view = await member.call<{ candidate: string | null }>('GET', `/api/reviews/${json.id}/reviewer`);
    expect(view.json.candidate).toBe(candidateEmail);
  });

  it('refuses a cohort the candidate is not a member of: 404, as if it did not exist', async () => {
    const { client: stranger } = await signedUp();
    const theirs = (await stranger.call<Cohort>('POST', '/api/cohorts', { name: 'Not yours' })).json;
    const res = await askPool(theirs.id);
    expect(res.status).toBe(404);
    expect(res.json.detail).toContain('cohort');
  });
});

describe('unread review notices (the count on the nav)', () => {
  const notices = (who: AccountClient) =>
    who.call<{ unread: number; arrived: number; invitations: number }>('GET', '/api/notices');
  const seen = async (who: AccountClient) =>
    expect((await who.call('POST', '/api/notices/seen')).status).toBe(204);

  it('counts an invitation for the reviewer and an arrived review for the candidate, each cleared when seen', async () => {
    const { client: reviewer, email } = await signedUp();
    expect((await notices(reviewer)).json).toEqual({ unread: 0, arrived: 0, invitations: 0 });
    await seen(candidate);
    expect((await notices(candidate)).json.unread).toBe(0);

    const { json } = await candidate.call<{ id: string }>('POST', `/api/sessions/${sessionId}/reviews`, {
      dueAt: new Date(Date.now() + DAY).toISOString(),
      reviewers: [email],
    });
    expect((await notices(reviewer)).json).toEqual({ unread: 1, arrived: 0, invitations: 1 });
    await seen(reviewer);
    expect((await notices(reviewer)).json.unread).toBe(0);

    expect((await reviewer.call('POST', `/api/reviews/${json.id}/claim`)).status).toBe(200);
    const done = await reviewer.call('POST', `/api/reviews/${json.id}/submission`, {
      answers: [{ answerId, scores: { star: { score: 3 } } }],
    });
    expect(done.status, done.text).toBe(201);
    expect((await notices(candidate)).json).toEqual({ unread: 1, arrived: 1, invitations: 0 });
    await seen(candidate);
    expect((await notices(candidate)).json.unread).toBe(0);
    // The reviewer's own submission is no notice to them.
    expect((await notices(reviewer)).json.unread).toBe(0);
  });

  it("a pool request is a notice to the cohort's other members only", async () => {
    const cohort = (await candidate.call<Cohort>('POST', '/api/cohorts', { name: 'Notice group' })).json;
    const { client: member } = await signedUp();
    const { client: outsider } = await signedUp();
    await member.call('POST', '/api/cohorts/join', { inviteCode: cohort.inviteCode });
    await seen(candidate);
    expect((await askPool(cohort.id)).status).toBe(201);
    expect((await notices(member)).json.invitations).toBe(1);
    expect((await notices(outsider)).json.unread).toBe(0);
    expect((await notices(candidate)).json.unread).toBe(0);
  });

  it('needs an account: 401 without one', async () => {
    const anon = accountClient(stack.baseUrl);
    expect((await anon.call('GET', '/api/notices')).status).toBe(401);
    expect((await anon.call('POST', '/api/notices/seen')).status).toBe(401);
  });
});
