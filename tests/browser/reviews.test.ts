// A peer review cycle in real Chromium (Debian) against the real stack in AUTH_MODE=accounts: a candidate asks
// for a review of a finished session, a named reviewer (an account) and a link reviewer (no account, a fresh
// browser context) review blind and then see where they differ from the coach, and the candidate, watching
// the request's page, sees both reviews arrive, replies to a comment (the reviewer answers), marks it
// helpful and practises again. Then a cohort's pool, and the unread count on the nav.
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { recordingKey } from '../../core/recordings.js';
import { setRecording } from '../../core/stores/recordings.js';
import { encodeWav } from '../../voice/wav.js';
import { accountClient } from '../support/accounts.js';
import { startBrowserStack, type BrowserStack } from '../support/browser.js';
import { ROOT } from '../support/processes.js';
import { finishedSession } from '../support/reviews.js';
import type { TestStack } from '../support/stack.js';

const PASSWORD = 'correct horse battery';
const ADMIN = 'reviews-admin@example.com';

let stack: TestStack;
let ui: BrowserStack;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  ui = await startBrowserStack({ AUTH_MODE: 'accounts', RATE_AUTH: '1000/min', ADMIN_EMAILS: ADMIN });
  ({ stack } = ui);
}, 180_000);
afterAll(async () => {
  for (const c of contexts) await c.close();
  await ui?.close();
});

/** A browser of its own (its own cookies and storage), signed in as `email` unless null. */
async function browserOf(email: string | null): Promise<Page> {
  const context = await ui.browser.newContext({ viewport: { width: 1200, height: 900 } });
  contexts.push(context);
  const page = await context.newPage();
  if (email) {
    await page.goto(`${stack.baseUrl}/signin`);
    await page.getByTestId('auth-email').fill(email);
    await page.getByTestId('auth-password').fill(PASSWORD);
    await page.getByTestId('auth-submit').click();
    await page.waitForURL(`${stack.baseUrl}/`);
  }
  return page;
}

/** A full-page screenshot of one person's page, saved as a test artifact. */
const shot = (page: Page, name: string) =>
  page.screenshot({ path: path.join(ROOT, 'test-artifacts', `${name}.png`), fullPage: true });

/** Scores one dimension on the reviewer's page: the radio of that level, labelled with the guide's anchor. */
async function score(page: Page, dimension: string, level: number) {
  await page.getByTestId(`score-${dimension}`).locator(`input[value="${level}"]`).check();
}

