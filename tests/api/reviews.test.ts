// Peer review through the real stack (PGlite, Temporal, the review workflow): a candidate asks for a review
// of a finished session, a reviewer without an account opens the share link, scores blind, and sees the coach
// only after submitting; the candidate sees the review arrive on the request's stream. Access is refused as a
// person would expect: withdrawn 404, expired 410, passcode 401, someone else's request 404.
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { reviewRequests, reviewShares, sessionEvents } from '../../core/db/schema.js';
import { readJsonEvents } from '../../core/sse.js';
import { recordingKey } from '../../core/recordings.js';
import { encodeWav } from '../../voice/wav.js';
import { setRecording } from '../../core/stores/recordings.js';
import { reviewStream } from '../../core/stores/reviews.js';
import { Worker } from '@temporalio/worker';
import { reviewWorkflowId } from '../../workflows/messages.js';
import { workflowBundle } from '../../workflows/worker.js';
import { accountClient, type AccountClient } from '../support/accounts.js';
import { ANSWER } from '../support/client.js';
import { finishedSession } from '../support/reviews.js';
import { startStack, type TestStack } from '../support/stack.js';

/** A claim holds its seat this long here (24 h in production), so its expiry can be watched. */
const HOLD_MS = 4000;
const DAY = 24 * 60 * 60 * 1000;
const inMs = (ms: number) => new Date(Date.now() + ms).toISOString();

interface Feedback {
  scores: Record<string, number>;
  rewrite: string;
}
interface ReviewerView {
  status: string;
  candidate: string | null;
  answers: { answerId: string; answer: string; question: string }[];
  claim: { expiresAt: string } | null;
  submitted: boolean;
  coach: { answerId: string; feedback: Feedback }[] | null;
  reviews:
    { reviewer: string; answers: { answerId: string; scores: Record<string, { score: number }> }[] }[] | null;
}
interface OwnerView {
  status: string;
  answers: { answerId: string }[];
  coach: { answerId: string; feedback: Feedback }[];
  reviews: {
    reviewer: string;
    answers: { answerId: string; scores: Record<string, { score: number }>; comments: { text: string }[] }[];
  }[];
}
interface ReviewEventData {
  type: string;
  step?: string;
  reviewer?: string | null;
  by?: 'candidate' | 'reviewer';
}

let stack: TestStack;
let candidate: AccountClient;
let candidateEmail: string;
let sessionId: string;
let coached: { id: string; feedback: Feedback };

async function signedUp(): Promise<{ client: AccountClient; email: string }> {
  const client = accountClient(stack.baseUrl);
  const email = `reviews-${randomUUID().slice(0, 8)}@example.com`;
  expect((await client.signUp(email)).status).toBe(201);
  return { client, email };
}

/** Reads a review stream as `who` until `until` (or the stream's end); returns the events. */
async function reviewEvents(
  who: AccountClient,
  path: string,
  until: (e: ReviewEventData) => boolean,
  headers: Record<string, string> = {},
  timeoutMs = 20_000,
): Promise<ReviewEventData[]> {
  const ctl = new AbortController();
  const timer = setTimeout(() => ctl.abort(), timeoutMs);
  const seen: ReviewEventData[] = [];
  try {
    const res = await who.fetchRaw(path, {
      headers: { accept: 'text/event-stream', ...headers },
      signal: ctl.signal,
    });
    expect(res.status).toBe(200);
    for await (const e of readJsonEvents<ReviewEventData>(res.body)) {
      seen.push(e.data);
      if (until(e.data)) break;
    }
    return seen;
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw new Error(`timed out; saw ${JSON.stringify(seen)}`);
    throw err;
  } finally {
    clearTimeout(timer);
    ctl.abort();
  }
}

const requestReview = (body: Record<string, unknown>) =>
  candidate.call<{ id: string; share?: { token: string }; detail?: string }>(
    'POST',
    `/api/sessions/${sessionId}/reviews`,
    { dueAt: inMs(DAY), focus: 'Is my result convincing?', ...body },
  );

const SCORES = { star: { score: 2, confidence: 'high' }, clarity: { score: 3 }, impact: { score: 1 } };

beforeAll(async () => {
  stack = await startStack({
    AUTH_MODE: 'accounts',
    RATE_AUTH: '1000/min',
    SSE_HEARTBEAT_MS: '200',
    REVIEW_CLAIM_HOLD_MS: String(HOLD_MS),
    ADMIN_EMAILS: 'reviews-admin@example.com',
  });
  ({ client: candidate, email: candidateEmail } = await signedUp());
  ({ sessionId } = await finishedSession(candidate));
  const session = await candidate.call<{ turns: { id: string; feedback?: Feedback }[] }>(
    'GET',
    `/api/sessions/${sessionId}`,
  );
  const turn = session.json.turns.find((t) => t.feedback)!;
  coached = { id: turn.id, feedback: turn.feedback! };
}, 180_000);
afterAll(() => stack?.close());

