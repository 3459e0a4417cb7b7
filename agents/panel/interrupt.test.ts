import { describe, expect, it } from 'vitest';
import { SCORE_DIMENSIONS, type Scores } from '../../core/types.js';
import { nextSpeaker, type PanelTurn } from './director.js';
import { createTrainedJudge } from '../judgement/index.js';
import {
  interruption,
  RAMBLE_WORDS,
  resultCheckOf,
  rubricResultCheck,
  trainedResultCheck,
  type InterruptionInput,
} from './interrupt.js';
import { panelistById } from './template.js';
import { panelTemplate } from './templates.js';

const swe = panelTemplate('software-engineer');
/** Alex: the tough bar raiser who may interrupt; Priya: the friendly hiring manager; Sam: neutral. */
const alex = panelistById(swe, 'alex');
const priya = panelistById(swe, 'priya');
const sam = panelistById(swe, 'sam');

const SENTENCE =
  'So the context was that our team had a lot going on and there were many meetings about the plan and what everyone thought about it.';
/** Well past the limit, and no result in sight. */
const RAMBLING = Array.from({ length: 6 }, () => SENTENCE).join(' ');
const SHORT = 'We had many meetings about the plan and what everyone thought about it.';
const QUESTION = 'Tell me about a failure you learned from.';
/** The real trained judgement (repo weights, the local MiniLM), as the session activity uses it. */
const judge = createTrainedJudge();
const statesResult = trainedResultCheck(judge, QUESTION);

const input = (more: Partial<InterruptionInput> = {}): InterruptionInput => ({
  panelist: alex,
  followUp: false,
  turns: [],
  question: QUESTION,
  answer: RAMBLING,
  seed: ['session-1', 'turn-1'],
  statesResult,
  ...more,
});

describe('interruption', () => {
  it('a tough panelist who may interrupt cuts into a rambling answer with a short question about the outcome', async () => {
    expect(RAMBLING.split(/\s+/).length).toBeGreaterThan(RAMBLE_WORDS);
    const line = await interruption(input());
    expect(line).toMatch(/stop you there|cut in|jump in/);
    expect(line).toMatch(/\?$/);
    // The same answer always gets the same cut-in (a replayed workflow decides the same).
    expect(await interruption(input())).toBe(line);
  });

  it('interrupts once per turn: never the follow-up the cut-in became', async () => {
    expect(await interruption(input({ followUp: true }))).toBeNull();
  });

  it('a friendly or neutral panelist never interrupts, even if their template allows it', async () => {
    expect(await interruption(input({ panelist: priya }))).toBeNull();
    expect(await interruption(input({ panelist: { ...priya, mayInterrupt: true } }))).toBeNull();
    expect(await interruption(input({ panelist: { ...sam, mayInterrupt: true } }))).toBeNull();
  });

  it('a tough panelist whose template does not allow it never interrupts', async () => {
    expect(await interruption(input({ panelist: { ...alex, mayInterrupt: false } }))).toBeNull();
  });

  it('a short answer is never interrupted', async () => {
    expect(await interruption(input({ answer: SHORT }))).toBeNull();
  });

  it('a long answer that has reached its result is left to finish', async () => {
    const withResult = `${RAMBLING} In the end completed bookings rose 12%.`;
    expect(await statesResult(withResult)).toBe(true);
    expect(await statesResult(RAMBLING)).toBe(false);
    expect(await interruption(input({ answer: withResult }))).toBeNull();
  });

  it('hears a result said without the rubric’s cue words, where the keyword rubric heard none', async () => {
    // No "result", "so", "dropped", no number: the old rubric hears no result and would cut in. The trained
    // sentence model reads the last sentence as the result (0.62 result, 0.38 other with the repo weights).
    const plain = `${RAMBLING} Nobody got woken up at night for the rest of the quarter.`;
    expect(await rubricResultCheck(plain)).toBe(false);
    expect(await statesResult(plain)).toBe(true);
    expect(await interruption(input({ answer: plain }))).toBeNull();
    expect(await interruption(input({ answer: plain, statesResult: rubricResultCheck }))).not.toBeNull();
  });

  it('falls back to the keyword rubric when the trained judgement cannot run (no embedding model)', async () => {
    const check = resultCheckOf(null, QUESTION);
    expect(check).toBe(rubricResultCheck);
    expect(await check(`${RAMBLING} In the end completed bookings rose 12%.`)).toBe(true);
    expect(await check(RAMBLING)).toBe(false);
  });

  it('only within the panelist’s budget: a cut-in that does not fit in the time left is not made', async () => {
    const scores = Object.fromEntries(SCORE_DIMENSIONS.map((d) => [d, 3])) as Scores;
    const spent: PanelTurn = {
      panelistId: 'alex',
      competency: 'conflict',
      followUp: false,
      durationSec: alex.timeBudgetSec - 30,
      scores,
    };
    // 30 s left: the question and ~60 s of answer already use them.
    expect(await interruption(input({ turns: [spent] }))).toBeNull();
    // Another panelist's time does not count against Alex.
    expect(await interruption(input({ turns: [{ ...spent, panelistId: 'sam' }] }))).not.toBeNull();
  });
});

describe('the director after a cut-in', () => {
  it('the floor passes on: the cut-in was the thread’s one follow-up, even after a vague answer', () => {
    const vague = Object.fromEntries(SCORE_DIMENSIONS.map((d) => [d, 1])) as Scores;
    const turns: PanelTurn[] = [
      {
        panelistId: 'alex',
        competency: 'failure and learning',
        followUp: false,
        durationSec: 70,
        scores: vague,
      },
      {
        panelistId: 'alex',
        competency: 'failure and learning',
        followUp: true,
        durationSec: 40,
        scores: vague,
      },
    ];
    const d = nextSpeaker({ template: swe, turns, seed: 's' });
    expect(d).toMatchObject({ kind: 'ask', followUp: false });
    expect(d.kind === 'ask' && d.panelistId).not.toBe('alex');
  });
});