it('two accounts and a link-only reviewer complete a review cycle', async () => {
  const id = randomUUID().slice(0, 8);
  const candidateEmail = `candidate-${id}@example.com`;
  const reviewerEmail = `coach-${id}@example.com`;
  const candidateApi = accountClient(stack.baseUrl);
  expect((await candidateApi.signUp(candidateEmail, PASSWORD)).status).toBe(201);
  expect((await accountClient(stack.baseUrl).signUp(reviewerEmail, PASSWORD)).status).toBe(201);
  const { sessionId } = await finishedSession(candidateApi);
  const session = await candidateApi.call<{ turns: { id: string; question: string; feedback?: unknown }[] }>(
    'GET',
    `/api/sessions/${sessionId}`,
  );
  const answered = session.json.turns.find((t) => t.feedback)!;
  const question = answered.question;
  // The answer was spoken: its recording (a 4 s tone here) is kept with the turn, as a voice answer's is.
  const me = await candidateApi.call<{ id: string }>('GET', '/api/me');
  const tone = new Float32Array(64_000).map((_, i) => (i > 16_000 ? 0.5 * Math.sin(i / 8) : 0));
  const wav = encodeWav(tone, 16_000);
  const key = recordingKey(me.json.id, sessionId, `${answered.id}-answer`);
  await stack.services.blobs.put(key, wav);
  await setRecording(stack.services.database.db, answered.id, me.json.id, { key, bytes: wav.length });

  // The candidate asks for two reviews: the named account, and anyone with the link.
  const candidate = await browserOf(candidateEmail);
  await candidate.goto(`${stack.baseUrl}/sessions/${sessionId}`);
  await candidate.getByTestId('ask-review').click();
  await candidate.getByTestId('review-focus').fill('Is my result convincing?');
  await candidate.getByTestId('review-wanted').fill('2');
  await candidate.getByTestId('review-emails').fill(reviewerEmail);
  // Names shown: the named reviewer is someone the candidate chose (the link reviewer stays "Reviewer 2").
  await candidate.getByTestId('review-anonymous').uncheck();
  await candidate.getByTestId('send-review-request').click();
  const shareLink = await candidate.getByTestId('share-link').inputValue();
  expect(shareLink).toMatch(new RegExp(`^${stack.baseUrl}/shared-reviews/[A-Za-z0-9_-]{43}$`));
  await shot(candidate, 'review-1-requested');
  await candidate.getByTestId('open-review').click();
  await candidate.waitForURL(/\/reviews\/[0-9a-f-]{36}$/);
  await expect.poll(() => candidate.getByTestId('review-count').textContent()).toBe('0 of 2');

  // The named reviewer finds it in their reviews list and scores it blind.
  const coach = await browserOf(reviewerEmail);
  await coach.goto(`${stack.baseUrl}/reviews`);
  await coach.getByTestId('invited-reviews').getByRole('link', { name: 'Review' }).click();
  await coach.getByTestId('claim-review').click();
  await coach.getByTestId('claim-held').waitFor();
  expect(await coach.getByTestId('transcript').inputValue()).toContain('Completed bookings rose 12%');
  // The rubric's levels carry the labelling guide's anchors.
  await expect
    .poll(() => coach.getByTestId('score-star').textContent())
    .toContain('One specific episode; the setting and what was at stake are clear');
  await coach.getByTestId('comment-text').fill('Lead with the 12% rise: it is buried at the end.');
  await coach.getByTestId('comment-dimension').selectOption('impact');
  await coach.getByTestId('add-comment').click();
  for (const [dimension, level] of [
    ['star', 4],
    ['clarity', 4],
    ['impact', 2],
  ] as const)
    await score(coach, dimension, level);
  await shot(coach, 'review-2-named-reviewer');
  await coach.getByTestId('submit-review').click();
  await coach.getByTestId('review-submitted').waitFor();
  // Now they see the coach's scores beside theirs.
  await expect.poll(() => coach.getByTestId('differ-list').locator('li').count()).toBe(3);

  // The candidate's page shows it arrive, live.
  await expect.poll(() => candidate.getByTestId('review-count').textContent()).toBe('1 of 2');
  await expect
    .poll(() => candidate.getByTestId('review-steps').textContent())
    .toContain(`A review arrived (${reviewerEmail})`);

  // A link reviewer: no account, a browser that has never seen the app.
  const guest = await browserOf(null);
  await guest.goto(shareLink);
  await guest.getByTestId('claim-review').click();
  await guest.getByTestId('claim-held').waitFor();
  expect(guest.url()).toBe(shareLink); // not sent to sign in
  // They select words of the transcript and comment on exactly those.
  await guest.getByTestId('transcript').evaluate((el: HTMLTextAreaElement) => {
    const start = el.value.indexOf('I interviewed 20 riders');
    el.focus();
    el.setSelectionRange(start, start + 'I interviewed 20 riders'.length);
  });
  await guest.getByRole('radio', { name: 'The selected words' }).check();
  await guest.getByTestId('comment-text').fill('Good: a concrete first step.');
  await guest.getByTestId('add-comment').click();
  await expect
    .poll(() => guest.getByTestId('draft-comments').textContent())
    .toContain('“I interviewed 20 riders”');
  // The recording plays from the link, with its waveform; a comment can point at a moment of it.
  await guest.getByTestId('waveform').waitFor();
  expect(await guest.getByTestId('waveform').locator('rect').count()).toBe(160);
  await guest.getByRole('radio', { name: 'A moment of the recording' }).check();
  await guest.getByLabel('From (seconds)').fill('1');
  await guest.getByLabel('To (seconds)').fill('3');
  await guest.getByTestId('comment-text').fill('Silence for the first second: start at once.');
  await guest.getByTestId('add-comment').click();
  await expect.poll(() => guest.getByTestId('draft-comments').textContent()).toContain('0:01–0:03');
  await score(guest, 'star', 2);
  await score(guest, 'clarity', 5);
  await guest.getByTestId('submit-review').click();
  await guest.getByTestId('review-submitted').waitFor();
  // No longer blind: the other review and the coach, beside their own.
  expect(await guest.getByTestId('spread-table').locator('thead th').allTextContents()).toEqual([
    'Dimension',
    reviewerEmail,
    'Reviewer 2',
    'Coach',
    'Spread',
  ]);
  await shot(guest, 'review-3-link-reviewer');

  // Both reviews are in: the request is complete, and the table shows each reviewer beside the coach.
  await expect.poll(() => candidate.getByTestId('review-count').textContent()).toBe('2 of 2');
  await expect
    .poll(() => candidate.getByTestId('request-status').getAttribute('data-status'))
    .toBe('completed');
  const table = candidate.getByTestId('spread-table');
  expect(await table.locator('thead th').allTextContents()).toEqual([
    'Dimension',
    reviewerEmail,
    'Reviewer 2',
    'Coach',
    'Spread',
  ]);
  // STAR: 4 and 2 from the reviewers: two points apart at least, so the row is marked.
  expect(await table.locator('tr[data-dimension="star"]').getAttribute('data-wide')).toBe('true');
  const comments = candidate.getByTestId('review-comment');
  await expect.poll(() => comments.count()).toBe(3);
  await expect.poll(() => comments.nth(1).textContent()).toContain('“I interviewed 20 riders”');
  await expect.poll(() => comments.nth(2).textContent()).toContain('0:01–0:03');
  // The candidate hears the same recording, to find the moment a comment points at.
  await candidate.getByTestId('waveform').waitFor();

  // The candidate replies to the named reviewer's comment and marks it helpful; both survive a reload.
  const first = comments.first();
  await first.getByTestId('reply-text').fill('Thanks, I will open with the result.');
  await first.getByTestId('send-reply').click();
  await expect
    .poll(() => first.getByTestId('comment-reply').textContent())
    .toContain('Thanks, I will open with the result.');
  await first.getByTestId('mark-helpful').click();
  await expect.poll(() => first.getByTestId('mark-helpful').getAttribute('aria-pressed')).toBe('true');
  // A reply to the link reviewer's comment shows on their open page, live: no reload (their page has not
  // been reloaded since they submitted).
  const guestComment = comments.nth(1);
  await guestComment.getByTestId('reply-text').fill('Twenty riders: I will say how I chose them.');
  await guestComment.getByTestId('send-reply').click();
  await expect
    .poll(() => guest.getByTestId('reply-thread').first().getByTestId('thread-reply').first().textContent())
    .toContain('Twenty riders: I will say how I chose them.');
  expect(await guest.getByTestId('reply-thread').first().textContent()).toContain(
    'Good: a concrete first step.',
  );
  await shot(candidate, 'review-4-candidate');
  await candidate.reload();
  await expect
    .poll(() =>
      candidate
        .getByTestId('review-comment')
        .first()
        .getByTestId('mark-helpful')
        .getAttribute('aria-pressed'),
    )
    .toBe('true');
  await expect
    .poll(() => candidate.getByTestId('review-comment').first().getByTestId('comment-reply').textContent())
    .toContain('Thanks, I will open with the result.');

  // The named reviewer's open review page shows the reply, live (no reload); they answer it, and the
  // candidate reads the answer.
  const thread = coach.getByTestId('reply-thread').first();
  await expect
    .poll(() => thread.getByTestId('thread-reply').first().textContent())
    .toContain('Thanks, I will open with the result.');
  await thread.getByTestId('answer-text').fill('Good: and put the 12% in the first sentence.');
  await thread.getByTestId('send-answer').click();
  await expect.poll(() => thread.getByTestId('thread-reply').count()).toBe(2);
  await candidate.reload();
  await expect
    .poll(() => candidate.getByTestId('review-comment').first().locator('[data-by="reviewer"]').textContent())
    .toContain('put the 12% in the first sentence');

  // An admin sees the two reviewers against the coach on the admin page, and can export the labels.
  expect((await accountClient(stack.baseUrl).signUp(ADMIN, PASSWORD)).status).toBe(201);
  const admin = await browserOf(ADMIN);
  await admin.goto(`${stack.baseUrl}/admin`);
  const calibration = admin.getByTestId('review-calibration');
  await expect
    .poll(() => calibration.getByTestId('calibration-reviewers').locator('tbody tr').count())
    .toBe(2);
  // STAR: two human scores (4 and 2) of one answer; its one coach score does not vary, so no kappa, said so.
  const star = calibration.getByTestId('calibration-dimensions').locator('tr[data-dimension="star"]');
  expect(await star.locator('td').first().textContent()).toBe('2');
  expect(await star.getByTestId('kappa-star').textContent()).toBe('no variation');
  expect(await calibration.getByTestId('review-export').getAttribute('href')).toBe(
    '/api/admin/reviews/export',
  );
  await shot(admin, 'review-5-admin');

  // Practise again: a new session asks the same question, with the reviewers' comments above it.
  await candidate.getByTestId('practise-again').click();
  await candidate.waitForURL(/\/sessions\/[0-9a-f-]{36}\?review=/);
  expect(candidate.url()).not.toContain(sessionId);
  await expect
    .poll(() => candidate.getByTestId('practice-notes').textContent())
    .toContain('Lead with the 12% rise');
  await expect
    .poll(() => candidate.getByTestId('session-status').getAttribute('data-status'), { timeout: 30_000 })
    .toBe('awaiting_answer');
  await expect.poll(() => candidate.getByTestId('coach-question').textContent()).toContain(question);
  await shot(candidate, 'review-6-practise-again');
});

