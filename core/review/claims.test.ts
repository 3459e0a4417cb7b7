import { describe, expect, it } from 'vitest';
import {
  CLAIM_HOLD_MS,
  advance,
  claim,
  invite,
  mayOpen,
  nextDeadline,
  openRequest,
  remind,
  remindersDue,
  submit,
  withdraw,
  type Audience,
  type ReviewRequest,
  type Transition,
} from './claims.js';

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2026, 11, 6, 9, 0, 0);
const at = (hours: number) => T0 + hours * HOUR;

/** The state a transition led to; fails the test with the refusal if it was refused. */
function accepted(t: Transition): ReviewRequest {
  if (!t.ok) throw new Error(`refused: ${JSON.stringify(t.refusal)}`);
  return t.state;
}

const refusalOf = (t: Transition) => (t.ok ? undefined : t.refusal);

const named = (...reviewerIds: string[]): Audience => ({ kind: 'named', reviewerIds });

function request(audience: Audience = named('ana', 'ben', 'cy'), wanted = 1, dueInDays = 7): ReviewRequest {
  return accepted(openRequest({ requestId: 'req-1', dueAt: T0 + dueInDays * DAY, wanted, audience }, T0));
}

describe('opening and inviting', () => {
  it('invites the named reviewers when the request opens', () => {
    const t = openRequest({ requestId: 'r', dueAt: at(48), wanted: 2, audience: named('ana', 'ben') }, T0);
    expect(t.ok && t.events).toEqual([
      { type: 'invited', reviewerId: 'ana', at: T0 },
      { type: 'invited', reviewerId: 'ben', at: T0 },
    ]);
    expect(t.ok && t.state).toMatchObject({ status: 'open', claims: [], submitted: [], createdAt: T0 });
  });

  it('refuses a request that wants no review or is already due', () => {
    const base = { requestId: 'r', audience: { kind: 'anyone' } as const };
    expect(refusalOf(openRequest({ ...base, dueAt: at(1), wanted: 0 }, T0))).toMatchObject({
      reason: 'invalid_request',
    });
    expect(refusalOf(openRequest({ ...base, dueAt: T0, wanted: 1 }, T0))).toMatchObject({
      reason: 'invalid_request',
    });
  });

  it('a reviewer invited later may claim; inviting twice or on an anyone-request is refused', () => {
    const s = request(named('ana'));
    expect(refusalOf(claim(s, 'dee', at(1)))).toEqual({ reason: 'not_invited' });
    const invited = accepted(invite(s, 'dee', at(1)));
    expect(claim(invited, 'dee', at(2)).ok).toBe(true);
    expect(refusalOf(invite(invited, 'dee', at(2)))).toEqual({ reason: 'already_invited' });
    expect(refusalOf(invite(request({ kind: 'anyone' }), 'dee', at(1)))).toEqual({
      reason: 'anyone_may_claim',
    });
  });

  it('anyone may claim a link or pool request', () => {
    expect(claim(request({ kind: 'anyone' }), 'link-visitor-1', at(1)).ok).toBe(true);
  });
});

