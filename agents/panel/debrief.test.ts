import { describe, expect, it } from 'vitest';
import { SCORE_DIMENSIONS, type Score, type ScoreDimension } from '../../core/types.js';
import { buildDebrief, decide, type PanelDebrief } from './debrief.js';
import { leanOf, scorecardFor, type Evidence, type JudgedTurn, type Scorecard } from './scorecard.js';
import { parsePanelTemplate } from './template.js';
import { panelTemplate } from './templates.js';

const swe = panelTemplate('software-engineer'); // priya (hiring manager), sam (peer), alex (bar raiser); veto
const consensus = parsePanelTemplate({ ...swe, id: 'swe-consensus', decisionRule: 'consensus' });
const nurse = panelTemplate('registered-nurse'); // maria, tom, aisha; consensus

/** A scorecard as a panelist would write it: the lean follows from the weighted mean. */
function card(
  panelistId: string,
  weightedMean: number,
  scores: Partial<Record<ScoreDimension, Score>> = {},
  evidence: Evidence[] = [],
): Scorecard {
  return { panelistId, scores, evidence, weightedMean, lean: leanOf(weightedMean) };
}
const moment = (turnId: string, atSec: number, dimension: ScoreDimension, score: number): Evidence => ({
  turnId,
  atSec,
  dimension,
  score,
  quote: `quote of ${turnId}`,
});

/** The decision after moving the named panelists' leans across the hire line, as the debrief proposes. */
function afterChanges(t: Parameters<typeof decide>[0], cards: Scorecard[], d: PanelDebrief) {
  const changed = new Map(d.wouldHaveChanged.changes.map((c) => [c.panelistId, c.to]));
  return decide(
    t,
    cards.map((c) => ({ panelistId: c.panelistId, lean: changed.get(c.panelistId) ?? c.lean })),
  ).outcome;
}

describe('the grid', () => {
  it('puts each panelist’s score under the dimensions they weigh, flagging a spread of 2 or more', () => {
    const d = buildDebrief(swe, [
      card('priya', 4, { star: 4, impact: 2, relevance: 4 }),
      card('sam', 4, { star: 3, clarity: 4, relevance: 4 }),
      card('alex', 4, { impact: 4, clarity: 3, conciseness: 5 }),
    ]);
    expect(d.grid.map((r) => r.dimension)).toEqual(SCORE_DIMENSIONS);
    const row = (dim: ScoreDimension) => d.grid.find((r) => r.dimension === dim)!;
    expect(row('impact')).toEqual({
      dimension: 'impact',
      scores: { priya: 2, alex: 4 },
      spread: 2,
      agreement: 'disagree',
    });
    expect(row('star')).toMatchObject({ spread: 1, agreement: 'agree' });
    expect(row('conciseness')).toMatchObject({ scores: { alex: 5 }, spread: 0, agreement: 'agree' });
  });

  it('leaves out a dimension nobody scored', () => {
    const d = buildDebrief(nurse, [card('aisha', 4, { clarity: 4, relevance: 4 })]);
    expect(d.grid.map((r) => r.dimension)).toEqual(['clarity', 'relevance']);
    expect(d.absent).toEqual(['maria', 'tom']);
  });
});

