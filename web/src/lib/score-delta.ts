// Score changes between a retried answer and the earlier attempt it retries (pure, no Svelte).
import { SCORE_DIMENSIONS, type Feedback, type MeanScores, type ScoreDimension } from './api';

/** A score as the UI shows it: a whole number from 0 to 5. */
export function shownScore(value: number | undefined): number {
  const n = typeof value === 'number' && Number.isFinite(value) ? value : 0;
  return Math.max(0, Math.min(5, Math.round(n)));
}

export type ScoreDeltas = Record<ScoreDimension, number>;

/** Per dimension, the shown score now minus the shown score before. */
export function scoreDeltas(current: Partial<MeanScores>, previous: Partial<MeanScores>): ScoreDeltas {
  const out = {} as ScoreDeltas;
  for (const key of SCORE_DIMENSIONS) out[key] = shownScore(current[key]) - shownScore(previous[key]);
  return out;
}

/** `+2`, `-1`, `0`. */
export function formatDelta(delta: number): string {
  return delta > 0 ? `+${delta}` : String(delta);
}

export function deltaDirection(delta: number): 'up' | 'down' | 'same' {
  return delta > 0 ? 'up' : delta < 0 ? 'down' : 'same';
}

interface TurnLike {
  id: string;
  retryOf?: string;
  probeOf?: string;
  feedback?: Feedback;
}

/**
 * The feedback a retry is compared with: that of the turn named by `retryOf`. Should `retryOf`
 * name a follow-up probe (which carries no feedback of its own), the probed turn's feedback is used.
 * Undefined when the turn is not a retry or the earlier attempt has no feedback.
 */
export function previousFeedback(turns: readonly TurnLike[], turn: TurnLike): Feedback | undefined {
  if (!turn.retryOf) return undefined;
  let earlier = turns.find((t) => t.id === turn.retryOf);
  if (earlier && !earlier.feedback && earlier.probeOf) {
    const probed = earlier.probeOf;
    earlier = turns.find((t) => t.id === probed);
  }
  return earlier?.feedback;
}

/** The deltas to show on a turn's feedback, or undefined when there is nothing to compare. */
export function retryDeltas(turns: readonly TurnLike[], turn: TurnLike): ScoreDeltas | undefined {
  const before = previousFeedback(turns, turn);
  if (!turn.feedback || !before) return undefined;
  return scoreDeltas(turn.feedback.scores, before.scores);
}
