// The critique's opening sentence: a short verdict, built from the scores the assess node has already
// computed, so the offline coach can send it (and the voice can speak it) the moment the critique starts.
// Short on purpose: speech begins with the first sentence, and a short one is synthesised and heard sooner.
import { SCORE_DIMENSIONS, type ScoreDimension } from '../../core/types.js';
import type { Assessment } from '../rubric.js';
import { weakestDimension } from './drill.js';

/** What a dimension is called when the answer is strong on it. */
const STRENGTH: Record<ScoreDimension, string> = {
  star: 'structure',
  clarity: 'clarity',
  impact: 'impact',
  conciseness: 'length',
  relevance: 'relevance',
};

/** The one thing to do about a weak dimension, in a few words. */
function fix(d: ScoreDimension, a: Assessment): string {
  switch (d) {
    case 'star':
      return 'tell it from situation to result';
    case 'clarity':
      return 'say it in shorter, plainer sentences';
    case 'impact':
      return 'put a number on the result';
    case 'conciseness':
      return a.metrics.words < 70 ? 'give more of the story' : 'cut it to the essentials';
    case 'relevance':
      return 'tie it to what this role asks for';
  }
}

/**
 * One sentence of at most 14 words: the strongest point, the one thing to fix (the dimension the drill
 * trains), or both. Ties go to the dimension listed first in SCORE_DIMENSIONS.
 */
export function verdictOf(a: Assessment): string {
  const strongest = [...SCORE_DIMENSIONS].sort((x, y) => a.scores[y] - a.scores[x])[0]!;
  const weakest = weakestDimension(a);
  if (a.scores[weakest] >= 4) return `A strong answer, best on ${STRENGTH[strongest]}.`;
  if (a.scores[strongest] >= 4)
    return `Strong on ${STRENGTH[strongest]}; one thing to fix: ${fix(weakest, a)}.`;
  return `One thing to fix first: ${fix(weakest, a)}.`;
}