it('a link reviewer behind a passcode watches the request live: a withdrawal shows at once, without a reload', async () => {
  const id = randomUUID().slice(0, 8);
  const candidateApi = accountClient(stack.baseUrl);
  expect((await candidateApi.signUp(`withdrawing-${id}@example.com`, PASSWORD)).status).toBe(201);
  const { sessionId } = await finishedSession(candidateApi);
  const passcode = `kettle-${id}`;
  const created = await candidateApi.call<{ id: string; share: { token: string } }>(
    'POST',
    `/api/sessions/${sessionId}/reviews`,
    {
      dueAt: new Date(Date.now() + 86_400_000).toISOString(),
      share: { expiresAt: new Date(Date.now() + 86_400_000).toISOString(), passcode },
    },
  );
  expect(created.status, created.text).toBe(201);

  // The stream's requests, as the browser sends them: the passcode goes in a header, never the address.
  const guest = await browserOf(null);
  const streamRequests: { url: string; passcode: string | undefined }[] = [];
  guest.on('request', (r) => {
    if (r.url().includes('/events'))
      streamRequests.push({ url: r.url(), passcode: r.headers()['x-share-passcode'] });
  });
  await guest.goto(`${stack.baseUrl}/shared-reviews/${created.json.share.token}`);
  await guest.getByTestId('passcode').fill(passcode);
  await guest.getByRole('button', { name: 'Open' }).click();
  await guest.getByTestId('claim-review').click();
  await guest.getByTestId('claim-held').waitFor();
  await guest.getByTestId('comment-text').fill('Half a thought…');
  await expect.poll(() => guest.getByTestId('connection-badge').getAttribute('data-state')).toBe('live');

  expect((await candidateApi.call('POST', `/api/reviews/${created.json.id}/withdraw`)).status).toBe(200);
  await expect
    .poll(() => guest.getByTestId('review-ended').textContent())
    .toContain('This request was withdrawn');
  expect(await guest.getByTestId('submit-review').count()).toBe(0); // nothing left to submit
  await expect.poll(() => guest.getByTestId('connection-badge').getAttribute('data-state')).toBe('closed');
  await shot(guest, 'review-withdrawn-live');

  expect(streamRequests.length).toBeGreaterThan(0);
  for (const r of streamRequests) {
    expect(r.url).not.toContain(passcode);
    expect(r.passcode).toBe(passcode);
  }
});