describe('a link reviewer without an account', () => {
  it('reviews blind, then sees the coach; the candidate sees the review arrive live', async () => {
    const created = await requestReview({ share: { expiresAt: inMs(DAY) } });
    expect(created.status, created.text).toBe(201);
    const { id, share } = created.json;
    expect(share?.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const arriving = reviewEvents(candidate, `/api/reviews/${id}/events`, (e) => e.step === 'completed');

    const guest = accountClient(stack.baseUrl);
    const opened = await guest.call<{ reviewerKey: string; review: ReviewerView }>(
      'POST',
      `/api/shared-reviews/${share!.token}/open`,
      {},
    );
    expect(opened.status, opened.text).toBe(200);
    const { reviewerKey, review } = opened.json;
    expect(review.answers.map((a) => a.answerId)).toEqual([coached.id]);
    expect(review.answers[0]!.answer).toBe(ANSWER);
    // Blind: nothing of the coach's judgement, and the link hides who the candidate is.
    expect(review.coach).toBeNull();
    expect(review.reviews).toBeNull();
    expect(review.candidate).toBeNull();
    expect(opened.text).not.toContain('"scores"');
    expect(opened.text).not.toContain('"rewrite"');
    expect(opened.text).not.toContain(candidateEmail);

    const as = { 'x-reviewer-key': reviewerKey };
    const claimed = await guest.call<{ expiresAt: string }>(
      'POST',
      `/api/shared-reviews/${share!.token}/claim`,
      undefined,
      as,
    );
    expect(claimed.status, claimed.text).toBe(200);
    expect(Date.parse(claimed.json.expiresAt)).toBeGreaterThan(Date.now());
    const before = await guest.call<ReviewerView>(
      'GET',
      `/api/shared-reviews/${share!.token}`,
      undefined,
      as,
    );
    expect(before.json.claim).not.toBeNull();
    expect(before.json.coach).toBeNull();

    const submitted = await guest.call<ReviewerView>(
      'POST',
      `/api/shared-reviews/${share!.token}/submission`,
      {
        answers: [
          {
            answerId: coached.id,
            scores: SCORES,
            comments: [
              {
                text: 'Say what you did, not the team.',
                anchor: { kind: 'transcript', start: 0, end: 30 },
                dimension: 'star',
              },
              { text: 'Good number at the end.', anchor: { kind: 'answer' } },
            ],
          },
        ],
      },
      as,
    );
    expect(submitted.status, submitted.text).toBe(201);
    // Now they see the coach's scores of that moment, and their own review beside them.
    expect(submitted.json.submitted).toBe(true);
    expect(submitted.json.coach).toEqual([{ answerId: coached.id, feedback: coached.feedback }]);
    expect(submitted.json.reviews).toHaveLength(1);
    expect(submitted.json.reviews![0]!.answers[0]!.scores.star!.score).toBe(2);

    const steps = (await arriving).map((e) => e.step);
    expect(steps).toEqual(['claimed', 'submitted', 'completed']);
    const mine = await candidate.call<OwnerView>('GET', `/api/reviews/${id}`);
    expect(mine.json.status).toBe('completed');
    expect(mine.json.reviews).toHaveLength(1);
    expect(mine.json.reviews[0]!.reviewer).toBe('Reviewer 1');
    expect(mine.json.reviews[0]!.answers[0]!.comments.map((c) => c.text)).toEqual([
      'Say what you did, not the team.',
      'Good number at the end.',
    ]);
    expect(mine.json.coach[0]!.feedback.scores).toEqual(coached.feedback.scores);
    // One seat was wanted and is filled: the request is over for anyone else (410), not for the reviewer.
    const late = await accountClient(stack.baseUrl).call(
      'POST',
      `/api/shared-reviews/${share!.token}/open`,
      {},
    );
    expect(late.status).toBe(410);
    const again = await guest.call<ReviewerView>('GET', `/api/shared-reviews/${share!.token}`, undefined, as);
    expect(again.status).toBe(200);
    expect(again.json.coach).not.toBeNull();
  });

  it('a request sent twice with one Idempotency-Key is made once', async () => {
    const key = { 'idempotency-key': `review-${randomUUID()}` };
    const body = { dueAt: inMs(DAY), reviewers: [], share: { expiresAt: inMs(DAY) } };
    const first = await candidate.call<{ id: string }>(
      'POST',
      `/api/sessions/${sessionId}/reviews`,
      body,
      key,
    );
    const second = await candidate.call<{ id: string }>(
      'POST',
      `/api/sessions/${sessionId}/reviews`,
      body,
      key,
    );
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.json.id).toBe(first.json.id);
    const list = await candidate.call<{ requested: { id: string }[] }>('GET', '/api/reviews');
    expect(list.json.requested.filter((r) => r.id === first.json.id)).toHaveLength(1);
    expect((await candidate.call<OwnerView>('GET', `/api/reviews/${first.json.id}`)).json.status).toBe(
      'open',
    );
  });

  it('cannot claim or submit without opening the link first (no reviewer key): 401', async () => {
    const { json } = await requestReview({ share: { expiresAt: inMs(DAY) } });
    const guest = accountClient(stack.baseUrl);
    const res = await guest.call('POST', `/api/shared-reviews/${json.share!.token}/claim`);
    expect(res.status).toBe(401);
    expect(res.type).toContain('application/problem+json');
  });

  it('loses access the moment the candidate withdraws the request: 404', async () => {
    const { json } = await requestReview({ share: { expiresAt: inMs(DAY) } });
    const guest = accountClient(stack.baseUrl);
    const opened = await guest.call<{ reviewerKey: string }>(
      'POST',
      `/api/shared-reviews/${json.share!.token}/open`,
      {},
    );
    expect(opened.status).toBe(200);
    const withdrawn = await candidate.call<OwnerView>('POST', `/api/reviews/${json.id}/withdraw`);
    expect(withdrawn.status, withdrawn.text).toBe(200);
    expect(withdrawn.json.status).toBe('withdrawn');
    // Nothing more can happen: the stream says so and is closed by the server with `event: end` (a client
    // would not reconnect), so reading it ends by itself.
    const told = await reviewEvents(candidate, `/api/reviews/${json.id}/events`, () => false);
    expect(told.map((e) => e.step)).toEqual(['withdrawn']);
    const as = { 'x-reviewer-key': opened.json.reviewerKey };
    expect((await guest.call('GET', `/api/shared-reviews/${json.share!.token}`, undefined, as)).status).toBe(
      404,
    );
    expect((await guest.call('POST', `/api/shared-reviews/${json.share!.token}/open`, {})).status).toBe(404);
    expect(
      (await guest.call('POST', `/api/shared-reviews/${json.share!.token}/claim`, undefined, as)).status,
    ).toBe(404);
  });

  it('is told an expired link is gone for good: 410', async () => {
    const { json, status } = await requestReview({ share: { expiresAt: inMs(1500) } });
    expect(status).toBe(201);
    await new Promise((r) => setTimeout(r, 1700));
    const res = await accountClient(stack.baseUrl).call(
      'POST',
      `/api/shared-reviews/${json.share!.token}/open`,
      {},
    );
    expect(res.status).toBe(410);
    expect(res.type).toContain('application/problem+json');
  });

  it('needs the passcode of a protected link: 401 without it or with a wrong one', async () => {
    const { json } = await requestReview({ share: { expiresAt: inMs(DAY), passcode: 'blue-kettle' } });
    const guest = accountClient(stack.baseUrl);
    const path = `/api/shared-reviews/${json.share!.token}/open`;
    const without = await guest.call<{ detail: string }>('POST', path, {});
    expect(without.status).toBe(401);
    expect(without.json.detail).toMatch(/^passcode_required/);
    const wrong = await guest.call<{ detail: string }>('POST', path, { passcode: 'red-kettle' });
    expect(wrong.status).toBe(401);
    expect(wrong.json.detail).toMatch(/^wrong_passcode/);
    const right = await guest.call<{ reviewerKey: string }>('POST', path, { passcode: 'blue-kettle' });
    expect(right.status).toBe(200);
    // Every later call needs it too.
    const as = { 'x-reviewer-key': right.json.reviewerKey };
    expect((await guest.call('GET', `/api/shared-reviews/${json.share!.token}`, undefined, as)).status).toBe(
      401,
    );
    expect(
      (
        await guest.call('GET', `/api/shared-reviews/${json.share!.token}`, undefined, {
          ...as,
          'x-share-passcode': 'blue-kettle',
        })
      ).status,
    ).toBe(200);
  });

  it('an unknown link is 404', async () => {
    const res = await accountClient(stack.baseUrl).call(
      'POST',
      `/api/shared-reviews/${'x'.repeat(43)}/open`,
      {},
    );
    expect(res.status).toBe(404);
  });
});

