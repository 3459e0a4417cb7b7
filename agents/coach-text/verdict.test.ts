import { describe, expect, it } from 'vitest';
import { assess, type Assessment } from '../rubric.js';
import { SCORE_DIMENSIONS } from '../../core/types.js';
import { splitSentences } from '../../core/text/index.js';
import { composeCritique } from '../nodes/critique.js';
import { verdictOf } from './verdict.js';

const ANSWERS = [
  'At CityRide our booking flow lost riders at the payment step. My goal was to raise completed bookings. I interviewed 20 riders, found that surprise fees caused most drop-offs, and ran an A/B test. Completed bookings rose 12%.',
  'We had a hard quarter. We moved the deploys to a pipeline and the team added canary checks. Deploys went from weekly to daily and failures fell 80%.',
  'I led the migration. Costs fell 30%.',
  'Um, so basically at Contoso our, you know, checkout was kind of slow, um, and I basically profiled it, like, and I mean I added a cache.',
  'I think we maybe fixed it.',
];
const KEYWORDS = ['booking', 'payment', 'checkout', 'pipeline', 'migration'];
const words = (s: string) => s.split(/\s+/).filter(Boolean).length;

const LEVELS = [1, 3, 5] as const;

/** Every combination of low, middle and high scores over the five dimensions (3^5 = 243). */
function everyScoring(base: Assessment): Assessment[] {
  const out: Assessment[] = [];
  for (let n = 0; n < 3 ** SCORE_DIMENSIONS.length; n++) {
    const scores = { ...base.scores };
    SCORE_DIMENSIONS.forEach((d, i) => (scores[d] = LEVELS[Math.floor(n / 3 ** i) % 3]!));
    out.push({ ...base, scores });
  }
  return out;
}

describe('the critique’s opening verdict', () => {
  it('is one sentence of at most 15 words, for any scores', () => {
    for (const answer of ANSWERS) {
      for (const a of everyScoring(assess(answer, KEYWORDS))) {
        const verdict = verdictOf(a);
        expect(splitSentences(verdict), verdict).toEqual([verdict]);
        expect(words(verdict), verdict).toBeLessThanOrEqual(15);
      }
    }
  });

  it('names the strongest point and the one thing to fix from the scores', () => {
    const a = assess(ANSWERS[0]!, KEYWORDS);
    const scored = (scores: Partial<Assessment['scores']>): Assessment => ({
      ...a,
      scores: { star: 4, clarity: 4, impact: 4, conciseness: 4, relevance: 4, ...scores },
    });
    expect(verdictOf(scored({ impact: 5 }))).toBe('A strong answer, best on impact.');
    expect(verdictOf(scored({ star: 5, relevance: 2 }))).toBe(
      'Strong on structure; one thing to fix: tie it to what this role asks for.',
    );
    expect(verdictOf(scored({ star: 3, clarity: 3, impact: 1, conciseness: 2, relevance: 3 }))).toBe(
      'One thing to fix first: put a number on the result.',
    );
  });

  it('opens the offline critique, which goes on with what worked and what to add', () => {
    const a = assess(ANSWERS[0]!, KEYWORDS);
    const critique = composeCritique(a, 'Owns the booking funnel');
    expect(splitSentences(critique)[0]).toBe(verdictOf(a));
    expect(splitSentences(critique).length).toBeGreaterThan(2);
  });
});