it("a cohort's pool: a classmate joins with the code, finds the request, reviews it; the unread count shows and clears", async () => {
  const id = randomUUID().slice(0, 8);
  const candidateEmail = `pool-candidate-${id}@example.com`;
  const memberEmail = `pool-member-${id}@example.com`;
  const candidateApi = accountClient(stack.baseUrl);
  expect((await candidateApi.signUp(candidateEmail, PASSWORD)).status).toBe(201);
  expect((await accountClient(stack.baseUrl).signUp(memberEmail, PASSWORD)).status).toBe(201);
  const { sessionId } = await finishedSession(candidateApi);

  // The candidate creates a cohort on the Reviews page and passes its invite code on.
  const candidate = await browserOf(candidateEmail);
  await candidate.goto(`${stack.baseUrl}/reviews`);
  await candidate.getByTestId('cohort-name').fill('Evening class');
  await candidate.getByRole('button', { name: 'Create' }).click();
  const code = (await candidate.getByTestId('cohort-code').textContent())!.trim();
  expect(code).toMatch(/^[A-Z2-9]{10}$/);

  const member = await browserOf(memberEmail);
  await member.goto(`${stack.baseUrl}/reviews`);
  await member.getByTestId('cohort-join').fill(code);
  await member.getByRole('button', { name: 'Join' }).click();
  await expect.poll(() => member.getByTestId('cohorts').textContent()).toContain('Evening class');

  // The candidate offers the session to the cohort's pool, without a link.
  await candidate.goto(`${stack.baseUrl}/sessions/${sessionId}`);
  await candidate.getByTestId('ask-review').click();
  await candidate.getByTestId('review-with-link').uncheck();
  await candidate.getByTestId('review-cohort').selectOption({ label: 'Evening class (2 members)' });
  await candidate.getByTestId('send-review-request').click();
  await candidate.getByTestId('open-review').waitFor();

  // The member sees one unread notice on the nav; opening Reviews shows the request and clears it.
  await member.goto(`${stack.baseUrl}/`);
  await expect.poll(() => member.getByTestId('reviews-unread').textContent()).toContain('1');
  await member.getByTestId('reviews-link').click();
  await member.getByTestId('pool-reviews').waitFor();
  await expect.poll(() => member.getByTestId('reviews-unread').count()).toBe(0);
  await member.getByTestId('pool-reviews').getByRole('link', { name: 'Review' }).click();
  await member.getByTestId('claim-review').click();
  await member.getByTestId('claim-held').waitFor();
  await score(member, 'clarity', 4);
  await member.getByTestId('submit-review').click();
  await member.getByTestId('review-submitted').waitFor();

  // The candidate is told a review arrived, by the count on the nav, and sees it unnamed.
  await candidate.goto(`${stack.baseUrl}/sessions`);
  await expect.poll(() => candidate.getByTestId('reviews-unread').textContent()).toContain('1');
  await shot(candidate, 'review-7-unread');
  await candidate.getByTestId('reviews-link').click();
  await candidate.getByTestId('requested-reviews').getByRole('link').first().click();
  await expect.poll(() => candidate.getByTestId('review-count').textContent()).toBe('1 of 1');
  expect(await candidate.getByTestId('spread-table').locator('thead th').allTextContents()).toEqual([
    'Dimension',
    'Reviewer 1',
    'Coach',
    'Spread',
  ]);
  expect(await candidate.getByTestId('reviews-unread').count()).toBe(0);
});
