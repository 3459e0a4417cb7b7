// The claim rules of one review request, as a pure state machine for the review workflow to hold:
//
//   open ──claim──▶ a seat is held for 24 h (or until the request is due) by one reviewer
//     │              ├─ reminder due halfway through the time the claim has left
//     │              ├─ submit ─▶ the seat is filled; the last seat filled completes the request
//     │              └─ time runs out with nothing submitted ─▶ the seat is free to claim again
//     ├─ due date passes ─▶ expired (submitted reviews stay)
//     └─ candidate withdraws ─▶ withdrawn (nobody may open it any more, at once)
//
// A request wants one or more reviews (`wanted`); each claim holds one seat. Time is an argument: every
// transition first applies what the clock has done (`advance`), so a lapsed claim never blocks anyone, and
// `nextDeadline` tells the workflow when to wake. Times are epoch milliseconds, not Dates, because the state
// travels through Temporal payloads as JSON, where a Date would come back as a string.

export const CLAIM_HOLD_MS = 24 * 60 * 60 * 1000;

/** Who may claim: named reviewers (accounts of this instance), or anyone who reaches it (a share link, a pool). */
export type Audience = { kind: 'named'; reviewerIds: readonly string[] } | { kind: 'anyone' };

export interface Claim {
  reviewerId: string;
  claimedAt: number;
  expiresAt: number;
  reminder: { dueAt: number; sentAt: number | null };
}

export interface Submission {
  reviewerId: string;
  submittedAt: number;
}

interface RequestBase {
  requestId: string;
  createdAt: number;
  dueAt: number;
  /** How many reviews the candidate asked for (≥ 1). */
  wanted: number;
  audience: Audience;
  submitted: readonly Submission[];
}

/** Only an open request holds claims: an ended one cannot have a reviewer still holding a seat. */
export interface OpenRequest extends RequestBase {
  status: 'open';
  claims: readonly Claim[];
}

export interface EndedRequest extends RequestBase {
  status: 'completed' | 'expired' | 'withdrawn';
  endedAt: number;
}

export type ReviewRequest = OpenRequest | EndedRequest;

/** What happened, for the request's event stream and metrics (expired claims are `claim_released`). */
export type ClaimEvent =
  | { type: 'invited'; reviewerId: string; at: number }
  | { type: 'claimed'; reviewerId: string; at: number; expiresAt: number; reminderDueAt: number }
  | { type: 'reminded'; reviewerId: string; at: number }
  | { type: 'claim_released'; reviewerId: string; at: number }
  | { type: 'submitted'; reviewerId: string; at: number }
  | { type: 'completed'; at: number }
  | { type: 'expired'; at: number }
  | { type: 'withdrawn'; at: number };

export type Refusal =
  | { reason: 'invalid_request'; detail: string }
  | { reason: 'request_ended'; status: EndedRequest['status'] }
  | { reason: 'not_invited' }
  | { reason: 'anyone_may_claim' }
  | { reason: 'already_invited' }
  | { reason: 'already_claimed'; expiresAt: number }
  | { reason: 'already_submitted' }
  | { reason: 'no_free_seat'; nextFreeAt: number }
  | { reason: 'no_claim' }
  | { reason: 'reminder_not_due'; dueAt: number }
  | { reason: 'already_reminded' };

export type Transition =
  { ok: true; state: ReviewRequest; events: ClaimEvent[] } | { ok: false; refusal: Refusal };

const refuse = (refusal: Refusal): Transition => ({ ok: false, refusal });

/** Halfway through the time left from `from` until `until`. */
export const reminderTime = (from: number, until: number): number => from + Math.floor((until - from) / 2);

export interface NewRequest {
  requestId: string;
  dueAt: number;
  wanted: number;
  audience: Audience;
}

