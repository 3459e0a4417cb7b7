import { describe, expect, it } from 'vitest';
import { assess, type Assessment } from '../rubric.js';
import { SCORE_DIMENSIONS } from '../../core/types.js';
import { composeDrill, weakestDimension } from './drill.js';

const NAMES = {
  star: /structure \(STAR\)/,
  clarity: /clarity/,
  impact: /impact/,
  conciseness: /conciseness/,
  relevance: /relevance/,
};
const quotes = (text: string) => [...text.matchAll(/"([^"]+)"/g)].map((m) => m[1]!);

const ANSWERS = {
  team: 'We had a hard quarter. We moved the deploys to a pipeline and the team added canary checks. Deploys went from weekly to daily and failures fell 80%.',
  unmeasured:
    'At Contoso our checkout page timed out during the spring sale. My goal was to fix it before Black Friday. I profiled the payment service and I added a cache in front of the tax lookup. As a result checkout errors dropped and customers complained less.',
  short: 'I led the migration. Costs fell 30%.',
  filler:
    'Um, so basically at Contoso our, you know, checkout was kind of slow, um, and I basically profiled it, like, and I mean I added a cache and, um, errors dropped by 9%, you know, which was, um, actually great, basically.',
};

describe('the drill', () => {
  it('names the weakest dimension and quotes the answer, for every kind of weak answer', () => {
    for (const [kind, answer] of Object.entries(ANSWERS)) {
      const a = assess(answer, ['checkout', 'payment', 'pipeline']);
      const drill = composeDrill(answer, a, 'improving reliability of payment processing');
      expect(drill, kind).toMatch(NAMES[weakestDimension(a)]);
      expect(drill, kind).toMatch(new RegExp(`\\(${a.scores[weakestDimension(a)]}/5\\)`));
      const own = quotes(drill).filter((q) => answer.toLowerCase().includes(q.toLowerCase()));
      expect(own.length, `${kind}: ${drill}`).toBeGreaterThan(0);
    }
  });

  it('is built for the answer, not picked from a fixed list', () => {
    const drills = new Set(Object.values(ANSWERS).map((x) => composeDrill(x, assess(x, []))));
    expect(drills.size).toBe(Object.keys(ANSWERS).length);
  });

  it("asks a team story to be told with the candidate's own steps", () => {
    const a = assess(ANSWERS.team, ['pipeline', 'deploys']);
    expect(weakestDimension(a)).toBe('star');
    expect(composeDrill(ANSWERS.team, a)).toMatch(
      /you said "We moved the deploys to a pipeline"\. Tell it again with "I"/,
    );
  });

  it('ties the lowest dimension by the order STAR, clarity, impact, conciseness, relevance', () => {
    const a = assess(ANSWERS.unmeasured, []);
    const low = Math.min(...SCORE_DIMENSIONS.map((d) => a.scores[d]));
    expect(weakestDimension(a)).toBe(SCORE_DIMENSIONS.find((d) => a.scores[d] === low));
  });
});

describe("the drill's quotes", () => {
  it('never come from an aside the stronger answer drops', () => {
    const story = [
      'So there was a student nurse on my ward who was slow and anxious on her drug rounds.',
      'Parking at the hospital is a nightmare by the way, I used to circle for twenty minutes.',
      'I showed her how I organise the trolley and we did the rounds together for a week, then she did them with me watching.',
      'By the end of her placement she did the round in forty minutes instead of ninety, and she passed her assessment.',
      'I also like to go running after my shifts, it helps me switch off and sleep.',
    ];
    const answer = story.join(' ');
    const a: Assessment = {
      ...assess(answer, []),
      scores: { star: 4, clarity: 4, impact: 4, conciseness: 2, relevance: 4 },
      sentenceParts: story.map((text, i) => ({
        text,
        part: (['situation', 'action', 'action', 'result', null] as const)[i]!,
      })),
    };
    // Found here, or as the assess node found them (metrics.asides).
    const found = { ...a, metrics: { ...a.metrics, asides: [story[1]!, story[4]!] } };
    for (const drill of [composeDrill(answer, a), composeDrill(answer, found)]) {
      expect(drill).toMatch(/^Drill on conciseness/);
      expect(quotes(drill).length).toBeGreaterThan(0);
      for (const q of quotes(drill)) {
        expect(answer).toContain(q);
        expect(q, drill).not.toMatch(/circle|parking|running/i);
      }
    }
  });
});

describe('the impact drill', () => {
  const impactWeakest = (answer: string, star: Assessment['metrics']['star']): Assessment => {
    const a = assess(answer, []);
    return {
      ...a,
      metrics: { ...a.metrics, star },
      scores: { star: 3, clarity: 4, impact: 1, conciseness: 3, relevance: 4 },
    };
  };
  const none = { situation: null, task: null, action: null, result: null };

  it('asks for the result again only where the answer told one', () => {
    const answer = 'I rewrote the handover checklist. Missed medication changes dropped a lot.';
    const drill = composeDrill(
      answer,
      impactWeakest(answer, {
        ...none,
        action: 'I rewrote the handover checklist.',
        result: 'Missed medication changes dropped a lot.',
      }),
    );
    expect(drill).toMatch(
      /say the result again with a number: after "Missed medication changes dropped a lot"/,
    );
  });

  it('does not ask for a number a result already has: it sets that number against where things started', () => {
    // A trial's drill: say the result again with a number: after "The next quarter our freight forecast was
    // within", add by how much… (the result said "within three percent").
    const answer =
      'Our fuel costs came in forty percent over budget. I rebuilt the freight line of the forecast. The next quarter our freight forecast was within three percent.';
    const a = impactWeakest(answer, {
      ...none,
      action: 'I rebuilt the freight line of the forecast.',
      result: 'The next quarter our freight forecast was within three percent.',
    });
    const drill = composeDrill(answer, { ...a, metrics: { ...a.metrics, quantities: ['three percent'] } });
    expect(drill).not.toMatch(/with a number|add by how much/);
    expect(drill).toMatch(/say "three percent" beside where things stood before/);
  });

  it('asks for what changed after the action where no result was told', () => {
    const answer = 'The handover kept missing medication changes. I rewrote the handover checklist.';
    const drill = composeDrill(
      answer,
      impactWeakest(answer, { ...none, action: 'I rewrote the handover checklist.' }),
    );
    expect(drill).not.toMatch(/result again/);
    expect(drill).toMatch(/end with what changed because of you: after "I rewrote the handover checklist"/);
  });

  it('asks for one real time where the answer tells no story', () => {
    // A user trial's drill read: say the result again with a number: after "I always try to be a team player".
    const answer =
      'I think communication is really key in support. I always try to be a team player and keep the customer at the centre of everything.';
    const drill = composeDrill(answer, impactWeakest(answer, none));
    expect(drill).not.toMatch(/result again/);
    expect(drill).toMatch(
      /tell one real time it happened, starting from "[^"]+": what you did yourself, then what changed/,
    );
  });
});

describe('the drill for a question about what the candidate would do', () => {
  it('asks for one time they did it, not for the four beats of a story', () => {
    const answer =
      "I'd walk the process end to end and time each step. Then I'd fix where work waits longest.";
    const base = assess(answer, [], 'How would you find the bottleneck in a process?');
    expect(base.metrics.inGeneral).toBe(true);
    const drill = composeDrill(answer, {
      ...base,
      scores: { star: 2, clarity: 4, impact: 1, conciseness: 4, relevance: 4 },
    });
    expect(drill).toMatch(/back it with one time you did it/);
    expect(drill).not.toMatch(/four beats/);
  });
});
