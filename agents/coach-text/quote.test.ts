import { describe, expect, it } from 'vitest';
import { MAX_QUOTE_WORDS, quoteFrom } from './quote.js';

describe('a quote of the candidate', () => {
  it('cut at its length limit, ends on a word that says something', () => {
    // A user trial's drill read: keep "I looked at the tickets and about".
    const answer =
      "I looked at the tickets and about a third were just 'where is my parcel'. I wrote a macro for it.";
    const q = quoteFrom(answer)!;
    expect(answer).toContain(q);
    expect(q.split(' ').length).toBeLessThanOrEqual(MAX_QUOTE_WORDS);
    expect(q).toBe('I looked at the tickets');
    // A trial's drill said: start with "I offered them our onboarding package at no".
    expect(
      quoteFrom(
        'I offered them our onboarding package at no charge, which cost us far less than the discount.',
      ),
    ).toBe('I offered them our onboarding package');
    // And: after "The next quarter our freight forecast was within".
    expect(quoteFrom('The next quarter our freight forecast was within three percent of actuals.')).toBe(
      'The next quarter our freight forecast',
    );
  });

  it('is the candidate’s words verbatim, without fillers or hedges', () => {
    const answer = 'Um, so I think we basically moved the deploys to a pipeline.';
    // A trial's drill began: starting from "Honestly I'm just really competitive".
    expect(quoteFrom("Honestly I'm just really competitive and I hate losing.")).toBe(
      "I'm just really competitive",
    );
    const q = quoteFrom(answer)!;
    expect(answer).toContain(q);
    expect(q).toBe('moved the deploys to a pipeline');
  });
});
