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
  it('never quotes an aside the candidate marked as one', () => {
    const probe = probeFor(
      'A student nurse was slow on her drug rounds. Parking is a nightmare by the way, I used to circle for twenty minutes. Anyway I sat down with her and we made a plan together.',
    );
    expect(probe).toMatch(/result/);
    expect(probe).not.toMatch(/circle/);
  });
  it('asks for detail when a complete answer is very short', () => {
    expect(probeFor('I led the migration. Costs fell 30%.')).toMatch(/more detail/);
  });
  it('does not ask for a result the candidate said in words ("one in five to one in fifty", "weekly to daily")', () => {
    expect(
      probeFor(
        'At ShopCo our deploys were manual and roughly one in five broke something, usually on Fridays. I wrote a pipeline in GitHub Actions with Terraform plans reviewed in pull requests, and added a canary step that rolls back on error-rate alerts. Within two months failed deploys went from one in five to one in fifty, and we moved from weekly to daily releases.',
      ),
    ).toBeNull();
  });
  it('lets a complete answer go straight to the critique', () => {
    expect(
      probeFor(
        'At CityRide our booking flow lost riders at the payment step. My goal was to raise completed bookings. I interviewed 20 riders and ran an A/B test showing the full price up front. Completed bookings rose 12%.',
      ),
    ).toBeNull();
  });
});

describe('follow-up probes per interviewer persona', () => {
  // Action and a stated result, but no number, in 24 words.
  const unmeasured =
    'Our clinic waitlist was long. I called every patient on it and rebooked them. As a result the waitlist shrank and patients were happier.';
  const complete =
    'At CityRide our booking flow lost riders at the payment step. My goal was to raise completed bookings. I interviewed 20 riders and ran an A/B test showing the full price up front. Completed bookings rose 12%.';

  it('the friendly interviewer lets a short, unmeasured answer through, the neutral one asks for detail, the tough one for numbers', () => {
    expect(probeFor(unmeasured, 'friendly')).toBeNull();
    expect(probeFor(unmeasured, 'neutral')).toMatch(/more detail/);
    expect(probeFor(unmeasured, 'tough')).toMatch(/numbers/);
  });

  it('every persona still asks what the candidate did when the answer only names the team', () => {
    const team = 'We had a hard quarter and the team fixed the churn problem in the end.';
    expect(probeFor(team, 'friendly')).toMatch(/your own part/);
    expect(probeFor(team, 'neutral')).toMatch(/personally/);
    expect(probeFor(team, 'tough')).toMatch(/personally/);
  });

  it('the tough interviewer wants a fuller story than the neutral one', () => {
    expect(probeFor(complete, 'neutral')).toBeNull();
    expect(probeFor(complete, 'tough')).toMatch(/too thin/);
  });
});

describe('follow-ups quote the candidate', () => {
  const quoted = (probe: string | null) => /"([^"]+)"/.exec(probe ?? '')?.[1];
  const answers = [
    'We had a hard quarter and the team fixed the churn problem in the end.',
    'I interviewed our top customers and I rewrote the onboarding emails with the designer.',
    'Um, so basically we, you know, moved the deploys to a pipeline and it was kind of better.',
    'Our clinic waitlist was long. I called every patient on it and rebooked them. As a result the waitlist shrank and patients were happier.',
  ];

  it('with a short verbatim phrase of theirs, free of fillers', () => {
    for (const answer of answers)
      for (const persona of ['friendly', 'neutral', 'tough'] as const) {
        const probe = probeFor(answer, persona);
        if (!probe) continue;
        const quote = quoted(probe);
        expect(quote, probe).toBeDefined();
        expect(answer.replace(/\s+/g, ' ')).toContain(quote);
        expect(quote!.split(' ').length).toBeLessThanOrEqual(8);
        expect(quote).not.toMatch(/\b(um|basically|you know|kind of)\b/i);
      }
  });

  it("quotes what the team did when asking for the candidate's own part", () => {
    expect(quoted(probeFor(answers[0]!, 'neutral'))).toBe('the team fixed the churn problem');
    expect(quoted(probeFor(answers[2]!, 'tough'))).toBe('moved the deploys to a pipeline');
  });

  it('asks the same follow-up of the same answer, and varies across answers', () => {
    expect(probeFor(answers[0]!, 'tough')).toBe(probeFor(answers[0]!, 'tough'));
    const teamAnswers = [
      'fixed the churn problem',
      'rebuilt the billing page',
      'cut the release checklist',
      'moved the office',
    ].map((what) => `We had a hard year and the team ${what} in the end.`);
    const framings = new Set(teamAnswers.map((a) => probeFor(a, 'neutral')!.replace(/"[^"]*"/, '""')));
    expect(framings.size).toBeGreaterThan(1);
  });
});
