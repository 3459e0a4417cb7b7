import { describe, expect, it } from 'vitest';
import { assess, explain, jobKeywords } from './rubric.js';

const STAR = `At CityRide our booking flow lost riders at the payment step. My goal was to raise completed bookings.
I interviewed 20 riders and ran an A/B test showing the full price up front. Completed bookings rose 12%.`;

describe('deterministic rubric', () => {
  it('finds and quotes each STAR part', () => {
    const a = assess(STAR, []);
    expect(a.metrics.star).toEqual({
      situation: 'At CityRide our booking flow lost riders at the payment step.',
      task: 'My goal was to raise completed bookings.',
      action: 'I interviewed 20 riders and ran an A/B test showing the full price up front.',
      result: 'Completed bookings rose 12%.',
    });
    expect(a.scores.star).toBe(5);
  });

  it('scores impact by the numbers that show the result', () => {
    expect(assess(STAR, []).scores.impact).toBe(4);
    const vague = assess('We made the booking flow better and people liked it a lot afterwards.', []);
    expect(vague.scores.impact).toBe(1);
    expect(vague.gaps.join(' ')).toMatch(/Add a number/);
  });

  it('marks filler words and hedges down on clarity', () => {
    const rambling =
      'Um so basically I think we, you know, sort of maybe fixed it. Uh I guess it was, like, actually fine. Um yeah.';
    const a = assess(rambling, []);
    expect(a.metrics.fillers.length).toBeGreaterThanOrEqual(5);
    expect(a.scores.clarity).toBeLessThanOrEqual(3);
    expect(a.scores.clarity).toBeLessThan(assess(STAR, []).scores.clarity);
  });

  it('measures relevance as coverage of the job terms', () => {
    const keywords = jobKeywords(
      'Requirements: discovery with clinicians, reducing no-show rates, quarterly roadmap.',
      'Tell me about discovery.',
    );
    expect(keywords).toContain('discovery');
    const onTopic = assess(
      'I led discovery with clinicians to cut no-show rates, then set the quarterly roadmap.',
      keywords,
    );
    const offTopic = assess('I like painting landscapes on weekends with friends.', keywords);
    expect(onTopic.scores.relevance).toBeGreaterThan(offTopic.scores.relevance);
  });

  it('keeps every score an integer from 1 to 5, even for an empty answer', () => {
    for (const text of ['', 'ok', STAR.repeat(20)]) {
      for (const v of Object.values(assess(text, ['a']).scores)) {
        expect(Number.isInteger(v) && v >= 1 && v <= 5).toBe(true);
      }
    }
  });
});

describe('the STAR reason', () => {
  it('calls a part missing only to explain a score below 5, as the gaps do', () => {
    const { metrics } = assess(STAR, []);
    const partial = { ...metrics, star: { ...metrics.star, situation: null, task: null } };
    const scores = { star: 5, clarity: 5, impact: 5, conciseness: 5, relevance: 5 } as const;
    const atFive = explain(partial, scores);
    expect(atFive.reasons.star).toBe('Found action, result.');
    expect(atFive.gaps.join(' ')).not.toMatch(/situation|task/);
    const atThree = explain(partial, { ...scores, star: 3 });
    expect(atThree.reasons.star).toBe('Found action, result; missing situation, task.');
  });
});
