import { describe, expect, it } from 'vitest';
import { SCORE_DIMENSIONS, type Score, type Scores } from '../../core/types.js';
import { pick } from '../coach-text/variant.js';
import {
  nextSpeaker,
  uncoveredWeight,
  withinBudget,
  type Direction,
  type DirectorState,
  type PanelTurn,
} from './director.js';
import { handOverLine, spokenCompetency } from './handover.js';
import { interviewSec, panelistById, parsePanelTemplate, type PanelTemplate } from './template.js';
import { PANEL_TEMPLATES, panelTemplate } from './templates.js';

const all = (n: Score): Scores => Object.fromEntries(SCORE_DIMENSIONS.map((d) => [d, n])) as Scores;
const STRONG = all(4);
const VAGUE = all(2);

type Ask = Extract<Direction, { kind: 'ask' }>;
type Answer = (ask: Ask, index: number) => { scores: Scores; durationSec: number };

/** Runs a whole interview: asks the director, answers as `answer` says, until the director ends it. */
function interview(template: PanelTemplate, answer: Answer, seed = 'interview-1') {
  const turns: PanelTurn[] = [];
  const directions: Direction[] = [];
  for (let i = 0; i < 200; i++) {
    const d = nextSpeaker({ template, turns, seed });
    directions.push(d);
    if (d.kind === 'end') return { turns, directions, end: d };
    turns.push({ panelistId: d.panelistId, competency: d.competency, followUp: d.followUp, ...answer(d, i) });
  }
  throw new Error('the interview never ended');
}

const strong: Answer = () => ({ scores: STRONG, durationSec: 90 });
const vague: Answer = () => ({ scores: VAGUE, durationSec: 90 });
/** Strong or vague by the turn, the same on every run. */
const mixed: Answer = (ask, i) => ({
  scores: pick([STRONG, VAGUE, all(3)], ask.panelistId, ask.competency, i),
  durationSec: pick([60, 90, 150], i),
});

const state = (template: PanelTemplate, turns: PanelTurn[]): DirectorState => ({
  template,
  turns,
  seed: 'interview-1',
});
const turn = (panelistId: string, competency: string, scores: Scores, more: Partial<PanelTurn> = {}) => ({
  panelistId,
  competency,
  followUp: false,
  durationSec: 90,
  scores,
  ...more,
});

const swe = panelTemplate('software-engineer');
/** Sam (14 to ask about, 900 s) and Priya (1, 600 s): Sam has the most to ask almost to the end. */
const duo = parsePanelTemplate({
  ...swe,
  id: 'duo',
  decisionRule: 'consensus',
  panelists: [
    { ...swe.panelists[0]!, competencies: [{ competency: 'ownership', weight: 1 }] },
    swe.panelists[1]!,
  ],
});