describe('a claim that runs out', () => {
  it('reminds the reviewer halfway, then frees the seat for someone else', async () => {
    const { json } = await requestReview({ share: { expiresAt: inMs(DAY) } });
    const token = json.share!.token;
    const first = accountClient(stack.baseUrl);
    const second = accountClient(stack.baseUrl);
    const keyOf = async (c: AccountClient) =>
      (await c.call<{ reviewerKey: string }>('POST', `/api/shared-reviews/${token}/open`, {})).json
        .reviewerKey;
    const [k1, k2] = [await keyOf(first), await keyOf(second)];
    const watching = reviewEvents(
      candidate,
      `/api/reviews/${json.id}/events`,
      (e) => e.step === 'claim_released',
    );
    expect(
      (await first.call('POST', `/api/shared-reviews/${token}/claim`, undefined, { 'x-reviewer-key': k1 }))
        .status,
    ).toBe(200);
    // The one seat is held.
    expect(
      (await second.call('POST', `/api/shared-reviews/${token}/claim`, undefined, { 'x-reviewer-key': k2 }))
        .status,
    ).toBe(409);
    const steps = (await watching).map((e) => e.step);
    expect(steps).toEqual(['claimed', 'reminded', 'claim_released']);
    const view = await first.call<ReviewerView>('GET', `/api/shared-reviews/${token}`, undefined, {
      'x-reviewer-key': k1,
    });
    expect(view.json.claim).toBeNull();
    expect(
      (await second.call('POST', `/api/shared-reviews/${token}/claim`, undefined, { 'x-reviewer-key': k2 }))
        .status,
    ).toBe(200);
    // The first reviewer's late submission is refused: their claim lapsed.
    const late = await first.call(
      'POST',
      `/api/shared-reviews/${token}/submission`,
      { answers: [{ answerId: coached.id, scores: SCORES }] },
      { 'x-reviewer-key': k1 },
    );
    expect(late.status).toBe(409);
  }, 30_000);
});

describe('a request outlives its worker', () => {
  it('a claim that lapsed while no worker ran is released when one returns, without a stale reminder', async () => {
    const { json } = await requestReview({ share: { expiresAt: inMs(DAY) } });
    const token = json.share!.token;
    const guest = accountClient(stack.baseUrl);
    const key = (await guest.call<{ reviewerKey: string }>('POST', `/api/shared-reviews/${token}/open`, {}))
      .json.reviewerKey;
    const as = { 'x-reviewer-key': key };
    expect((await guest.call('POST', `/api/shared-reviews/${token}/claim`, undefined, as)).status).toBe(200);
    await stack.stopWorker();
    try {
      await new Promise((r) => setTimeout(r, HOLD_MS + 500));
    } finally {
      await stack.startWorker();
    }
    const steps = (
      await reviewEvents(candidate, `/api/reviews/${json.id}/events`, (e) => e.step === 'claim_released')
    ).map((e) => e.step);
    expect(steps).toEqual(['claimed', 'claim_released']);
    const view = await guest.call<ReviewerView>('GET', `/api/shared-reviews/${token}`, undefined, as);
    expect(view.json.claim).toBeNull();
    expect(view.json.status).toBe('open');
  }, 60_000);
});

