// One review request (issue 13), durably: holds the claims state machine (core/review/claims.ts), sleeps
// until the next thing the clock changes (a claim lapsing, a reminder falling due, the due date), and ends
// when the request is completed, expired or withdrawn. Every step is saved and put on the request's event
// stream by one activity, in order: a later step is never overwritten by an earlier one that retried late.
// Steps that concern someone by email (core/review/mail.ts) are then handed to the mail activity, which the
// workflow does not wait on: a mail server that is down delays a mail, never the review.
import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  patched,
  proxyActivities,
  setHandler,
} from '@temporalio/workflow';
import {
  advance,
  claim,
  nextDeadline,
  openRequest,
  remind,
  remindersDue,
  submit,
  withdraw,
  type ClaimEvent,
  type Refusal,
  type ReviewRequest,
  type Transition,
} from '../core/review/claims.js';
import { mailed } from '../core/review/mail.js';
import type { createReviewMailActivities } from './activities/review-mail.js';
import type { createReviewActivities } from './activities/review.js';
import {
  claimReview,
  reviewState,
  submitReview,
  withdrawReview,
  type ReviewSubmissionInput,
  type ReviewWorkflowInput,
} from './messages.js';

const { profileReviewJob, recordReviewStep } = proxyActivities<ReturnType<typeof createReviewActivities>>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '10 seconds' },
});

// Mail is retried with backoff for about 20 minutes (2 s, 4 s, ... capped at 5 min between attempts), then
// given up: the candidate and the reviewers still have the app's notices.
const { sendReviewMail, poolMembersToMail } = proxyActivities<ReturnType<typeof createReviewMailActivities>>({
  startToCloseTimeout: '1 minute',
  retry: {
    initialInterval: '2 seconds',
    backoffCoefficient: 2,
    maximumInterval: '5 minutes',
    maximumAttempts: 9,
  },
});

/** A refusal as the update's failure: its reason is the type the API maps to an answer. */
function refused(refusal: Refusal): never {
  throw ApplicationFailure.create({
    type: refusal.reason,
    message: `review refused: ${refusal.reason.replace(/_/g, ' ')}`,
    nonRetryable: true,
    details: [refusal],
  });
}

export async function reviewRequest(input: ReviewWorkflowInput): Promise<ReviewRequest['status']> {
  const opened = openRequest(
    { requestId: input.requestId, dueAt: input.dueAt, wanted: input.wanted, audience: input.audience },
    Date.now(),
  );
  if (!opened.ok) refused(opened.refusal);
  let state: ReviewRequest = opened.state;

  // Mails in flight: the workflow ends only after they are sent or given up, but nothing else waits on them.
  const mails: Promise<unknown>[] = [];
  const mail = (events: readonly ClaimEvent[]) => {
    // Workflows started before email existed replay without these activities.
    if (!patched('review-mail')) return;
    for (const event of events.filter(mailed))
      mails.push(sendReviewMail({ requestId: input.requestId, event }).catch(() => undefined));
  };

  /** A pool request: each member of its cohort but the candidate is mailed that it is there. */
  const mailPool = (at: number) => {
    // Workflows started before pool mail replay without these activities.
    if (!patched('review-pool-mail')) return;
    const sent = poolMembersToMail({ requestId: input.requestId }).then((members) =>
      Promise.all(
        members.map((reviewerId) =>
          sendReviewMail({
            requestId: input.requestId,
            event: { type: 'pool_invited', reviewerId, at },
          }).catch(() => undefined),
        ),
      ),
    );
    mails.push(sent.catch(() => undefined));
  };

  // Steps are written one after another, in the order they happened.
  let written: Promise<void> = Promise.resolve();
  const record = (
    next: ReviewRequest,
    events: ClaimEvent[],
    submission?: ReviewSubmissionInput,
  ): Promise<void> => {
    state = next;
    const step = written
      .then(() => recordReviewStep({ requestId: input.requestId, state: next, events, submission }))
      .then(() => mail(events));
    written = step.catch(() => undefined);
    return step;
  };
  /** Applies a transition at once (so concurrent updates see it), then waits until it is saved. */
  const apply = async (t: Transition, submission?: ReviewSubmissionInput): Promise<ReviewRequest> => {
    if (!t.ok) refused(t.refusal);
    await record(t.state, t.events, submission);
    return t.state;
  };

  setHandler(reviewState, () => state);
  setHandler(claimReview, async ({ reviewerId }) => {
    const next = await apply(claim(state, reviewerId, Date.now(), input.claimHoldMs));
    const held = next.status === 'open' ? next.claims.find((c) => c.reviewerId === reviewerId) : undefined;
    return { expiresAt: held?.expiresAt ?? Date.now() };
  });
  setHandler(submitReview, async (submission) => {
    const now = Date.now();
    await apply(submit(state, submission.reviewerId, now), submission);
    return { submittedAt: now };
  });
  setHandler(withdrawReview, async () => {
    const now = Date.now();
    await apply(withdraw(state, now));
    return { endedAt: now };
  });

  await record(state, opened.events);
  mailPool(opened.state.createdAt);
  await profileReviewJob({ requestId: input.requestId });
  while (state.status === 'open') {
    const deadline = nextDeadline(state);
    if (deadline === null) break;
    const before = state;
    await condition(() => state !== before, Math.max(1, deadline - Date.now()));
    const now = Date.now();
    const advanced = advance(state, now);
    let next = advanced.state;
    const events = [...advanced.events];
    for (const reviewerId of remindersDue(next, now)) {
      const t = remind(next, reviewerId, now);
      if (t.ok) {
        next = t.state;
        events.push(...t.events);
      }
    }
    if (events.length) await record(next, events);
  }
  await written;
  await Promise.all(mails);
  await condition(allHandlersFinished);
  return state.status;
}
