// The review workflow's one step (workflows/review.workflow.ts): save what changed and tell the request's
// stream. Idempotent: the submission and the state are upserts, and events are keyed by what they record.
import { familyByKeywords } from '../../agents/coach-text/role-family.js';
import type { Db } from '../../core/db/client.js';
import type { EventLog } from '../../core/events.js';
import { reviewClaimsExpired, reviewTurnaround } from '../../core/metrics.js';
import type { ClaimEvent, ReviewRequest } from '../../core/review/claims.js';
import { requirementsOf } from '../../core/review/snapshot.js';
import * as reviews from '../../core/stores/reviews.js';
import type { ReviewEvent } from '../../contract/reviews.js';
import type { ReviewSubmissionInput } from '../messages.js';

export interface ReviewActivityDeps {
  db: Db;
  events: EventLog;
}

const reviewerOf = (e: ClaimEvent): string | null => ('reviewerId' in e ? e.reviewerId : null);

/**
 * Who a stream event names: a named reviewer's email, unless the request is anonymous; a link reviewer has
 * no name to give.
 */
function label(e: ClaimEvent, anonymous: boolean, emails: ReadonlyMap<string, string>): string | null {
  const id = reviewerOf(e);
  return id === null || anonymous ? null : (emails.get(id) ?? null);
}

export function createReviewActivities({ db, events }: ReviewActivityDeps) {
  return {
    /**
     * Describes the request's job as the coach's eval does (its role family, its requirements), so the human
     * scores can be exported as a labelled set. Here rather than in the API: the role family is the agents'.
     */
    async profileReviewJob(input: { requestId: string }): Promise<void> {
      const job = await reviews.jobOfRequest(db, input.requestId);
      if (!job) return;
      await reviews.setJobProfile(db, input.requestId, {
        role: familyByKeywords(job.title, job.description),
        requirements: requirementsOf(job.description),
      });
    },

    async recordReviewStep(input: {
      requestId: string;
      state: ReviewRequest;
      events: ClaimEvent[];
      submission?: ReviewSubmissionInput;
    }): Promise<void> {
      const request = await reviews.byId(db, input.requestId);
      if (!request) return; // deleted with its session: nothing left to record
      if (input.submission) {
        const at = input.events.find((e) => e.type === 'submitted')?.at ?? Date.now();
        await reviews.saveSubmission(
          db,
          input.requestId,
          input.submission.reviewerId,
          input.submission.answers,
          new Date(at),
        );
      }
      await reviews.saveState(db, input.requestId, input.state);
      const ids = input.events.flatMap((e) => reviewerOf(e) ?? []);
      const emails = await reviews.emailsOf(db, ids);
      const appended = await events.append(
        reviews.reviewStream(input.requestId),
        input.events.map((e) => {
          const event: ReviewEvent = {
            type: 'review',
            step: e.type,
            at: new Date(e.at).toISOString(),
            reviewer: label(e, request.anonymous, emails),
            ...(e.type === 'claimed' && { expiresAt: new Date(e.expiresAt).toISOString() }),
          };
          return { key: `${e.type}:${reviewerOf(e) ?? ''}:${e.at}`, event };
        }),
      );
      // Counted once: a retried step appends nothing new.
      for (const { event } of appended) {
        if (event.type !== 'review') continue;
        if (event.step === 'claim_released') reviewClaimsExpired.inc();
        if (event.step === 'submitted')
          reviewTurnaround.observe((Date.parse(event.at) - request.createdAt.getTime()) / 1000);
      }
    },
  };
}
