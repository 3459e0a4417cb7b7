// The review workflow's email notices (core/review/mail.ts says who gets what). Without SMTP_URL there is no
// mailer and nothing is sent. A failure throws, so Temporal retries it with backoff; the workflow never waits
// on a mail to move the review on, and its in-app notices were recorded before (activities/review.ts).
import type { Db } from '../../core/db/client.js';
import type { Mailer } from '../../core/mail.js';
import { reviewMailsSent } from '../../core/metrics.js';
import { noticeOf, recipientOf, type MailedEvent } from '../../core/review/mail.js';
import * as cohorts from '../../core/stores/cohorts.js';
import * as reviews from '../../core/stores/reviews.js';

export interface ReviewMailDeps {
  db: Db;
  /** Unset: email is off (no SMTP_URL). */
  mail?: { mailer: Mailer; origin: string };
}

export function createReviewMailActivities({ db, mail }: ReviewMailDeps) {
  return {
    /**
     * Whom to tell of a pool request: its cohort's members but the candidate (membership as it is now). None
     * without email, or for a request that is not a pool's.
     */
    async poolMembersToMail(input: { requestId: string }): Promise<string[]> {
      if (!mail) return [];
      const request = await reviews.byId(db, input.requestId);
      if (!request?.cohortId) return [];
      return (await cohorts.memberIds(db, request.cohortId)).filter((id) => id !== request.ownerId);
    },

    async sendReviewMail(input: { requestId: string; event: MailedEvent }): Promise<'sent' | 'skipped'> {
      if (!mail) return 'skipped';
      const request = await reviews.byId(db, input.requestId);
      if (!request) return 'skipped'; // deleted with its session
      const to = recipientOf(input.event, request.ownerId);
      const emails = await reviews.emailsOf(db, [to, request.ownerId]);
      const address = emails.get(to);
      if (!address) return 'skipped'; // a link reviewer: no address to write to
      const counts = await reviews.reviewCounts(db, [request.id]);
      const notice = noticeOf(input.event, {
        requestId: request.id,
        origin: mail.origin,
        jobTitle: request.jobTitle,
        focus: request.focus,
        dueAt: request.dueAt,
        candidate: request.anonymous ? null : (emails.get(request.ownerId) ?? null),
        reviews: counts.get(request.id) ?? 0,
        wanted: request.state.wanted,
      });
      try {
        await mail.mailer.send({ to: address, ...notice });
      } catch (err) {
        reviewMailsSent.inc({ outcome: 'failed' });
        throw err;
      }
      reviewMailsSent.inc({ outcome: 'sent' });
      return 'sent';
    },
  };
}
