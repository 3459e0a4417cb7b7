import { describe, expect, it } from 'vitest';
import { inventedFacts } from './faithful.js';

const ANSWER = 'At CityRide I rebuilt the payment step with Priya, and bookings rose 12% in a month.';

describe('inventedFacts', () => {
  it('finds numbers and names the candidate did not say', () => {
    expect(
      inventedFacts(
        'At CityRide I rebuilt the payment step with Priya and John, saving 40 hours a week.',
        ANSWER,
      ),
    ).toEqual(['40', 'John']);
  });

  it('accepts a reordered, trimmed retelling of what was said, and bracketed prompts', () => {
    expect(
      inventedFacts(
        'I rebuilt the payment step at CityRide with Priya. Bookings rose 12% in a month. [how did you measure it?]',
        ANSWER,
      ),
    ).toEqual([]);
  });
});