describe('nextSpeaker', () => {
  it('opens with the panelist who has the most to ask, without a hand-over', () => {
    // Sam weighs 5+4+3+2 = 14, Priya 9, Alex 10.
    expect(nextSpeaker(state(swe, []))).toEqual({
      kind: 'ask',
      panelistId: 'sam',
      competency: 'system design',
      followUp: false,
    });
  });

  it('hands over after a strong answer, naming the next panelist and the topic', () => {
    const d = nextSpeaker(state(swe, [turn('sam', 'system design', STRONG)]));
    expect(d).toMatchObject({ kind: 'ask', panelistId: 'alex', competency: 'failure and learning' });
    expect(d.kind === 'ask' && d.followUp).toBe(false);
    expect(d.kind === 'ask' && d.handOver).toMatch(/Alex/);
    expect(d.kind === 'ask' && d.handOver).toMatch(/learning from a failure/);
  });

  it('hands over after a strong answer even when the speaker still has the most to ask', () => {
    const d = nextSpeaker(state(duo, [turn('sam', 'system design', STRONG)]));
    expect(d).toMatchObject({ kind: 'ask', panelistId: 'priya', competency: 'ownership', followUp: false });
    expect(d.kind === 'ask' && d.handOver).toMatch(/Priya/);
  });

  it('the final turn may stay with the speaker who has the most left, unless they already had two', () => {
    const long = parsePanelTemplate({
      ...duo,
      panelists: [
        {
          ...duo.panelists[0]!,
          timeBudgetSec: 1200,
          competencies: [
            { competency: 'ownership', weight: 1 },
            { competency: 'collaboration', weight: 1 },
          ],
        },
        { ...duo.panelists[1]!, timeBudgetSec: 1500 },
      ],
    });
    // 2,200 of 2,700 s used in turns of 1,100 s: one more fits. Sam has 9 left, Priya 1.
    const once = [
      turn('priya', 'ownership', STRONG, { durationSec: 1100 }),
      turn('sam', 'system design', STRONG, { durationSec: 1100 }),
    ];
    expect(nextSpeaker(state(long, once))).toEqual({
      kind: 'ask',
      panelistId: 'sam',
      competency: 'debugging',
      followUp: false,
    });
    const twice = [
      turn('priya', 'ownership', STRONG, { durationSec: 1000 }),
      turn('sam', 'system design', VAGUE, { durationSec: 700 }),
      turn('sam', 'system design', STRONG, { durationSec: 700, followUp: true }),
    ];
    expect(nextSpeaker(state(long, twice))).toMatchObject({
      panelistId: 'priya',
      competency: 'collaboration',
    });
  });

  it('follows up a vague answer with the same panelist on the same competency', () => {
    const d = nextSpeaker(state(swe, [turn('sam', 'system design', VAGUE)]));
    expect(d).toEqual({ kind: 'ask', panelistId: 'sam', competency: 'system design', followUp: true });
  });

  it('follows up a weak score on a dimension the asker weighs, but not on one they do not', () => {
    // Mean 3.4, but star is 2: Sam weighs star, Alex does not.
    const weakStar: Scores = { star: 2, clarity: 4, impact: 4, conciseness: 3, relevance: 4 };
    expect(nextSpeaker(state(swe, [turn('sam', 'system design', weakStar)]))).toMatchObject({
      panelistId: 'sam',
      followUp: true,
    });
    expect(nextSpeaker(state(swe, [turn('alex', 'failure and learning', weakStar)]))).toMatchObject({
      panelistId: 'sam',
      followUp: false,
    });
  });

  it('follows up once: a second vague answer on the thread hands over', () => {
    const d = nextSpeaker(
      state(swe, [
        turn('sam', 'system design', VAGUE),
        turn('sam', 'system design', VAGUE, { followUp: true }),
      ]),
    );
    expect(d).toMatchObject({ kind: 'ask', followUp: false });
    expect(d.kind === 'ask' && d.panelistId).not.toBe('sam');
  });

  it('a panelist past their time budget yields, even after a vague answer', () => {
    const d = nextSpeaker(state(swe, [turn('alex', 'failure and learning', VAGUE, { durationSec: 600 })]));
    expect(d).toMatchObject({ kind: 'ask', panelistId: 'sam', followUp: false });
    const run = interview(swe, (ask) => ({
      scores: VAGUE,
      durationSec: ask.panelistId === 'alex' ? 400 : 60,
    }));
    const alexTurns = run.turns.filter((t) => t.panelistId === 'alex');
    // Alex's second turn takes him past 600 s; he is never given a third.
    expect(alexTurns).toHaveLength(2);
    expect(run.end).toEqual({ kind: 'end', reason: 'budgets_spent' });
  });

  it('gives the last turn to the panelist with the most uncovered weight when time is nearly out', () => {
    // 1,900 of 2,100 s used by turns of 950 s: only one more fits. Sam has 4+3+2 left, Priya 9, Alex 10.
    const turns = [
      turn('sam', 'system design', STRONG, { durationSec: 950 }),
      turn('priya', 'collaboration', STRONG, { durationSec: 950 }),
    ];
    // Priya's collaboration leaves her 7; Alex still has 10 and gets the last word.
    const d = nextSpeaker(state(swe, turns));
    expect(d).toMatchObject({ kind: 'ask', panelistId: 'alex', competency: 'failure and learning' });
    const after = [...turns, turn('alex', 'failure and learning', STRONG, { durationSec: 100 })];
    expect(nextSpeaker(state(swe, after))).toEqual({ kind: 'end', reason: 'time_up' });
  });

  it('the final turn goes to the heaviest uncovered weight rather than a follow-up', () => {
    const turns = [
      turn('sam', 'system design', STRONG, { durationSec: 950 }),
      turn('priya', 'ownership', VAGUE, { durationSec: 950 }),
    ];
    expect(nextSpeaker(state(swe, turns))).toMatchObject({ panelistId: 'alex', followUp: false });
  });

  it('ends when the interview time is used up', () => {
    const turns = [turn('sam', 'system design', VAGUE, { durationSec: interviewSec(swe) })];
    expect(nextSpeaker(state(swe, turns))).toEqual({ kind: 'end', reason: 'time_up' });
  });

  it('is deterministic: the same turns give the same direction', () => {
    const run1 = interview(swe, mixed);
    const run2 = interview(swe, mixed);
    expect(run2.directions).toEqual(run1.directions);
  });

  it('rejects a turn by someone not on the panel', () => {
    expect(() => nextSpeaker(state(swe, [turn('zed', 'ownership', STRONG)]))).toThrow(/no panelist "zed"/);
  });
});