describe('claiming', () => {
  it('holds the request for one reviewer for 24 hours, with the reminder due at half that', () => {
    const t = claim(request(), 'ana', at(3));
    expect(t.ok && t.events).toEqual([
      {
        type: 'claimed',
        reviewerId: 'ana',
        at: at(3),
        expiresAt: at(3) + CLAIM_HOLD_MS,
        reminderDueAt: at(3 + 12),
      },
    ]);
    expect(refusalOf(claim(accepted(t), 'ben', at(4)))).toEqual({
      reason: 'no_free_seat',
      nextFreeAt: at(27),
    });
    expect(refusalOf(claim(accepted(t), 'ana', at(4)))).toEqual({
      reason: 'already_claimed',
      expiresAt: at(27),
    });
  });

  it('near the due date the claim ends at the due date, and the reminder is halfway to it', () => {
    const s = request(named('ana'), 1, 1); // due at T0 + 24 h
    const t = claim(s, 'ana', at(14));
    expect(t.ok && t.events[0]).toMatchObject({ expiresAt: at(24), reminderDueAt: at(19) });
  });

  it('a request for several reviews gives each claimant a seat until all are held', () => {
    let s = request(named('ana', 'ben', 'cy'), 2);
    s = accepted(claim(s, 'ana', at(1)));
    s = accepted(claim(s, 'ben', at(2)));
    expect(refusalOf(claim(s, 'cy', at(3)))).toEqual({ reason: 'no_free_seat', nextFreeAt: at(25) });
  });

  it('a claim that runs out with nothing submitted is released and can be claimed again', () => {
    const held = accepted(claim(request(), 'ana', at(1)));
    // One moment before the hold ends it still blocks; at the end it is released.
    expect(refusalOf(claim(held, 'ben', at(25) - 1))).toMatchObject({ reason: 'no_free_seat' });
    const t = claim(held, 'ben', at(25));
    expect(t.ok && t.events).toEqual([
      { type: 'claim_released', reviewerId: 'ana', at: at(25) },
      { type: 'claimed', reviewerId: 'ben', at: at(25), expiresAt: at(49), reminderDueAt: at(37) },
    ]);
    // Ana's lapsed claim no longer lets her submit; she may claim again once Ben's lapses too.
    expect(refusalOf(submit(accepted(t), 'ana', at(26)))).toEqual({ reason: 'no_claim' });
    const again = claim(accepted(t), 'ana', at(49));
    expect(again.ok && again.events.map((e) => e.type)).toEqual(['claim_released', 'claimed']);
  });

  it('the same reviewer may claim again after their claim lapsed', () => {
    const lapsed = accepted(claim(request(), 'ana', at(1)));
    const t = claim(lapsed, 'ana', at(30));
    expect(t.ok && t.state.status === 'open' && t.state.claims).toEqual([
      { reviewerId: 'ana', claimedAt: at(30), expiresAt: at(54), reminder: { dueAt: at(42), sentAt: null } },
    ]);
  });
});

describe('reminders', () => {
  const held = accepted(claim(request(), 'ana', at(0)));

  it('are due at half the time left and sent once', () => {
    expect(remindersDue(held, at(12) - 1)).toEqual([]);
    expect(refusalOf(remind(held, 'ana', at(11)))).toEqual({ reason: 'reminder_not_due', dueAt: at(12) });
    expect(remindersDue(held, at(12))).toEqual(['ana']);
    const reminded = remind(held, 'ana', at(12));
    expect(reminded.ok && reminded.events).toEqual([{ type: 'reminded', reviewerId: 'ana', at: at(12) }]);
    expect(remindersDue(accepted(reminded), at(13))).toEqual([]);
    expect(refusalOf(remind(accepted(reminded), 'ana', at(13)))).toEqual({ reason: 'already_reminded' });
  });

  it('go only to someone holding a claim, and not after it lapsed', () => {
    expect(refusalOf(remind(held, 'ben', at(12)))).toEqual({ reason: 'no_claim' });
    expect(remindersDue(held, at(24))).toEqual([]);
    expect(refusalOf(remind(held, 'ana', at(24)))).toEqual({ reason: 'no_claim' });
  });
});

describe('submitting', () => {
  it('the claimant’s submission completes a one-review request and ends everyone else’s chance', () => {
    const held = accepted(claim(request(), 'ana', at(1)));
    const t = submit(held, 'ana', at(5));
    expect(t.ok && t.events).toEqual([
      { type: 'submitted', reviewerId: 'ana', at: at(5) },
      { type: 'completed', at: at(5) },
    ]);
    const done = accepted(t);
    expect(done).toMatchObject({ status: 'completed', endedAt: at(5), submitted: [{ reviewerId: 'ana' }] });
    expect('claims' in done).toBe(false);
    expect(refusalOf(claim(done, 'ben', at(6)))).toEqual({ reason: 'request_ended', status: 'completed' });
    expect(refusalOf(submit(done, 'ana', at(6)))).toEqual({ reason: 'request_ended', status: 'completed' });
  });

  it('with several reviews wanted, the request stays open until the last seat is filled', () => {
    let s = request(named('ana', 'ben', 'cy'), 2);
    s = accepted(claim(s, 'ana', at(1)));
    s = accepted(submit(s, 'ana', at(2)));
    expect(s.status).toBe('open');
    expect(refusalOf(claim(s, 'ana', at(3)))).toEqual({ reason: 'already_submitted' });
    expect(refusalOf(submit(s, 'ana', at(3)))).toEqual({ reason: 'already_submitted' });
    s = accepted(claim(s, 'ben', at(3)));
    expect(refusalOf(claim(s, 'cy', at(4)))).toMatchObject({ reason: 'no_free_seat' });
    s = accepted(submit(s, 'ben', at(4)));
    expect(s.status).toBe('completed');
    expect(s.submitted.map((x) => x.reviewerId)).toEqual(['ana', 'ben']);
  });

  it('needs a claim first', () => {
    expect(refusalOf(submit(request(), 'ana', at(1)))).toEqual({ reason: 'no_claim' });
  });
});