describe('named reviewers and other accounts', () => {
  it('a named reviewer reviews blind through their account; the candidate sees their name', async () => {
    const { client: reviewer, email } = await signedUp();
    const created = await requestReview({ reviewers: [email] });
    expect(created.status, created.text).toBe(201);
    const { id } = created.json;
    const list = await reviewer.call<{ invited: { id: string }[]; requested: unknown[] }>(
      'GET',
      '/api/reviews',
    );
    expect(list.json.invited.map((r) => r.id)).toContain(id);
    expect(list.json.requested).toEqual([]);
    const view = await reviewer.call<ReviewerView>('GET', `/api/reviews/${id}/reviewer`);
    expect(view.status).toBe(200);
    expect(view.json.coach).toBeNull();
    expect(view.json.candidate).toBe(candidateEmail);
    expect((await reviewer.call('POST', `/api/reviews/${id}/claim`)).status).toBe(200);
    const done = await reviewer.call<ReviewerView>('POST', `/api/reviews/${id}/submission`, {
      answers: [{ answerId: coached.id, scores: { relevance: { score: 4 } } }],
    });
    expect(done.status, done.text).toBe(201);
    expect(done.json.coach![0]!.feedback.scores).toEqual(coached.feedback.scores);
    const mine = await candidate.call<OwnerView>('GET', `/api/reviews/${id}`);
    expect(mine.json.reviews.map((r) => r.reviewer)).toEqual([email]);
    // The reviewer cannot read the candidate's own view of the request, nor withdraw it.
    expect((await reviewer.call('GET', `/api/reviews/${id}`)).status).toBe(404);
    expect((await reviewer.call('POST', `/api/reviews/${id}/withdraw`)).status).toBe(404);
  });

  it('a second account can reach nothing of a request it was not invited to: 404', async () => {
    const { json } = await requestReview({ share: { expiresAt: inMs(DAY) } });
    const { client: other } = await signedUp();
    for (const [method, path] of [
      ['GET', `/api/reviews/${json.id}`],
      ['GET', `/api/reviews/${json.id}/events`],
      ['GET', `/api/reviews/${json.id}/reviewer`],
      ['POST', `/api/reviews/${json.id}/claim`],
      ['POST', `/api/reviews/${json.id}/withdraw`],
      ['POST', `/api/sessions/${sessionId}/reviews`],
    ] as const) {
      const res = await other.call(
        method,
        path,
        method === 'POST' ? { dueAt: inMs(DAY), share: { expiresAt: inMs(DAY) } } : undefined,
      );
      expect(res.status, `${method} ${path}`).toBe(404);
    }
    const list = await other.call<{ requested: unknown[]; invited: unknown[] }>('GET', '/api/reviews');
    expect(list.json).toEqual({ requested: [], invited: [], pool: [] });
    // And the request is as it was.
    expect((await candidate.call<OwnerView>('GET', `/api/reviews/${json.id}`)).json.status).toBe('open');
  });
});

describe('calibration', () => {
  it('an admin sees human–coach agreement computed from the reviews submitted above', async () => {
    const admin = accountClient(stack.baseUrl);
    expect((await admin.signUp('reviews-admin@example.com')).status).toBe(201);
    const res = await admin.call<{
      dimensions: { dimension: string; n: number; meanDifference: number | null }[];
      reviewers: { n: number }[];
    }>('GET', '/api/admin/reviews/calibration');
    expect(res.status, res.text).toBe(200);
    const star = res.json.dimensions.find((d) => d.dimension === 'star')!;
    // The link reviewer scored STAR 2 against the coach's own STAR score.
    expect(star.n).toBeGreaterThanOrEqual(1);
    expect(star.meanDifference).not.toBeNull();
    const relevance = res.json.dimensions.find((d) => d.dimension === 'relevance')!;
    expect(relevance.n).toBeGreaterThanOrEqual(1);
    expect(res.json.reviewers.length).toBeGreaterThanOrEqual(2);
    // A candidate may not read it.
    expect((await candidate.call('GET', '/api/admin/reviews/calibration')).status).toBe(403);
  });

  it("exports the human scores as a labelled set in the coach's eval format", async () => {
    const admin = accountClient(stack.baseUrl);
    expect((await admin.login('reviews-admin@example.com')).status).toBe(200);
    const res = await admin.call<{
      answers: Record<string, unknown>[];
      skipped: { answerId: string; reason: string; dimensions?: string[] }[];
    }>('GET', '/api/admin/reviews/export');
    expect(res.status, res.text).toBe(200);
    // The link reviewer scored three dimensions and the named reviewer one: no answer has all five.
    expect(res.json.answers).toEqual([]);
    expect(res.json.skipped.length).toBeGreaterThanOrEqual(1);
    expect(res.json.skipped.every((s) => s.reason === 'unscored_dimensions')).toBe(true);
    expect(res.json.skipped[0]!.dimensions).toContain('conciseness');

    // A full review of a fresh request makes a line the eval reads.
    const { json } = await requestReview({ share: { expiresAt: inMs(DAY) } });
    const guest = accountClient(stack.baseUrl);
    const token = json.share!.token;
    const key = (await guest.call<{ reviewerKey: string }>('POST', `/api/shared-reviews/${token}/open`, {}))
      .json.reviewerKey;
    const as = { 'x-reviewer-key': key };
    expect((await guest.call('POST', `/api/shared-reviews/${token}/claim`, undefined, as)).status).toBe(200);
    const all = {
      star: { score: 4 },
      clarity: { score: 3 },
      impact: { score: 5 },
      conciseness: { score: 2 },
      relevance: { score: 4 },
    };
    const sent = await guest.call(
      'POST',
      `/api/shared-reviews/${token}/submission`,
      { answers: [{ answerId: coached.id, scores: all }] },
      as,
    );
    expect(sent.status, sent.text).toBe(201);
    const after = await admin.call<{ answers: Record<string, unknown>[] }>(
      'GET',
      '/api/admin/reviews/export',
    );
    const line = after.json.answers.find((a) => a.id === `human:${json.id}/${coached.id}`);
    expect(line).toMatchObject({
      role: 'product',
      question: expect.any(String),
      answer: ANSWER,
      variant: 'base',
      split: 'test',
      labels: { star: 4, clarity: 3, impact: 5, conciseness: 2, relevance: 4 },
    });
    const requirements = (line!.job as { requirements: string[] }).requirements;
    expect(requirements.length).toBeGreaterThanOrEqual(3);
    expect(requirements.length).toBeLessThanOrEqual(6);
    // It is a line of the eval's own corpus format.
    const { answerSchema } = await import('../../eval/corpus/schema.js');
    expect(answerSchema.safeParse(line).error).toBeUndefined();
  });
});