describe('a whole panel interview', () => {
  const answers: [string, Answer][] = [
    ['strong', strong],
    ['vague', vague],
    ['mixed', mixed],
  ];

  it.each(PANEL_TEMPLATES.flatMap((t) => answers.map(([name, a]) => [t.id, name, t, a] as const)))(
    '%s with %s answers: everyone asks, nobody holds the floor three times in a row',
    (_id, _answers, template, answer) => {
      const { turns, end } = interview(template, answer);
      // Coverage: with 60–150 s turns every template has time for all its competencies.
      expect(end).toEqual({ kind: 'end', reason: 'covered' });
      for (const p of template.panelists) {
        expect(uncoveredWeight(p, turns)).toBe(0);
        expect(turns.some((t) => t.panelistId === p.id)).toBe(true);
      }
      // No monopoly: a third turn in a row only when nobody else had anything left within budget.
      turns.forEach((t, i) => {
        if (i < 2 || turns[i - 1]!.panelistId !== t.panelistId || turns[i - 2]!.panelistId !== t.panelistId)
          return;
        const before = turns.slice(0, i);
        const waiting = template.panelists.filter(
          (p) => p.id !== t.panelistId && uncoveredWeight(p, before) > 0 && withinBudget(p, before),
        );
        expect(waiting.map((p) => p.id)).toEqual([]);
      });
    },
  );

  it('every competency is asked once, with a follow-up after each vague first answer', () => {
    const { turns } = interview(swe, vague);
    const firsts = turns.filter((t) => !t.followUp);
    expect(firsts.map((t) => t.competency).sort()).toEqual(
      swe.panelists.flatMap((p) => p.competencies.map((c) => c.competency)).sort(),
    );
    firsts.forEach((t) => {
      const next = turns[turns.indexOf(t) + 1];
      expect(next).toMatchObject({ panelistId: t.panelistId, competency: t.competency, followUp: true });
    });
  });

  it('a panelist keeps asking when the others are done', () => {
    const { turns, end } = interview(duo, strong);
    expect(end).toEqual({ kind: 'end', reason: 'covered' });
    // Sam opens (14 to Priya's 1), Priya asks once, then Sam asks his other three in a row.
    expect(turns.map((t) => t.panelistId)).toEqual(['sam', 'priya', 'sam', 'sam', 'sam']);
  });

  it('hand-overs are said only when the speaker changes', () => {
    const { directions } = interview(swe, mixed);
    let previous: string | undefined;
    for (const d of directions) {
      if (d.kind !== 'ask') continue;
      if (previous !== undefined && previous !== d.panelistId) {
        expect(d.handOver).toContain(panelistById(swe, d.panelistId).name);
        expect(d.handOver).toContain(spokenCompetency(d.competency));
      } else expect(d.handOver).toBeUndefined();
      previous = d.panelistId;
    }
  });
});

describe('handOverLine', () => {
  it('says the competency in plain words', () => {
    expect(spokenCompetency('clinical craft')).toBe('the clinical side');
    expect(spokenCompetency('cloud and infrastructure')).toBe('the infrastructure side');
    expect(spokenCompetency('system design')).toBe('system design');
  });

  it('is the same for the same seed and varies across seeds', () => {
    expect(handOverLine('Sam', 'debugging', 'a', 3)).toBe(handOverLine('Sam', 'debugging', 'a', 3));
    const lines = new Set(Array.from({ length: 20 }, (_, i) => handOverLine('Sam', 'debugging', 'a', i)));
    expect(lines.size).toBeGreaterThan(2);
    for (const line of lines) expect(line).toMatch(/\bSam\b.*\bdebugging\b|\bdebugging\b.*\bSam\b/);
  });
});