describe('the decision', () => {
  it('consensus: the majority lean decides, strong or not', () => {
    const d = buildDebrief(nurse, [card('maria', 4.5), card('tom', 2.0), card('aisha', 3.6)]);
    expect(d.decision).toMatchObject({ outcome: 'hire', votes: { hire: 2, noHire: 1 } });
    expect(d.decision.reason).toMatch(/2 of 3 lean hire/);
  });

  it('consensus: a tie is a no hire', () => {
    const d = buildDebrief(nurse, [card('maria', 4.5), card('tom', 3.0)]);
    expect(d.decision).toMatchObject({ outcome: 'no_hire', votes: { hire: 1, noHire: 1 } });
    expect(d.decision.reason).toMatch(/split 1–1, and a tie is a no hire/);
  });

  it('veto: the bar raiser’s no hire overrules a hire majority', () => {
    const d = buildDebrief(swe, [card('priya', 4.5), card('sam', 4.0), card('alex', 3.2)]);
    expect(d.decision).toMatchObject({ outcome: 'no_hire', vetoedBy: 'alex', votes: { hire: 2, noHire: 1 } });
    expect(d.decision.reason).toBe(
      'No hire: 2 of 3 lean hire, but Alex (bar raiser) leans no hire, which vetoes the hire.',
    );
    // The same leans under consensus hire.
    expect(
      buildDebrief(consensus, [card('priya', 4.5), card('sam', 4.0), card('alex', 3.2)]).decision.outcome,
    ).toBe('hire');
  });

  it('veto: a bar raiser agreeing with a no hire majority is not recorded as a veto', () => {
    const d = buildDebrief(swe, [card('priya', 3.0), card('sam', 2.0), card('alex', 2.0)]);
    expect(d.decision).toMatchObject({ outcome: 'no_hire', reason: 'No hire: 0 of 3 lean hire.' });
    expect(d.decision.vetoedBy).toBeUndefined();
  });

  it('veto: the bar raiser’s hire does not overturn a no hire majority', () => {
    const d = buildDebrief(swe, [card('priya', 3.0), card('sam', 2.0), card('alex', 4.5)]);
    expect(d.decision.outcome).toBe('no_hire');
    expect(d.decision.vetoedBy).toBeUndefined();
  });

  it('veto: says so when the bar raiser wrote no scorecard', () => {
    const d = buildDebrief(swe, [card('priya', 4.5), card('sam', 4.0)]);
    expect(d.decision.outcome).toBe('hire');
    expect(d.decision.reason).toMatch(/bar raiser wrote no scorecard/);
    expect(d.absent).toEqual(['alex']);
  });
});

describe('dissent', () => {
  it('records who disagreed with the decision, with the evidence that points most their way', () => {
    const d = buildDebrief(swe, [
      card('priya', 4.5, {}, [moment('t1', 30, 'star', 3), moment('t4', 400, 'impact', 5)]),
      card('sam', 3.0, {}, [moment('t2', 100, 'star', 2)]),
      card('alex', 2.0, {}, [moment('t3', 200, 'clarity', 3), moment('t5', 500, 'impact', 1)]),
    ]);
    expect(d.decision.outcome).toBe('no_hire');
    expect(d.dissent).toEqual([
      { panelistId: 'priya', lean: 'strong_hire', evidence: moment('t4', 400, 'impact', 5) },
    ]);
  });

  it('under a veto, the hire majority is the dissent', () => {
    const d = buildDebrief(swe, [card('priya', 4.5), card('sam', 4.0), card('alex', 3.2)]);
    expect(d.dissent.map((x) => x.panelistId)).toEqual(['priya', 'sam']);
    expect(d.dissent[0]!.evidence).toBeNull();
  });
});

describe('what would have changed the decision', () => {
  it('names the one panelist nearest the hire line when one change is enough', () => {
    const cards = [card('maria', 4.5), card('tom', 3.6), card('aisha', 3.0)];
    const d = buildDebrief(nurse, cards);
    expect(d.decision.outcome).toBe('hire');
    expect(d.wouldHaveChanged.changes).toEqual([
      { panelistId: 'tom', from: 'hire', to: 'no_hire', weightedMean: 3.6, threshold: 3.5 },
    ]);
    expect(d.wouldHaveChanged.text).toBe(
      'The decision would have been no hire if Tom (peer) had leaned no hire rather than hire (a weighted score under 3.5, not 3.6).',
    );
    expect(afterChanges(nurse, cards, d)).toBe('no_hire');
  });

  it('under a veto, the bar raiser alone', () => {
    const cards = [card('priya', 4.5), card('sam', 4.0), card('alex', 3.2)];
    const d = buildDebrief(swe, cards);
    expect(d.wouldHaveChanged.changes.map((c) => c.panelistId)).toEqual(['alex']);
    expect(d.wouldHaveChanged.text).toMatch(
      /would have been hire if Alex \(bar raiser\) had leaned hire rather than no hire \(a weighted score of at least 3\.5, not 3\.2\)/,
    );
    expect(afterChanges(swe, cards, d)).toBe('hire');
  });

  it('needs two changes when one cannot tip a 3–1 no hire, and picks the two nearest the line', () => {
    const four = panelTemplate('sre-devops'); // dana, sam, lee, jordan (bar raiser); veto
    const cards = [card('dana', 4.0), card('sam', 2.0), card('lee', 3.3), card('jordan', 3.1)];
    const d = buildDebrief(parsePanelTemplate({ ...four, decisionRule: 'consensus' }), cards);
    expect(d.decision.outcome).toBe('no_hire');
    expect(d.wouldHaveChanged.changes.map((c) => c.panelistId).sort()).toEqual(['jordan', 'lee']);
    expect(d.wouldHaveChanged.text).toMatch(
      /Lee \(cross-functional partner\) had leaned hire .* and Jordan \(bar raiser\)/,
    );
  });
});