describe('the end of a request', () => {
  it('expires at its due date: the stream says so, and a reviewer who did not submit finds it gone', async () => {
    const { json } = await requestReview({ dueAt: inMs(2500), share: { expiresAt: inMs(DAY) } });
    const steps = (
      await reviewEvents(candidate, `/api/reviews/${json.id}/events`, (e) => e.step === 'expired')
    ).map((e) => e.step);
    expect(steps).toEqual(['expired']);
    // The stream stays open (the comment threads of an expired request go on): read again, it replays the same.
    const again = await reviewEvents(
      candidate,
      `/api/reviews/${json.id}/events`,
      (e) => e.step === 'expired',
    );
    expect(again.map((e) => e.step)).toEqual(['expired']);
    expect((await candidate.call<OwnerView>('GET', `/api/reviews/${json.id}`)).json.status).toBe('expired');
    // A reviewer who did not submit finds it gone (410); the link itself has not expired.
    const res = await accountClient(stack.baseUrl).call(
      'POST',
      `/api/shared-reviews/${json.share!.token}/open`,
      {},
    );
    expect(res.status).toBe(410);
    expect((res.json as { detail: string }).detail).toMatch(/^ended/);
  });

  it('the review workflow replays its own recorded history: it is deterministic', async () => {
    const { json } = await requestReview({ share: { expiresAt: inMs(DAY) } });
    const guest = accountClient(stack.baseUrl);
    const token = json.share!.token;
    const key = (await guest.call<{ reviewerKey: string }>('POST', `/api/shared-reviews/${token}/open`, {}))
      .json.reviewerKey;
    expect(
      (await guest.call('POST', `/api/shared-reviews/${token}/claim`, undefined, { 'x-reviewer-key': key }))
        .status,
    ).toBe(200);
    expect((await candidate.call('POST', `/api/reviews/${json.id}/withdraw`)).status).toBe(200);
    const handle = stack.temporal.workflow.getHandle(reviewWorkflowId(json.id));
    expect(await handle.result()).toBe('withdrawn');
    const history = await handle.fetchHistory();
    await Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, history);
  });

  it('counts requests, turnaround and expired claims in /metrics', async () => {
    const text = await (await fetch(`${stack.baseUrl}/metrics`)).text();
    const value = (line: RegExp) => Number(text.match(line)?.[1] ?? NaN);
    expect(value(/^ih_review_requests_total\{audience="link"\} (\d+)/m)).toBeGreaterThanOrEqual(5);
    expect(value(/^ih_review_requests_total\{audience="named"\} (\d+)/m)).toBeGreaterThanOrEqual(1);
    // The link reviewer's and the named reviewer's submissions.
    expect(value(/^ih_review_turnaround_seconds_count (\d+)/m)).toBeGreaterThanOrEqual(2);
    expect(value(/^ih_review_claims_expired_total (\d+)/m)).toBeGreaterThanOrEqual(1);
  });

  it('deleting the job of a session deletes its review requests, their links, streams and workflows', async () => {
    const { jobId, sessionId: doomed } = await finishedSession(candidate);
    const created = await candidate.call<{ id: string; share: { token: string } }>(
      'POST',
      `/api/sessions/${doomed}/reviews`,
      { dueAt: inMs(DAY), share: { expiresAt: inMs(DAY) } },
    );
    expect(created.status).toBe(201);
    const { id, share } = created.json;
    const guest = accountClient(stack.baseUrl);
    expect((await guest.call('POST', `/api/shared-reviews/${share.token}/open`, {})).status).toBe(200);

    expect((await candidate.call('DELETE', `/api/jobs/${jobId}`)).status).toBe(202);
    for (const deadline = Date.now() + 30_000; ;) {
      if ((await candidate.call('GET', `/api/jobs/${jobId}`)).status === 404) break;
      if (Date.now() > deadline) throw new Error('the job was not deleted');
      await new Promise((r) => setTimeout(r, 200));
    }
    expect((await candidate.call('GET', `/api/reviews/${id}`)).status).toBe(404);
    expect((await guest.call('POST', `/api/shared-reviews/${share.token}/open`, {})).status).toBe(404);
    const { db } = stack.services.database;
    expect(await db.select().from(reviewRequests).where(eq(reviewRequests.id, id))).toEqual([]);
    expect(await db.select().from(reviewShares).where(eq(reviewShares.requestId, id))).toEqual([]);
    expect(
      await db
        .select()
        .from(sessionEvents)
        .where(eq(sessionEvents.sessionId, reviewStream(id))),
    ).toEqual([]);
    const described = await stack.temporal.workflow.getHandle(reviewWorkflowId(id)).describe();
    expect(described.status.name).toBe('TERMINATED');
  });
});

