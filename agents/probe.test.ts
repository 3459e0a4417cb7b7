import { describe, expect, it } from 'vitest';
import { probeFor, storyWithReply, toldIn, withReplyInPlace } from './probe.js';
import { createTrainedJudge } from './judgement/index.js';

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

describe('follow-up probes read the answer as the feedback does (the trained judgement)', () => {
  /** The real trained judgement (repo weights, the local MiniLM), as the session activity uses it. */
  const judge = createTrainedJudge();
  const question = 'Can you describe a project that depended on people outside your own team?';
  // A trial: a complete answer whose result has none of the rubric's cue words was asked for its result.
  const complete =
    'Last year our fuel costs in the Denver centre came in about forty percent over budget two months running, and the regional VP wanted to know why before the board meeting. I pulled the invoices and the route data into one SQL query and found that half of the overrun was a new carrier charging a fuel surcharge that nobody had put into the forecast. I rebuilt the freight line of the forecast so surcharges move with the diesel index, and walked the VP through it with one chart. The next quarter our freight forecast was within three percent, and procurement used the model to renegotiate the surcharge down.';

  it('does not ask for a result the answer told without cue words', async () => {
    expect(probeFor(complete)).toMatch(/result/); // the keyword rubric's reading
    expect(probeFor(complete, 'neutral', await toldIn(judge, question, complete))).toBeNull();
  });

  it('still asks what the candidate did when only the team acted, and for the result when none was told', async () => {
    const team = 'We had a hard quarter and the team fixed the churn problem in the end.';
    expect(probeFor(team, 'neutral', await toldIn(judge, question, team))).toMatch(/personally/);
    const open =
      'Our month-end close took eleven days. I mapped every step of the close with the controller and automated the bank reconciliations.';
    expect(probeFor(open, 'neutral', await toldIn(judge, question, open))).toMatch(/result/);
  });

  it("falls back to the keyword rubric's reading without the judgement", async () => {
    expect(await toldIn(null, question, complete)).toEqual({
      ownAction: true,
      result: false,
      measured: false,
      inGeneral: false,
    });
  });
});

describe("the follow-up's answer in its place in the story", () => {
  const story = [
    { text: 'We had a new scheme of work for year 7.', part: 'situation' },
    { text: 'We all met and planned the units together.', part: 'action' },
    { text: 'It went well and the students liked it.', part: 'result' },
  ] as const;
  const reply = 'I planned the fractions unit and taught it to two classes first.';

  it('tells an added action after the actions and before the result', () => {
    // A trial: "What did you personally do?" was answered, and the stronger answer put that after the result.
    expect(withReplyInPlace(story, reply)).toBe(
      'We had a new scheme of work for year 7. We all met and planned the units together. I planned the fractions unit and taught it to two classes first. It went well and the students liked it.',
    );
  });

  it('ends the story with it when the story reached no result after its actions', () => {
    const noResult = story.slice(0, 2);
    expect(withReplyInPlace(noResult, 'Marks went up by a grade.')).toMatch(
      /together\. Marks went up by a grade\.$/,
    );
    const resultFirst = [story[2], ...noResult];
    expect(withReplyInPlace(resultFirst, 'Marks went up.')).toMatch(/together\. Marks went up\.$/);
  });

  it("places it by the judgement's reading of a real answer, and by the rubric's without one", async () => {
    const judge = createTrainedJudge();
    const answer =
      'Our clinic waitlist was long. We called the patients on it. As a result the waitlist fell from 400 to 200 in a month.';
    for (const reader of [judge, null]) {
      const told = await storyWithReply(
        reader,
        'Tell me about a backlog you cleared.',
        answer,
        'I rang forty patients myself.',
      );
      expect(told.indexOf('I rang forty'), told).toBeGreaterThan(told.indexOf('We called'));
      expect(told.indexOf('I rang forty'), told).toBeLessThan(told.indexOf('the waitlist fell'));
    }
  });
});

describe('follow-ups to a question about what the candidate would do', () => {
  const judge = createTrainedJudge();
  const question = 'How would you find the bottleneck in a process that keeps missing its targets?';

  it('are not "what did you personally do?": a full plan is coached, a thin one is asked for a time it was done', async () => {
    // A trial: "When you say 'First I'd look at the slow query log', which part was yours?"
    const plan =
      "First I'd walk the process end to end with the people who run it and time each step. Then I'd look at where work waits longest, because that is usually the bottleneck, not where people are busiest. I'd fix that one step, measure again, and only then move on to the next.";
    expect(probeFor(plan, 'neutral', await toldIn(judge, question, plan))).toBeNull();
    const thin = "Honestly I'd probably just add more people. That would fix it.";
    expect(probeFor(thin, 'neutral', await toldIn(judge, question, thin))).toMatch(
      /example of a time you did that/,
    );
    expect(probeFor(thin, 'tough', await toldIn(null, question, thin))).toMatch(
      /When did you actually do it|Give me a time you did exactly that/,
    );
  });

  it('still ask what the candidate did when the question asks for a time, even worded "how do you"', async () => {
    const asked = 'How do you make sure what you deliver works? Give a concrete example.';
    const team = 'We had a hard quarter and the team fixed the churn problem in the end.';
    expect(probeFor(team, 'neutral', await toldIn(judge, asked, team))).toMatch(/personally/);
  });
});

describe('a follow-up to an answer that says what the candidate would do, asked for a time', () => {
  it('asks for a time they did it, not "which part was yours?"', async () => {
    // A trial: "When you say 'First I'd look at the slow query log', which part was yours?"
    const judge = createTrainedJudge();
    const question = 'Tell me about the hardest bug you tracked down. How did you find it?';
    const plan =
      "First I'd look at the slow query log to find which queries cost the most. Usually it's a missing index. I'd fix the worst one and measure again.";
    const probe = probeFor(plan, 'neutral', await toldIn(judge, question, plan));
    expect(probe).toMatch(/example of a time you did that|When have you done that/);
    expect(probe).not.toMatch(/which part was yours|personally/);
    // What the team did is still asked about as the team's.
    const team = 'We had a hard quarter and the team fixed the churn problem in the end.';
    expect(probeFor(team, 'neutral', await toldIn(judge, question, team))).toMatch(/personally/);
  });
});
