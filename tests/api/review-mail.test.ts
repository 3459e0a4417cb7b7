// Review notices by email through a real SMTP server in this process (smtp-server receiving, mailparser
// reading what arrived): an invited reviewer gets the link to review, the candidate learns a review arrived;
// a cohort's members are told of a request in its pool; a reviewer holding a seat is reminded, and the
// candidate told when the request expires (the workflow's own timers, with a short hold and due date); with
// the mail server down the review goes on as before, and the mails arrive once it is back (retried).
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils.js';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reviewWorkflowId } from '../../workflows/messages.js';
import { workflowBundle } from '../../workflows/worker.js';
import { accountClient, type AccountClient } from '../support/accounts.js';
import { finishedSession } from '../support/reviews.js';
import { startStack, type TestStack } from '../support/stack.js';

const ORIGIN = 'http://coach.example.test';
const DAY = 24 * 60 * 60 * 1000;
/** A claim's hold, short so the reminder (at half of it) falls due within the test. */
const HOLD_MS = 4000;

let stack: TestStack;
let smtp: SMTPServer;
let smtpPort: number;
const inbox: ParsedMail[] = [];
let candidate: AccountClient;
let candidateEmail: string;
let sessionId: string;
let answerId: string;

/** A mail server accepting user "ih" / "secret" without TLS, as a small relay on a LAN would. */
async function startSmtp(port: number): Promise<SMTPServer> {
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    onAuth(auth, _session, done) {
      if (auth.username === 'ih' && auth.password === 'secret') done(null, { user: auth.username });
      else done(new Error('bad credentials'));
    },
    onData(stream, _session, done) {
      simpleParser(stream)
        .then((mail) => {
          inbox.push(mail);
          done();
        })
        .catch(done);
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.on('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  return server;
}

const stopSmtp = (server: SMTPServer) => new Promise<void>((resolve) => server.close(() => resolve()));

const recipient = (m: ParsedMail) => (m.to && !Array.isArray(m.to) ? m.to.text : '?');

/** Waits for the mail to `address` whose subject matches and whose text holds `link`. */
async function mailTo(
  address: string,
  subject: RegExp,
  link: string,
  timeoutMs = 60_000,
): Promise<ParsedMail> {
  for (const deadline = Date.now() + timeoutMs; ;) {
    const found = inbox.find(
      (m) => recipient(m) === address && subject.test(m.subject ?? '') && (m.text ?? '').includes(link),
    );
    if (found) return found;
    if (Date.now() > deadline)
      throw new Error(
        `no mail "${subject}" to ${address} with ${link}; inbox: ${inbox.map((m) => `${recipient(m)}: ${m.subject}`).join('; ')}`,
      );
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function signedUp(): Promise<{ client: AccountClient; email: string }> {
  const client = accountClient(stack.baseUrl);
  const email = `mail-${randomUUID().slice(0, 8)}@example.com`;
  expect((await client.signUp(email)).status).toBe(201);
  return { client, email };
}

/** Asks `reviewer` for a review; the reviewer claims and submits it. Returns the request's id. */
async function reviewCycle(reviewer: AccountClient, reviewerEmail: string): Promise<string> {
  const created = await candidate.call<{ id: string }>('POST', `/api/sessions/${sessionId}/reviews`, {
    dueAt: new Date(Date.now() + DAY).toISOString(),
    focus: 'Is my result convincing?',
    reviewers: [reviewerEmail],
  });
  expect(created.status, created.text).toBe(201);
  const { id } = created.json;
  expect((await reviewer.call('POST', `/api/reviews/${id}/claim`)).status).toBe(200);
  const done = await reviewer.call('POST', `/api/reviews/${id}/submission`, {
    answers: [{ answerId, scores: { impact: { score: 3 } }, comments: [] }],
  });
  expect(done.status, done.text).toBe(201);
  return id;
}

beforeAll(async () => {
  smtp = await startSmtp(0);
  smtpPort = (smtp.server.address() as AddressInfo).port;
  stack = await startStack({
    AUTH_MODE: 'accounts',
    RATE_AUTH: '1000/min',
    SMTP_URL: `smtp://ih:secret@127.0.0.1:${smtpPort}`,
    MAIL_FROM: 'Interview Helper <coach@example.test>',
    PUBLIC_ORIGIN: ORIGIN,
    REVIEW_CLAIM_HOLD_MS: String(HOLD_MS),
  });
  ({ client: candidate, email: candidateEmail } = await signedUp());
  ({ sessionId } = await finishedSession(candidate));
  const session = await candidate.call<{ turns: { id: string; feedback?: unknown }[] }>(
    'GET',
    `/api/sessions/${sessionId}`,
  );
  answerId = session.json.turns.find((t) => t.feedback)!.id;
}, 180_000);

afterAll(async () => {
  await stack?.close();
  if (smtp) await stopSmtp(smtp);
});

describe('review notices by email (SMTP_URL)', () => {
  it('mails the invited reviewer the link to review, and the candidate when the review arrives', async () => {
    const { client: reviewer, email } = await signedUp();
    const id = await reviewCycle(reviewer, email);

    const invitation = await mailTo(email, /^Review request/, `${ORIGIN}/reviews/${id}/review`);
    expect(invitation.from?.text).toContain('coach@example.test');
    // A named reviewer is told who asks (the request does not hide names) and what to look at.
    expect(invitation.text).toContain(candidateEmail);
    expect(invitation.text).toContain('Is my result convincing?');

    const arrived = await mailTo(candidateEmail, /^A review arrived/, `${ORIGIN}/reviews/${id}\n`);
    expect(arrived.text).toContain('1 of 1');
    // One notice each: nothing was sent twice.
    expect(inbox.filter((m) => m.messageId === invitation.messageId)).toHaveLength(1);
    // The workflow with its mail steps replays its own history (the steps are deterministic).
    const handle = stack.temporal.workflow.getHandle(reviewWorkflowId(id));
    expect(await handle.result()).toBe('completed');
    await Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, await handle.fetchHistory());
  }, 90_000);

  it("mails each member of a cohort's pool but the candidate the reviews page, without the candidate's name", async () => {
    const cohort = (
      await candidate.call<{ id: string; inviteCode: string }>('POST', '/api/cohorts', { name: 'Mail group' })
    ).json;
    const members = [await signedUp(), await signedUp()];
    for (const m of members)
      expect(
        (await m.client.call('POST', '/api/cohorts/join', { inviteCode: cohort.inviteCode })).status,
      ).toBe(200);
    const outsider = await signedUp();
    const created = await candidate.call<{ id: string }>('POST', `/api/sessions/${sessionId}/reviews`, {
      dueAt: new Date(Date.now() + DAY).toISOString(),
      focus: 'Pool review, please',
      cohortId: cohort.id,
    });
    expect(created.status, created.text).toBe(201);
    const { id } = created.json;

    for (const m of members) {
      const invitation = await mailTo(m.email, /^Review request in your cohort/, `${ORIGIN}/reviews\n`);
      // A pool hides names by default: the member is not told who asks.
      expect(invitation.text).toContain('A candidate in your cohort asks');
      expect(invitation.text).not.toContain(candidateEmail);
      expect(invitation.text).toContain('Pool review, please');
    }
    // The candidate (a member too) and someone outside the cohort are not invited; nobody twice.
    const pooled = inbox.filter((m) => /^Review request in your cohort/.test(m.subject ?? ''));
    expect(pooled.map(recipient).sort()).toEqual(members.map((m) => m.email).sort());

    // The workflow with its pool mail replays its own history.
    expect((await candidate.call('POST', `/api/reviews/${id}/withdraw`)).status).toBe(200);
    const handle = stack.temporal.workflow.getHandle(reviewWorkflowId(id));
    expect(await handle.result()).toBe('withdrawn');
    await Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, await handle.fetchHistory());
    expect(inbox.some((m) => recipient(m) === outsider.email)).toBe(false);
  }, 90_000);

  it('a pool request recorded before pool mail existed replays without it', async () => {
    // Recorded from the workflow as it was before `review-pool-mail` (commit 2e0c532): a pool request a
    // member claimed, then withdrawn. Without the patch the new activities would break its replay.
    const recorded = readFileSync(
      new URL('../fixtures/workflows/review-pool-before-pool-mail.json', import.meta.url),
      'utf8',
    );
    await Worker.runReplayHistory(
      { workflowBundle: await workflowBundle() },
      historyFromJSON(JSON.parse(recorded)),
    );
  });

  it('reminds a reviewer holding a seat halfway through its hold; tells the candidate when the request expires', async () => {
    const { client: reviewer, email } = await signedUp();
    const created = await candidate.call<{ id: string }>('POST', `/api/sessions/${sessionId}/reviews`, {
      dueAt: new Date(Date.now() + HOLD_MS + 2000).toISOString(),
      reviewers: [email],
    });
    expect(created.status, created.text).toBe(201);
    const { id } = created.json;
    expect((await reviewer.call('POST', `/api/reviews/${id}/claim`)).status).toBe(200);

    const reminder = await mailTo(email, /^Reminder/, `${ORIGIN}/reviews/${id}/review`);
    expect(reminder.text).toContain('Half of your time has passed');
    const expired = await mailTo(candidateEmail, /^Your review request expired/, `${ORIGIN}/reviews/${id}\n`);
    expect(expired.text).toContain('0 of 1 review(s)');
    const handle = stack.temporal.workflow.getHandle(reviewWorkflowId(id));
    expect(await handle.result()).toBe('expired');
    // Each once, though the workflow slept through its timers.
    expect(inbox.filter((m) => m.messageId === reminder.messageId)).toHaveLength(1);
    expect(inbox.filter((m) => m.messageId === expired.messageId)).toHaveLength(1);
  }, 90_000);

  it('with the mail server down the review completes as before; the mails arrive once it is back', async () => {
    await stopSmtp(smtp);
    const { client: reviewer, email } = await signedUp();
    const id = await reviewCycle(reviewer, email);

    // The review and its in-app notices did not wait for the mail server.
    const mine = await candidate.call<{ status: string; reviews: unknown[] }>('GET', `/api/reviews/${id}`);
    expect(mine.json.status).toBe('completed');
    expect(mine.json.reviews).toHaveLength(1);
    const listed = await reviewer.call<{ invited: { id: string; status: string }[] }>('GET', '/api/reviews');
    expect(listed.json.invited.find((r) => r.id === id)?.status).toBe('completed');
    expect(inbox.some((m) => recipient(m) === email)).toBe(false);

    // Back up on the same address: the workflow's retries deliver what failed.
    smtp = await startSmtp(smtpPort);
    await mailTo(email, /^Review request/, `${ORIGIN}/reviews/${id}/review`);
    await mailTo(candidateEmail, /^A review arrived/, `${ORIGIN}/reviews/${id}\n`);
  }, 150_000);
});