export function openRequest(input: NewRequest, now: number): Transition {
  if (!Number.isInteger(input.wanted) || input.wanted < 1) {
    return refuse({ reason: 'invalid_request', detail: 'a request wants at least one review' });
  }
  if (input.dueAt <= now) return refuse({ reason: 'invalid_request', detail: 'the due date has passed' });
  const state: OpenRequest = { ...input, status: 'open', createdAt: now, submitted: [], claims: [] };
  const invited = input.audience.kind === 'named' ? input.audience.reviewerIds : [];
  return { ok: true, state, events: invited.map((reviewerId) => ({ type: 'invited', reviewerId, at: now })) };
}

/**
 * What the clock has done by `now`: claims that ran out with nothing submitted are released, and a request
 * past its due date expires. Never refuses; an ended request is left as it is.
 */
export function advance(state: ReviewRequest, now: number): { state: ReviewRequest; events: ClaimEvent[] } {
  if (state.status !== 'open') return { state, events: [] };
  const lapsed = state.claims.filter((c) => c.expiresAt <= now);
  const events: ClaimEvent[] = lapsed.map((c) => ({
    type: 'claim_released',
    reviewerId: c.reviewerId,
    at: c.expiresAt,
  }));
  const claims = state.claims.filter((c) => c.expiresAt > now);
  if (now >= state.dueAt) {
    const { claims: _ended, ...rest } = state;
    events.push({ type: 'expired', at: state.dueAt });
    return { state: { ...rest, status: 'expired', endedAt: state.dueAt }, events };
  }
  return { state: lapsed.length ? { ...state, claims } : state, events };
}

/** The next moment the clock changes something (a claim lapses, a reminder falls due, the due date); null once ended. */
export function nextDeadline(state: ReviewRequest): number | null {
  if (state.status !== 'open') return null;
  const times = state.claims.flatMap((c) => [
    c.expiresAt,
    ...(c.reminder.sentAt === null ? [c.reminder.dueAt] : []),
  ]);
  return Math.min(state.dueAt, ...times);
}

/** Applies the clock, then `step` to the open request it leaves (or refuses, if the request has ended). */
function onOpen(state: ReviewRequest, now: number, step: (open: OpenRequest) => Transition): Transition {
  const advanced = advance(state, now);
  if (advanced.state.status !== 'open')
    return refuse({ reason: 'request_ended', status: advanced.state.status });
  const result = step(advanced.state);
  return result.ok ? { ...result, events: [...advanced.events, ...result.events] } : result;
}

const mayClaim = (audience: Audience, reviewerId: string) =>
  audience.kind === 'anyone' || audience.reviewerIds.includes(reviewerId);

/** Adds a named reviewer to a request for named reviewers. */
export const invite = (state: ReviewRequest, reviewerId: string, now: number): Transition =>
  onOpen(state, now, (open) => {
    if (open.audience.kind === 'anyone') return refuse({ reason: 'anyone_may_claim' });
    if (open.audience.reviewerIds.includes(reviewerId)) return refuse({ reason: 'already_invited' });
    return {
      ok: true,
      state: {
        ...open,
        audience: { kind: 'named', reviewerIds: [...open.audience.reviewerIds, reviewerId] },
      },
      events: [{ type: 'invited', reviewerId, at: now }],
    };
  });

/**
 * Holds a seat for `reviewerId` for 24 h (`holdMs`: tests and small deployments may shorten it), or until
 * the request is due if that comes first.
 */
