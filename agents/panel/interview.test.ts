import { describe, expect, it } from 'vitest';
import { SCORE_DIMENSIONS, type Scores } from '../../core/types.js';
import { nextSpeaker } from './director.js';
import { ANSWER_WPM, panelOutcome, QUESTION_WPM, timeline, timeUsed, type SpokenTurn } from './interview.js';
import { panelTemplate } from './templates.js';

const swe = panelTemplate('software-engineer');
const all = (n: number) => Object.fromEntries(SCORE_DIMENSIONS.map((d) => [d, n])) as Scores;
const words = (n: number) => Array.from({ length: n }, () => 'word').join(' ');

const record = (turnId: string, panelistId: string, competency: string, score = 4) => ({
  turnId,
  panelistId,
  competency,
  followUp: false,
  scores: all(score),
});

describe('the panel interview clock', () => {
  const spoken = new Map<string, SpokenTurn>([
    // 32 question words at 160 wpm = 12 s; 140 answer words at 140 wpm = 60 s.
    ['t1', { question: words(32), answer: words(140) }],
    // A hand-over is said before the question: 16 + 16 words = 12 s; a spoken answer counts as measured.
    ['t2', { handOver: words(16), question: words(16), answer: words(10), answerSec: 45 }],
  ]);

  it('counts speaking time: questions and hand-overs at the panel’s rate, typed answers as if read, spoken ones as measured', () => {
    expect(QUESTION_WPM).toBe(160);
    expect(ANSWER_WPM).toBe(140);
    const { turns, judged } = timeline(
      [record('t1', 'priya', 'ownership'), record('t2', 'sam', 'system design')],
      spoken,
    );
    expect(turns.map((t) => t.durationSec)).toEqual([72, 57]);
    // An answer's moment is after its question: where a drill links to.
    expect(judged.map((j) => j.atSec)).toEqual([12, 72 + 12]);
    expect(timeUsed(swe, turns)).toEqual({ priya: 72, sam: 57, alex: 0 });
  });

  it('gives the director the same history however often it is rebuilt', () => {
    const records = [record('t1', 'priya', 'ownership', 5)];
    const a = nextSpeaker({ template: swe, turns: timeline(records, spoken).turns, seed: 's' });
    const b = nextSpeaker({ template: swe, turns: timeline(records, new Map(spoken)).turns, seed: 's' });
    expect(a).toEqual(b);
    // A strong answer hands the floor over, out loud.
    expect(a).toMatchObject({ kind: 'ask', followUp: false });
    expect(a.kind === 'ask' && a.panelistId).not.toBe('priya');
    expect(a.kind === 'ask' && a.handOver).toBeTruthy();
  });

  it('writes no scorecard and no debrief before any answer was judged, and a scorecard per panelist who heard one after', () => {
    expect(panelOutcome(swe, [])).toEqual({ scorecards: [], debrief: null });
    const { judged } = timeline([record('t1', 'priya', 'ownership', 2)], spoken);
    const { scorecards, debrief } = panelOutcome(swe, judged);
    expect(scorecards.map((s) => s.panelistId)).toEqual(['priya']);
    expect(debrief?.absent).toEqual(['sam', 'alex']);
    expect(debrief?.decision.outcome).toBe('no_hire');
  });
});