describe('drills', () => {
  it('are the three lowest-scored dimensions, each linked to its weakest moment', () => {
    const d = buildDebrief(swe, [
      card('priya', 3.0, { star: 2, impact: 2, relevance: 4 }, [
        moment('t1', 30, 'star', 2),
        moment('t1', 30, 'impact', 3),
        moment('t6', 610, 'impact', 1),
        moment('t1', 30, 'relevance', 4),
      ]),
      card('sam', 3.0, { star: 3, clarity: 3, relevance: 5 }, [
        moment('t2', 120, 'star', 3),
        moment('t2', 120, 'clarity', 3),
        moment('t2', 120, 'relevance', 5),
      ]),
      card('alex', 3.0, { impact: 3, clarity: 4, conciseness: 5 }, [
        moment('t3', 300, 'impact', 3),
        moment('t3', 300, 'clarity', 4),
        moment('t3', 300, 'conciseness', 5),
      ]),
    ]);
    // Means: star 2.5, impact 2.5, clarity 3.5, relevance 4.5, conciseness 5.
    expect(d.drills.map((x) => [x.dimension, x.meanScore])).toEqual([
      ['star', 2.5],
      ['impact', 2.5],
      ['clarity', 3.5],
    ]);
    expect(d.drills[1]!.evidence).toMatchObject({ turnId: 't6', atSec: 610, score: 1 });
    expect(d.drills[0]!.evidence).toMatchObject({ turnId: 't1', atSec: 30 });
  });

  it('leave out a dimension every panelist gave a 5', () => {
    const d = buildDebrief(nurse, [
      card('aisha', 5, { clarity: 5, relevance: 4 }, [
        moment('t1', 5, 'clarity', 5),
        moment('t1', 5, 'relevance', 4),
      ]),
    ]);
    expect(d.drills.map((x) => x.dimension)).toEqual(['relevance']);
  });
});

describe('buildDebrief', () => {
  it('rejects a scorecard from someone not on the panel, or two from one panelist', () => {
    expect(() => buildDebrief(swe, [card('zed', 4)])).toThrow(/no panelist "zed"/);
    expect(() => buildDebrief(swe, [card('sam', 4), card('sam', 3)])).toThrow(
      /two scorecards from panelist "sam"/,
    );
    expect(() => buildDebrief(swe, [])).toThrow(/at least one scorecard/);
  });

  it('from judged turns to a decision: the panelists’ own scorecards fill the grid', () => {
    const answer = (n: number) =>
      n >= 4
        ? 'I rebuilt the deploy pipeline myself. Rollbacks fell from 20% to 2%.'
        : 'We kind of handled it.';
    const turns: JudgedTurn[] = [
      ['t1', 'sam', 'system design', 0, 4],
      ['t2', 'alex', 'failure and learning', 300, 2],
      ['t3', 'alex', 'failure and learning', 420, 2],
      ['t4', 'priya', 'ownership', 600, 5],
      ['t5', 'sam', 'debugging', 900, 4],
      ['t6', 'alex', 'technical judgement', 1100, 3],
    ].map(([turnId, askedBy, competency, atSec, n]) => ({
      turnId: turnId as string,
      askedBy: askedBy as string,
      competency: competency as string,
      atSec: atSec as number,
      answer: answer(n as number),
      scores: Object.fromEntries(SCORE_DIMENSIONS.map((d) => [d, n])) as Record<ScoreDimension, number>,
    }));
    const cards = swe.panelists.flatMap((p) => scorecardFor(p, turns) ?? []);
    const d = buildDebrief(swe, cards);
    for (const row of d.grid)
      for (const [id, score] of Object.entries(row.scores))
        expect(cards.find((c) => c.panelistId === id)!.scores[row.dimension]).toBe(score);
    // Alex heard three weak-to-middling answers on his competencies and vetoes two hires.
    expect(cards.map((c) => [c.panelistId, c.lean])).toEqual([
      ['priya', 'strong_hire'],
      ['sam', 'hire'],
      ['alex', 'strong_no_hire'],
    ]);
    expect(d.decision).toMatchObject({ outcome: 'no_hire', vetoedBy: 'alex' });
    expect(d.drills[0]!.evidence).toMatchObject({
      turnId: 't2',
      atSec: 300,
      quote: 'We kind of handled it.',
    });
  });
});