describe('the candidate answers the reviews', () => {
  interface CommentView {
    id: string;
    text: string;
    resolved: boolean;
    helpful: boolean;
    replies: { id: string; text: string; by: 'candidate' | 'reviewer' }[];
  }
  type Commented = { reviews: { answers: { comments: CommentView[] }[] }[] };

  /** A request reviewed through its link with two comments; the guest's headers to see it again. */
  async function reviewedByLink() {
    const created = await requestReview({ share: { expiresAt: inMs(DAY) } });
    expect(created.status, created.text).toBe(201);
    const { id, share } = created.json;
    const guest = accountClient(stack.baseUrl);
    const opened = await guest.call<{ reviewerKey: string }>(
      'POST',
      `/api/shared-reviews/${share!.token}/open`,
      {},
    );
    const as = { 'x-reviewer-key': opened.json.reviewerKey };
    expect(
      (await guest.call('POST', `/api/shared-reviews/${share!.token}/claim`, undefined, as)).status,
    ).toBe(200);
    const submitted = await guest.call(
      'POST',
      `/api/shared-reviews/${share!.token}/submission`,
      {
        answers: [
          {
            answerId: coached.id,
            scores: { clarity: { score: 3 } },
            comments: [
              { text: 'Lead with the result.', anchor: { kind: 'answer' } },
              { text: 'This sentence runs long.', anchor: { kind: 'transcript', start: 0, end: 12 } },
            ],
          },
        ],
      },
      as,
    );
    expect(submitted.status, submitted.text).toBe(201);
    return { id, guest, token: share!.token, as };
  }

  it('replies to a comment and marks it helpful and resolved; the link reviewer sees the reply; nobody else can', async () => {
    const { id, guest, token, as } = await reviewedByLink();
    const before = await candidate.call<OwnerView & Commented>('GET', `/api/reviews/${id}`);
    const [first, second] = before.json.reviews[0]!.answers[0]!.comments;
    expect(first).toMatchObject({
      text: 'Lead with the result.',
      resolved: false,
      helpful: false,
      replies: [],
    });
    expect(first!.id).not.toBe(second!.id);

    const helpful = await candidate.call<CommentView>('PATCH', `/api/reviews/${id}/comments/${first!.id}`, {
      helpful: true,
    });
    expect(helpful.status, helpful.text).toBe(200);
    expect(helpful.json).toMatchObject({ id: first!.id, helpful: true, resolved: false });
    const resolved = await candidate.call<CommentView>('PATCH', `/api/reviews/${id}/comments/${first!.id}`, {
      resolved: true,
    });
    expect(resolved.json).toMatchObject({ helpful: true, resolved: true });

    const key = { 'idempotency-key': `reply-${randomUUID()}` };
    const replied = await candidate.call<{ id: string; text: string }>(
      'POST',
      `/api/reviews/${id}/comments/${first!.id}/replies`,
      { text: 'Thanks: I will open with the 40% drop.' },
      key,
    );
    expect(replied.status, replied.text).toBe(201);
    // A reply sent again with its Idempotency-Key is the same reply.
    const again = await candidate.call<{ id: string }>(
      'POST',
      `/api/reviews/${id}/comments/${first!.id}/replies`,
      { text: 'Thanks: I will open with the 40% drop.' },
      key,
    );
    expect(again.json.id).toBe(replied.json.id);

    const after = await candidate.call<Commented>('GET', `/api/reviews/${id}`);
    const comments = after.json.reviews[0]!.answers[0]!.comments;
    expect(comments[0]).toMatchObject({ resolved: true, helpful: true });
    expect(comments[0]!.replies.map((r) => r.text)).toEqual(['Thanks: I will open with the 40% drop.']);
    expect(comments[1]).toMatchObject({ resolved: false, helpful: false, replies: [] });
    // The reviewer, who has submitted, sees the candidate's reply under their comment.
    const theirs = await guest.call<Commented>('GET', `/api/shared-reviews/${token}`, undefined, as);
    expect(theirs.json.reviews![0]!.answers[0]!.comments[0]!.replies.map((r) => r.text)).toEqual([
      'Thanks: I will open with the 40% drop.',
    ]);

    // Only the candidate marks and replies: the reviewer and another account are told it is not there.
    const { client: other } = await signedUp();
    for (const [who, refused] of [
      [other, 404],
      [guest, 401],
    ] as const) {
      const mark = await who.call('PATCH', `/api/reviews/${id}/comments/${first!.id}`, { helpful: false });
      expect(mark.status).toBe(refused);
      const reply = await who.call('POST', `/api/reviews/${id}/comments/${first!.id}/replies`, {
        text: 'hi',
      });
      expect(reply.status).toBe(refused);
    }
    const unchanged = await candidate.call<Commented>('GET', `/api/reviews/${id}`);
    expect(unchanged.json.reviews[0]!.answers[0]!.comments[0]).toMatchObject({ helpful: true });
    expect(unchanged.json.reviews[0]!.answers[0]!.comments[0]!.replies).toHaveLength(1);
  });

  it("the comment's reviewer answers the candidate's reply; nobody else may, and not before the candidate replied", async () => {
    const { id, guest, token, as } = await reviewedByLink();
    const view = await candidate.call<Commented>('GET', `/api/reviews/${id}`);
    const [first, second] = view.json.reviews[0]!.answers[0]!.comments;
    const path = (commentId: string) => `/api/shared-reviews/${token}/comments/${commentId}/replies`;

    // Nothing to answer yet: the candidate has not replied.
    const early = await guest.call<{ detail: string }>(
      'POST',
      path(first!.id),
      { text: 'Any questions?' },
      as,
    );
    expect(early.status).toBe(409);
    expect(early.json.detail).toMatch(/not replied/);

    await candidate.call('POST', `/api/reviews/${id}/comments/${first!.id}/replies`, {
      text: 'Should the result come before the context?',
    });
    const answered = await guest.call<{ text: string; by: string }>(
      'POST',
      path(first!.id),
      { text: 'Yes: one sentence of result, then the story.' },
      as,
    );
    expect(answered.status, answered.text).toBe(201);
    expect(answered.json).toMatchObject({ by: 'reviewer' });

    // The candidate sees the thread in order, each reply saying who wrote it; the reviewer sees it too.
    const thread = (await candidate.call<Commented>('GET', `/api/reviews/${id}`)).json.reviews[0]!.answers[0]!
      .comments[0]!.replies;
    expect(thread.map((r) => [r.by, r.text])).toEqual([
      ['candidate', 'Should the result come before the context?'],
      ['reviewer', 'Yes: one sentence of result, then the story.'],
    ]);
    const theirs = await guest.call<Commented>('GET', `/api/shared-reviews/${token}`, undefined, as);
    expect(theirs.json.reviews![0]!.answers[0]!.comments[0]!.replies).toHaveLength(2);
    // The link's stream told of both replies, after the request completed (its threads go on), without their
    // text: a link's stream is open to anyone with the link, and each page fetches what it may see.
    const told = await reviewEvents(
      guest,
      `/api/shared-reviews/${token}/events`,
      (e) => e.step === 'replied' && e.by === 'reviewer',
      as,
    );
    expect(told.map((e) => e.step).slice(-3)).toEqual(['completed', 'replied', 'replied']);
    expect(told.slice(-2)).toEqual([
      { type: 'review', step: 'replied', at: expect.any(String), reviewer: null, by: 'candidate' },
      { type: 'review', step: 'replied', at: expect.any(String), reviewer: null, by: 'reviewer' },
    ]);

    // Another link reviewer (a key that did not write the comment; the request is complete, so it is gone to
    // them) and another account are refused.
    const stranger = { 'x-reviewer-key': randomBytes(32).toString('base64url') };
    expect(
      (await accountClient(stack.baseUrl).call('POST', path(first!.id), { text: 'me too' }, stranger)).status,
    ).toBe(410);
    const { client: other } = await signedUp();
    expect(
      (await other.call('POST', `/api/reviews/${id}/reviewer/comments/${first!.id}/replies`, { text: 'hi' }))
        .status,
    ).toBe(404);
    // A comment of theirs the candidate did not reply to stays closed; an empty answer is a 400.
    expect((await guest.call('POST', path(second!.id), { text: 'Anything?' }, as)).status).toBe(409);
    expect((await guest.call('POST', path(first!.id), { text: '  ' }, as)).status).toBe(400);
  });

  it("a second reviewer of the same request cannot answer the first one's comment thread: 404", async () => {
    const created = await requestReview({ share: { expiresAt: inMs(DAY) }, wanted: 2 });
    const token = created.json.share!.token;
    const reviewers = [];
    for (const text of ['First reviewer: lead with the result.', 'Second reviewer: shorter, please.']) {
      const guest = accountClient(stack.baseUrl);
      const key = (await guest.call<{ reviewerKey: string }>('POST', `/api/shared-reviews/${token}/open`, {}))
        .json.reviewerKey;
      const as = { 'x-reviewer-key': key };
      expect((await guest.call('POST', `/api/shared-reviews/${token}/claim`, undefined, as)).status).toBe(
        200,
      );
      const submitted = await guest.call(
        'POST',
        `/api/shared-reviews/${token}/submission`,
        {
          answers: [
            {
              answerId: coached.id,
              scores: { clarity: { score: 3 } },
              comments: [{ text, anchor: { kind: 'answer' } }],
            },
          ],
        },
        as,
      );
      expect(submitted.status, submitted.text).toBe(201);
      reviewers.push({ guest, as });
    }
    const view = await candidate.call<Commented>('GET', `/api/reviews/${created.json.id}`);
    const firstComment = view.json.reviews[0]!.answers[0]!.comments[0]!;
    await candidate.call('POST', `/api/reviews/${created.json.id}/comments/${firstComment.id}/replies`, {
      text: 'Before or after the context?',
    });
    const [first, second] = reviewers;
    const path = `/api/shared-reviews/${token}/comments/${firstComment.id}/replies`;
    expect((await second!.guest.call('POST', path, { text: 'After.' }, second!.as)).status).toBe(404);
    expect((await first!.guest.call('POST', path, { text: 'Before.' }, first!.as)).status).toBe(201);
  });

  it('refuses a bad mark or reply with a clear problem', async () => {
    const { id } = await reviewedByLink();
    const view = await candidate.call<Commented>('GET', `/api/reviews/${id}`);
    const comment = view.json.reviews[0]!.answers[0]!.comments[0]!;
    const empty = await candidate.call<{ detail: string }>(
      'PATCH',
      `/api/reviews/${id}/comments/${comment.id}`,
      {},
    );
    expect(empty.status).toBe(400);
    expect(empty.json.detail).toContain('set resolved or helpful');
    const blank = await candidate.call('POST', `/api/reviews/${id}/comments/${comment.id}/replies`, {
      text: '   ',
    });
    expect(blank.status).toBe(400);
    const unknown = await candidate.call('PATCH', `/api/reviews/${id}/comments/nope`, { helpful: true });
    expect(unknown.status).toBe(404);
    expect(unknown.type).toContain('application/problem+json');
    expect((await candidate.call('POST', `/api/reviews/${id}/answers/nope/practice`)).status).toBe(404);
  });

  it('practises a reviewed answer again: a new one-round session on the same job asks that question', async () => {
    const { id } = await reviewedByLink();
    const original = await candidate.call<{
      jobId: string;
      module: string;
      turns: { id: string; question: string }[];
    }>('GET', `/api/sessions/${sessionId}`);
    const question = original.json.turns.find((t) => t.id === coached.id)!.question;
    const started = await candidate.call<{ id: string }>(
      'POST',
      `/api/reviews/${id}/answers/${coached.id}/practice`,
    );
    expect(started.status, started.text).toBe(201);
    expect(started.json.id).not.toBe(sessionId);
    let practice!: {
      jobId: string;
      module: string;
      rounds: number;
      status: string;
      turns: { question: string }[];
    };
    for (const deadline = Date.now() + 30_000; ;) {
      practice = (await candidate.call<typeof practice>('GET', `/api/sessions/${started.json.id}`)).json;
      if (practice.status === 'awaiting_answer') break;
      if (Date.now() > deadline) throw new Error(`the practice session stayed ${practice.status}`);
      await new Promise((r) => setTimeout(r, 150));
    }
    expect(practice).toMatchObject({ jobId: original.json.jobId, module: original.json.module, rounds: 1 });
    expect(practice.turns.map((t) => t.question)).toEqual([question]);
    // Someone else cannot start one from the candidate's request.
    const { client: other } = await signedUp();
    expect((await other.call('POST', `/api/reviews/${id}/answers/${coached.id}/practice`)).status).toBe(404);
  });

  it('serves a spoken answer’s recording to the candidate and to its reviewers only, until it is deleted', async () => {
    // A recording on the coached answer, as a voice answer leaves one (a WAV of silence is enough here).
    const me = await candidate.call<{ id: string }>('GET', '/api/me');
    const wav = encodeWav(new Float32Array(4000), 16_000);
    const key = recordingKey(me.json.id, sessionId, `${coached.id}-answer`);
    await stack.services.blobs.put(key, wav);
    await setRecording(stack.services.database.db, coached.id, me.json.id, { key, bytes: wav.length });

    const { client: named, email } = await signedUp();
    const created = await requestReview({ reviewers: [email], share: { expiresAt: inMs(DAY) }, wanted: 2 });
    expect(created.status, created.text).toBe(201);
    const { id, share } = created.json;
    const path = `/api/reviews/${id}/answers/${coached.id}/audio`;
    const linkPath = `/api/shared-reviews/${share!.token}/answers/${coached.id}/audio`;
    const guest = accountClient(stack.baseUrl);
    const opened = await guest.call<{
      reviewerKey: string;
      review: { answers: { hasRecording: boolean }[] };
    }>('POST', `/api/shared-reviews/${share!.token}/open`, {});
    expect(opened.json.review.answers[0]!.hasRecording).toBe(true);
    const as = { 'x-reviewer-key': opened.json.reviewerKey };

    for (const [who, url, headers] of [
      [candidate, path, {}],
      [named, path, {}],
      [guest, linkPath, as],
    ] as const) {
      const res = await who.fetchRaw(url, { headers });
      expect(res.status, url).toBe(200);
      expect(res.headers.get('content-type')).toBe('audio/wav');
      expect(Buffer.from(await res.arrayBuffer()).equals(wav)).toBe(true);
    }
    // Nobody else: another account, a link holder who has not opened it, an answer not in the request.
    const { client: other } = await signedUp();
    expect((await other.fetchRaw(path)).status).toBe(404);
    expect((await guest.fetchRaw(linkPath)).status).toBe(401);
    expect((await candidate.fetchRaw(`/api/reviews/${id}/answers/nope/audio`)).status).toBe(404);

    // The candidate deletes the recording: reviewers lose it at once (the transcript stays).
    expect(
      (await candidate.call('DELETE', `/api/sessions/${sessionId}/turns/${coached.id}/audio`)).status,
    ).toBe(204);
    expect((await named.fetchRaw(path)).status).toBe(404);
    expect((await guest.fetchRaw(linkPath, { headers: as })).status).toBe(404);
  });
});
