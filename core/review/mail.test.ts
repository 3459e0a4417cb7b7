// What each review notice says and whom it goes to (core/review/mail.ts); the sending itself is tested
// through a real SMTP server in tests/api/review-mail.test.ts.
import { describe, expect, it } from 'vitest';
import type { ClaimEvent } from './claims.js';
import { mailed, noticeOf, recipientOf, type NoticeContext } from './mail.js';

const context: NoticeContext = {
  requestId: 'req-1',
  origin: 'https://coach.example.com',
  jobTitle: 'Product Lead',
  focus: 'Is my result convincing?',
  dueAt: new Date('2026-12-24T12:00:00Z'),
  candidate: 'ana@example.com',
  reviews: 1,
  wanted: 2,
};

describe('review notices by email', () => {
  it('mail only the steps that concern someone: invited, reminded, a review arrived, expired', () => {
    const steps: ClaimEvent[] = [
      { type: 'invited', reviewerId: 'r', at: 1 },
      { type: 'claimed', reviewerId: 'r', at: 1, expiresAt: 2, reminderDueAt: 1 },
      { type: 'reminded', reviewerId: 'r', at: 1 },
      { type: 'claim_released', reviewerId: 'r', at: 1 },
      { type: 'submitted', reviewerId: 'r', at: 1 },
      { type: 'completed', at: 1 },
      { type: 'expired', at: 1 },
      { type: 'withdrawn', at: 1 },
    ];
    expect(steps.filter(mailed).map((e) => e.type)).toEqual(['invited', 'reminded', 'submitted', 'expired']);
  });

  it('send invitations and reminders to the reviewer, the rest to the candidate', () => {
    expect(recipientOf({ type: 'invited', reviewerId: 'r', at: 1 }, 'owner')).toBe('r');
    expect(recipientOf({ type: 'reminded', reviewerId: 'r', at: 1 }, 'owner')).toBe('r');
    expect(recipientOf({ type: 'submitted', reviewerId: 'r', at: 1 }, 'owner')).toBe('owner');
    expect(recipientOf({ type: 'expired', at: 1 }, 'owner')).toBe('owner');
  });

  it("link the reviewer to the review page and the candidate to the request's page", () => {
    const invited = noticeOf({ type: 'invited', reviewerId: 'r', at: 1 }, context);
    expect(invited.text).toContain('https://coach.example.com/reviews/req-1/review');
    expect(invited.text).toContain('ana@example.com asks you');
    expect(invited.text).toContain('due 2026-12-24');
    const reminded = noticeOf({ type: 'reminded', reviewerId: 'r', at: 2 }, context);
    expect(reminded.subject).toMatch(/^Reminder/);
    expect(reminded.text).toContain('https://coach.example.com/reviews/req-1/review');
    const expired = noticeOf({ type: 'expired', at: 3 }, context);
    expect(expired.subject).toMatch(/expired/);
    expect(expired.text).toContain('1 of 2 review(s)');
    expect(expired.text).toContain('https://coach.example.com/reviews/req-1\n');
  });

  it("invite a pool's member to the reviews page, where the pool's requests are listed", () => {
    const pooled = { type: 'pool_invited', reviewerId: 'm', at: 1 } as const;
    expect(recipientOf(pooled, 'owner')).toBe('m');
    const notice = noticeOf(pooled, { ...context, candidate: null });
    expect(notice.subject).toMatch(/^Review request in your cohort/);
    expect(notice.text).toContain('https://coach.example.com/reviews\n');
    expect(notice.text).not.toContain('req-1');
    expect(notice.text).toContain('A candidate in your cohort asks');
    expect(notice.messageId).not.toBe(noticeOf({ ...pooled, reviewerId: 'n' }, context).messageId);
  });

  it("keep the candidate's name out of an anonymous request's invitation", () => {
    const invited = noticeOf({ type: 'invited', reviewerId: 'r', at: 1 }, { ...context, candidate: null });
    expect(invited.text).toContain('A candidate asks you');
    expect(invited.text).not.toContain('ana@example.com');
  });

  it('give each step its own message id, the same when sent again', () => {
    const a = noticeOf({ type: 'submitted', reviewerId: 'guest:abc', at: 5 }, context);
    expect(noticeOf({ type: 'submitted', reviewerId: 'guest:abc', at: 5 }, context).messageId).toBe(
      a.messageId,
    );
    expect(noticeOf({ type: 'submitted', reviewerId: 'guest:abc', at: 6 }, context).messageId).not.toBe(
      a.messageId,
    );
    expect(a.messageId).toMatch(/^<[^<>\s]+@interview-helper>$/);
  });
});