describe('expiry', () => {
  it('at the due date the request expires, releasing any claim and keeping the submitted reviews', () => {
    let s = request(named('ana', 'ben'), 2, 1);
    s = accepted(claim(s, 'ana', at(1)));
    s = accepted(submit(s, 'ana', at(2)));
    s = accepted(claim(s, 'ben', at(10)));
    expect(advance(s, at(24) - 1).events).toEqual([]);
    const { state, events } = advance(s, at(24));
    expect(events).toEqual([
      { type: 'claim_released', reviewerId: 'ben', at: at(24) },
      { type: 'expired', at: at(24) },
    ]);
    expect(state).toMatchObject({ status: 'expired', endedAt: at(24), submitted: [{ reviewerId: 'ana' }] });
    expect(refusalOf(submit(s, 'ben', at(25)))).toEqual({ reason: 'request_ended', status: 'expired' });
    expect(mayOpen(s, 'ana', at(25))).toBe(true);
    expect(mayOpen(s, 'ben', at(25))).toBe(false);
  });

  it('leaves an ended request as it is', () => {
    const expired = advance(request(named('ana'), 1, 1), at(30)).state;
    expect(advance(expired, at(60))).toEqual({ state: expired, events: [] });
  });
});

describe('withdrawal', () => {
  it('removes everyone’s access at once, the claimant’s and the submitters’ too', () => {
    let s = request(named('ana', 'ben', 'cy'), 2);
    s = accepted(claim(s, 'ana', at(1)));
    s = accepted(submit(s, 'ana', at(2)));
    s = accepted(claim(s, 'ben', at(3)));
    expect(['ana', 'ben', 'cy'].map((r) => mayOpen(s, r, at(4)))).toEqual([true, true, true]);
    const t = withdraw(s, at(4));
    expect(t.ok && t.events).toEqual([{ type: 'withdrawn', at: at(4) }]);
    const gone = accepted(t);
    expect(['ana', 'ben', 'cy'].map((r) => mayOpen(gone, r, at(4)))).toEqual([false, false, false]);
    expect(refusalOf(submit(gone, 'ben', at(4)))).toEqual({ reason: 'request_ended', status: 'withdrawn' });
    expect(refusalOf(withdraw(gone, at(5)))).toEqual({ reason: 'request_ended', status: 'withdrawn' });
  });

  it('cannot undo a completed review', () => {
    const done = accepted(submit(accepted(claim(request(), 'ana', at(1))), 'ana', at(2)));
    expect(refusalOf(withdraw(done, at(3)))).toEqual({ reason: 'request_ended', status: 'completed' });
  });
});

describe('access and wake-ups', () => {
  it('while open, only invited reviewers of a named request may open it', () => {
    const s = request(named('ana'));
    expect(mayOpen(s, 'ana', at(1))).toBe(true);
    expect(mayOpen(s, 'mallory', at(1))).toBe(false);
  });

  it('the next deadline is the earliest of a reminder, a claim running out and the due date', () => {
    const s = request(named('ana', 'ben'), 2, 7);
    expect(nextDeadline(s)).toBe(T0 + 7 * DAY);
    const held = accepted(claim(s, 'ana', at(0)));
    expect(nextDeadline(held)).toBe(at(12));
    const reminded = accepted(remind(held, 'ana', at(12)));
    expect(nextDeadline(reminded)).toBe(at(24));
    expect(nextDeadline(advance(reminded, T0 + 7 * DAY).state)).toBeNull();
  });

  it('a state survives a JSON round trip unchanged, as it must through Temporal payloads', () => {
    const s = accepted(claim(request(), 'ana', at(1)));
    expect(JSON.parse(JSON.stringify(s))).toEqual(s);
  });
});
