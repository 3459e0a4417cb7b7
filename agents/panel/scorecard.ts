// Each panelist judges alone: their scorecard is built from the coach's per-turn judgement of the turns on
// the competencies they weigh, scored on their own dimensions only, with quotes from the answers as
// evidence and a lean derived from the weighted mean. Nobody sees another panelist's scorecard here; the
// debrief (./debrief.ts) is where they meet.
import {
  clampScore,
  LEAN_NAMES,
  LEANS,
  SCORE_DIMENSIONS,
  type Score,
  type ScoreDimension,
} from '../../core/types.js';
import { splitSentences } from '../../core/text/index.js';
import type { Panelist } from './template.js';

export { LEAN_NAMES, LEANS };
export type Lean = (typeof LEANS)[number];

export const leansHire = (lean: Lean): boolean => lean === 'hire' || lean === 'strong_hire';

/**
 * Lean thresholds on the weighted mean (1–5), read against the labelling guide's anchors
 * (docs/labelling-guide.md): 4 is a complete answer with one thin part, 3 one with a clear gap. A hire
 * needs answers nearer 4 than 3 on average (≥ 3.5); a strong hire mostly 4s and 5s (≥ 4.25); below 2.5
 * the answers were mostly general claims or fragments (the director's vague mark), a strong no hire.
 */
export const LEAN_THRESHOLDS = { strong_hire: 4.25, hire: 3.5, no_hire: 2.5 } as const;

export function leanOf(weightedMean: number): Lean {
  if (weightedMean >= LEAN_THRESHOLDS.strong_hire) return 'strong_hire';
  if (weightedMean >= LEAN_THRESHOLDS.hire) return 'hire';
  if (weightedMean >= LEAN_THRESHOLDS.no_hire) return 'no_hire';
  return 'strong_no_hire';
}

/** One answer as the coach judged it, and where it sits in the interview. */
export interface JudgedTurn {
  turnId: string;
  /** The panelist who asked the question. */
  askedBy: string;
  /** The competency the question probed (the director's choice). */
  competency: string;
  /** When the answer began, in seconds from the start of the interview: where a drill links to. */
  atSec: number;
  answer: string;
  scores: Record<ScoreDimension, number>;
}

/** A moment of the interview that backs a score. */
export interface Evidence {
  turnId: string;
  atSec: number;
  dimension: ScoreDimension;
  /** The turn's score on the dimension. */
  score: number;
  /** A short sentence of the answer, verbatim ('' when the answer had no words). */
  quote: string;
}

export interface Scorecard {
  panelistId: string;
  /** One score for each dimension the panelist weighs. */
  scores: Partial<Record<ScoreDimension, Score>>;
  /** For each dimension, the turn that scored lowest on it and the one that scored highest. */
  evidence: Evidence[];
  /** The turns' mean score on the panelist's dimensions, weighted by the competency each turn probed. */
  weightedMean: number;
  lean: Lean;
}

/** A quote is a sentence a listener takes in at once; a longer one is cut and marked. */
export const MAX_QUOTE_WORDS = 25;

/** The sentence of the answer that best backs a score: short, and for impact one with a number in it. */
export function evidenceQuote(answer: string, dimension: ScoreDimension): string {
  const sentences = splitSentences(answer);
  const words = (s: string) => s.split(/\s+/).filter(Boolean);
  const short = sentences.filter((s) => words(s).length <= MAX_QUOTE_WORDS);
  const measured = dimension === 'impact' ? short.find((s) => /\d/.test(s)) : undefined;
  const chosen = measured ?? short[0];
  if (chosen) return chosen;
  const first = sentences[0];
  return first ? `${words(first).slice(0, MAX_QUOTE_WORDS).join(' ')}…` : '';
}

/**
 * The panelist's scorecard from the turns on the competencies they weigh (their own questions count even
 * off their list, at weight 1), or null when no such turn was asked: a panelist who never got the floor
 * has nothing to judge.
 */
export function scorecardFor(panelist: Panelist, turns: readonly JudgedTurn[]): Scorecard | null {
  const weightOf = (t: JudgedTurn) =>
    panelist.competencies.find((c) => c.competency === t.competency)?.weight ??
    (t.askedBy === panelist.id ? 1 : 0);
  const weighed = turns.map((t) => ({ t, w: weightOf(t) })).filter(({ w }) => w > 0);
  if (weighed.length === 0) return null;
  const total = weighed.reduce((s, { w }) => s + w, 0);
  const dimensions = SCORE_DIMENSIONS.filter((d) => panelist.dimensions.includes(d));

  const means = dimensions.map((d) => weighed.reduce((s, { t, w }) => s + w * t.scores[d], 0) / total);
  const weightedMean = means.reduce((s, m) => s + m, 0) / means.length;

  const evidence = dimensions.flatMap((d) => {
    // Among equal scores the earlier turn is the evidence.
    const ts = weighed.map(({ t }) => t);
    const lowest = ts.reduce((a, b) => (b.scores[d] < a.scores[d] ? b : a));
    const highest = ts.reduce((a, b) => (b.scores[d] > a.scores[d] ? b : a));
    const ends = highest.scores[d] === lowest.scores[d] ? [lowest] : [lowest, highest];
    return ends.map((t) => ({
      turnId: t.turnId,
      atSec: t.atSec,
      dimension: d,
      score: t.scores[d],
      quote: evidenceQuote(t.answer, d),
    }));
  });

  return {
    panelistId: panelist.id,
    scores: Object.fromEntries(dimensions.map((d, i) => [d, clampScore(means[i]!)])),
    evidence,
    weightedMean,
    lean: leanOf(weightedMean),
  };
}
