import { describe, expect, it } from 'vitest';
import { probeFor } from './probe.js';

describe('follow-up probes', () => {
  it('asks what the candidate personally did when no action of theirs is stated', () => {
    expect(probeFor('We had a hard quarter and the team fixed the churn problem in the end.')).toMatch(
      /personally/,
    );
  });
  it('asks for the measurable result when the story has none', () => {
    expect(
      probeFor('I interviewed our top customers and I rewrote the onboarding emails with the designer.'),
    ).toMatch(/result/);
  });
  it('asks for detail when a complete answer is very short', () => {
    expect(probeFor('I led the migration. Costs fell 30%.')).toMatch(/more detail/);
  });
  it('lets a complete answer go straight to the critique', () => {
    expect(
      probeFor(
        'At CityRide our booking flow lost riders at the payment step. My goal was to raise completed bookings. I interviewed 20 riders and ran an A/B test showing the full price up front. Completed bookings rose 12%.',
      ),
    ).toBeNull();
  });
});
