// The frozen snapshot of a review request: the chosen answers of a session as they stood when the candidate
// asked, with the coach's feedback of that moment. Later retries or a re-coached answer change nothing here.
import { splitClauses } from '../text/sentences.js';
import type { Feedback } from '../types.js';

/**
 * The job as the coach's eval corpus describes one (core/review/export.ts): its role family (null when the
 * job points at none) and 3–6 requirement sentences from its description (fewer: none to export with).
 */
export interface JobProfile {
  role: string | null;
  requirements: string[];
}

/** Requirement-like clauses of a job description: at least three words each, the first six. */
export function requirementsOf(description: string): string[] {
  return splitClauses(description)
    .filter((c) => c.split(/\s+/).length >= 3)
    .slice(0, 6);
}

export interface ReviewSnapshotAnswer {
  /** The turn's id. */
  answerId: string;
  round: number;
  question: string;
  answer: string;
  /** The recording in the blob store, for a spoken answer; never shown to anyone, only whether there is one. */
  audioKey: string | null;
  /** The coach's feedback; reviewers see it only after they submit. */
  feedback: Feedback | null;
}

export interface SnapshotTurn {
  id: string;
  round: number;
  question: string;
  answer: string | null;
  feedback: Feedback | null;
  audioKey: string | null;
}

export type SnapshotResult =
  | { ok: true; answers: ReviewSnapshotAnswer[] }
  | { ok: false; reason: 'no_answers' | 'unknown_turn' | 'uncoached_turn'; turnId?: string };

const coached = (t: SnapshotTurn) => t.answer !== null && t.answer !== '' && t.feedback !== null;

/**
 * The coached answers of a session (all of them, or those `turnIds` names, in the session's order): a review
 * sits beside the coach's feedback, so an answer still waiting for it cannot be sent. A turn named but not
 * coached is refused rather than dropped: the candidate would think it was sent.
 */
export function snapshotOf(turns: readonly SnapshotTurn[], turnIds?: readonly string[]): SnapshotResult {
  if (turnIds) {
    for (const id of turnIds) {
      const t = turns.find((x) => x.id === id);
      if (!t) return { ok: false, reason: 'unknown_turn', turnId: id };
      if (!coached(t)) return { ok: false, reason: 'uncoached_turn', turnId: id };
    }
  }
  const chosen = turns.filter((t) => coached(t) && (!turnIds || turnIds.includes(t.id)));
  if (!chosen.length) return { ok: false, reason: 'no_answers' };
  return {
    ok: true,
    answers: chosen.map((t) => ({
      answerId: t.id,
      round: t.round,
      question: t.question,
      answer: t.answer!,
      audioKey: t.audioKey,
      feedback: t.feedback,
    })),
  };
}
