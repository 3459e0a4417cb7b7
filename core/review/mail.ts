// The review workflow's email notices (SMTP_URL): which steps mail whom, and what the mail says. Pure, so the
// workflow can ask `mailed` which steps to hand to the mail activity (deterministic code), and the activity
// only looks up addresses and sends. The pages and the request's stream say the same things in the app.
import type { ClaimEvent } from './claims.js';

/** The steps that mail someone: a named reviewer invited or reminded; the candidate, when a review arrives or the request expires. */
export type MailedStep = Extract<ClaimEvent, { type: 'invited' | 'reminded' | 'submitted' | 'expired' }>;

export const mailed = (e: ClaimEvent): e is MailedStep =>
  e.type === 'invited' || e.type === 'reminded' || e.type === 'submitted' || e.type === 'expired';

/**
 * A member of the cohort whose pool a request went to (not its candidate) is told it is there. Not a step of
 * the claims state machine (the pool is anyone's to claim): the workflow sends one per member when it opens.
 */
export interface PoolInvitation {
  type: 'pool_invited';
  reviewerId: string;
  at: number;
}

/** What the mail activity sends: a step's notice, or a pool's invitation. */
export type MailedEvent = MailedStep | PoolInvitation;

/** Who a notice goes to: the reviewer the step names, or the candidate. */
export const recipientOf = (e: MailedEvent, ownerId: string): string =>
  e.type === 'invited' || e.type === 'reminded' || e.type === 'pool_invited' ? e.reviewerId : ownerId;

export interface NoticeContext {
  requestId: string;
  /** The origin the app is reached at (PUBLIC_ORIGIN), without a trailing slash. */
  origin: string;
  jobTitle: string;
  focus: string;
  dueAt: Date;
  /** The candidate's email, or null when the request hides names. */
  candidate: string | null;
  /** Reviews submitted so far, and how many were wanted. */
  reviews: number;
  wanted: number;
}

export interface Notice {
  subject: string;
  text: string;
  /** Same step, same id: a resent notice is recognisably the same message. */
  messageId: string;
}

const day = (d: Date) => d.toISOString().slice(0, 10);

export function noticeOf(e: MailedEvent, c: NoticeContext): Notice {
  const reviewLink = `${c.origin}/reviews/${c.requestId}/review`;
  const requestLink = `${c.origin}/reviews/${c.requestId}`;
  const reviewsLink = `${c.origin}/reviews`;
  const focus = c.focus ? `They would like you to look at: ${c.focus}\n\n` : '';
  const who = c.candidate ?? 'A candidate';
  const messageId = `<review-${c.requestId}-${e.type}-${'reviewerId' in e ? e.reviewerId.replace(/[^\w.-]/g, '') : ''}-${e.at}@interview-helper>`;
  switch (e.type) {
    case 'invited':
      return {
        messageId,
        subject: `Review request: a practice interview for ${c.jobTitle}`,
        text:
          `${who} asks you to review their practice interview for ${c.jobTitle}, due ${day(c.dueAt)}.\n\n` +
          `${focus}Open it here (choose "Start reviewing" to hold a seat for 24 hours):\n${reviewLink}\n`,
      };
    case 'pool_invited':
      // To the list, not the request: the pool's requests are listed there (and the first to claim a seat
      // holds it, so this one may be taken by the time the mail is read).
      return {
        messageId,
        subject: `Review request in your cohort: a practice interview for ${c.jobTitle}`,
        text:
          `${who} in your cohort asks for a review of their practice interview for ${c.jobTitle}, due ` +
          `${day(c.dueAt)}.\n\n${focus}Find it under "Open in my cohorts" on your reviews page:\n${reviewsLink}\n`,
      };
    case 'reminded':
      return {
        messageId,
        subject: `Reminder: your review of a practice interview for ${c.jobTitle}`,
        text:
          `You started reviewing a practice interview for ${c.jobTitle}. Half of your time has passed; ` +
          `submit your review before your seat is released:\n${reviewLink}\n`,
      };
    case 'submitted':
      return {
        messageId,
        subject: `A review arrived: your practice interview for ${c.jobTitle}`,
        text:
          `A reviewer submitted their review (${c.reviews} of ${c.wanted}). Read it beside the coach's feedback:\n` +
          `${requestLink}\n`,
      };
    case 'expired':
      return {
        messageId,
        subject: `Your review request expired: ${c.jobTitle}`,
        text:
          `Your review request for ${c.jobTitle} reached its due date with ${c.reviews} of ${c.wanted} review(s). ` +
          `What arrived stays on its page; ask again from the session for more:\n${requestLink}\n`,
      };
  }
}