export const claim = (
  state: ReviewRequest,
  reviewerId: string,
  now: number,
  holdMs: number = CLAIM_HOLD_MS,
): Transition =>
  onOpen(state, now, (open) => {
    if (!mayClaim(open.audience, reviewerId)) return refuse({ reason: 'not_invited' });
    if (open.submitted.some((s) => s.reviewerId === reviewerId))
      return refuse({ reason: 'already_submitted' });
    const held = open.claims.find((c) => c.reviewerId === reviewerId);
    if (held) return refuse({ reason: 'already_claimed', expiresAt: held.expiresAt });
    if (open.submitted.length + open.claims.length >= open.wanted) {
      return refuse({ reason: 'no_free_seat', nextFreeAt: Math.min(...open.claims.map((c) => c.expiresAt)) });
    }
    const expiresAt = Math.min(now + holdMs, open.dueAt);
    const reminderDueAt = reminderTime(now, expiresAt);
    const c: Claim = {
      reviewerId,
      claimedAt: now,
      expiresAt,
      reminder: { dueAt: reminderDueAt, sentAt: null },
    };
    return {
      ok: true,
      state: { ...open, claims: [...open.claims, c] },
      events: [{ type: 'claimed', reviewerId, at: now, expiresAt, reminderDueAt }],
    };
  });

/** The reviewers whose reminder is due at `now` and not yet sent (after applying the clock). */
export function remindersDue(state: ReviewRequest, now: number): string[] {
  const advanced = advance(state, now).state;
  if (advanced.status !== 'open') return [];
  return advanced.claims
    .filter((c) => c.reminder.sentAt === null && c.reminder.dueAt <= now)
    .map((c) => c.reviewerId);
}

/** Records that the claimant was reminded; once per claim, and not before it is due. */
export const remind = (state: ReviewRequest, reviewerId: string, now: number): Transition =>
  onOpen(state, now, (open) => {
    const held = open.claims.find((c) => c.reviewerId === reviewerId);
    if (!held) return refuse({ reason: 'no_claim' });
    if (held.reminder.sentAt !== null) return refuse({ reason: 'already_reminded' });
    if (now < held.reminder.dueAt) return refuse({ reason: 'reminder_not_due', dueAt: held.reminder.dueAt });
    const reminded: Claim = { ...held, reminder: { ...held.reminder, sentAt: now } };
    return {
      ok: true,
      state: { ...open, claims: open.claims.map((c) => (c === held ? reminded : c)) },
      events: [{ type: 'reminded', reviewerId, at: now }],
    };
  });

/** Fills the claimant's seat; filling the last seat completes the request. Only while the claim holds. */
export const submit = (state: ReviewRequest, reviewerId: string, now: number): Transition =>
  onOpen(state, now, (open) => {
    if (!open.claims.some((c) => c.reviewerId === reviewerId)) {
      return refuse(
        open.submitted.some((s) => s.reviewerId === reviewerId)
          ? { reason: 'already_submitted' }
          : { reason: 'no_claim' },
      );
    }
    const submitted = [...open.submitted, { reviewerId, submittedAt: now }];
    const claims = open.claims.filter((c) => c.reviewerId !== reviewerId);
    const events: ClaimEvent[] = [{ type: 'submitted', reviewerId, at: now }];
    if (submitted.length < open.wanted) return { ok: true, state: { ...open, submitted, claims }, events };
    const { claims: _none, ...rest } = open;
    events.push({ type: 'completed', at: now });
    return { ok: true, state: { ...rest, submitted, status: 'completed', endedAt: now }, events };
  });

/** The candidate takes the request back: every claim ends and nobody may open it from `now` on. */
export const withdraw = (state: ReviewRequest, now: number): Transition =>
  onOpen(state, now, (open) => {
    const { claims: _dropped, ...rest } = open;
    return {
      ok: true,
      state: { ...rest, status: 'withdrawn', endedAt: now },
      events: [{ type: 'withdrawn', at: now }],
    };
  });

/**
 * Whether `reviewerId` may open the request's snapshot at `now`: while open, anyone who may claim it (and
 * whoever already submitted); once completed or expired, only those who submitted (to see where they differ
 * from the coach); once withdrawn, nobody.
 */
export function mayOpen(state: ReviewRequest, reviewerId: string, now: number): boolean {
  const s = advance(state, now).state;
  if (s.status === 'withdrawn') return false;
  if (s.submitted.some((x) => x.reviewerId === reviewerId)) return true;
  return s.status === 'open' && mayClaim(s.audience, reviewerId);
}
