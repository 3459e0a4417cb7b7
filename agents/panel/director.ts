// Who speaks next in a mock panel, decided from the interview so far and nothing else (no dice, no clock):
// the same turns always give the same choice, so a workflow can replay it.
//
// The rules, in order:
// 1. Interview time gone: the interview ends.
// 2. A vague answer (see `isVague`) gets one follow-up from the panelist who asked, if they are within
//    their budget.
// 3. Otherwise the floor passes: to the panelist with the most uncovered weight (their competencies'
//    weights not yet asked about by anyone) who is still within their time budget, preferring anyone over
//    the last speaker. So a strong answer hands over, and nobody takes a third turn in a row while another
//    panelist still has something to ask.
// 4. When only about one more turn fits in the interview, it goes to the panelist with the most uncovered
//    weight, and the interview ends after it.
// 5. Nothing left to ask of anyone within budget: the interview ends.
import { SCORE_DIMENSIONS, type Scores } from '../../core/types.js';
import { handOverLine } from './handover.js';
import { interviewSec, panelistById, type PanelTemplate, type Panelist } from './template.js';

/** A finished turn: one question (or follow-up) and the judged answer. */
export interface PanelTurn {
  panelistId: string;
  competency: string;
  followUp: boolean;
  /** From the question's first word to the answer's last, hand-over included. */
  durationSec: number;
  /** The coach's judgement of the answer. */
  scores: Scores;
}

export interface DirectorState {
  template: PanelTemplate;
  turns: readonly PanelTurn[];
  /** Varies the hand-over wording between interviews (the panel interview's id). */
  seed: string;
}

export type EndReason =
  /** Every competency of every panelist has been asked about. */
  | 'covered'
  /** The interview's time is used up. */
  | 'time_up'
  /** Competencies are left, but every panelist who weighs them has used their budget. */
  | 'budgets_spent';

export type Direction =
  | {
      kind: 'ask';
      panelistId: string;
      competency: string;
      followUp: boolean;
      /** Said by the previous speaker before the next one asks; absent on the first turn and on a follow-up. */
      handOver?: string;
    }
  | { kind: 'end'; reason: EndReason };

/** A mean score at or below this is a vague answer, whoever asked. */
export const VAGUE_MEAN = 2.5;
/** A score at or below this on a dimension the asking panelist weighs is weak enough to probe. */
export const WEAK_SCORE = 2;
/** How many turns in a row a panelist may take while others still have something to ask. */
export const MAX_TURNS_IN_A_ROW = 2;
/** The length of a turn before any has been timed: a two-minute answer and its question. */
export const FIRST_TURN_ESTIMATE_SEC = 150;

/** Whether an answer invites the asking panelist's follow-up. */
export function isVague(scores: Scores, asker: Panelist): boolean {
  const mean = SCORE_DIMENSIONS.reduce((s, d) => s + scores[d], 0) / SCORE_DIMENSIONS.length;
  return mean <= VAGUE_MEAN || asker.dimensions.some((d) => scores[d] <= WEAK_SCORE);
}

const asked = (turns: readonly PanelTurn[]): ReadonlySet<string> => new Set(turns.map((t) => t.competency));

/**
 * A panelist's competencies nobody has asked about yet, heaviest first (ties in the order listed). A
 * competency two panelists weigh is covered for both once either asks: the candidate is not asked twice.
 */
export function uncovered(p: Panelist, turns: readonly PanelTurn[]): Panelist['competencies'] {
  const done = asked(turns);
  return p.competencies
    .map((c, i) => ({ c, i }))
    .filter(({ c }) => !done.has(c.competency))
    .sort((a, b) => b.c.weight - a.c.weight || a.i - b.i)
    .map(({ c }) => c);
}

export const uncoveredWeight = (p: Panelist, turns: readonly PanelTurn[]): number =>
  uncovered(p, turns).reduce((s, c) => s + c.weight, 0);

export const secondsUsed = (p: Panelist, turns: readonly PanelTurn[]): number =>
  turns.filter((t) => t.panelistId === p.id).reduce((s, t) => s + t.durationSec, 0);

export const withinBudget = (p: Panelist, turns: readonly PanelTurn[]): boolean =>
  secondsUsed(p, turns) < p.timeBudgetSec;

const elapsed = (turns: readonly PanelTurn[]) => turns.reduce((s, t) => s + t.durationSec, 0);

/** Whether only about one more turn fits: less time left than the mean turn so far has taken. */
function nearlyOut(template: PanelTemplate, turns: readonly PanelTurn[]): boolean {
  const estimate = turns.length ? elapsed(turns) / turns.length : FIRST_TURN_ESTIMATE_SEC;
  return interviewSec(template) - elapsed(turns) < estimate;
}

/** How many of the last turns in a row `panelistId` took. */
function run(turns: readonly PanelTurn[], panelistId: string): number {
  let n = 0;
  while (n < turns.length && turns[turns.length - 1 - n]!.panelistId === panelistId) n++;
  return n;
}

/** The panelist with the most uncovered weight; ties go to whoever spoke least recently, then panel order. */
function heaviest(candidates: readonly Panelist[], turns: readonly PanelTurn[]): Panelist | undefined {
  const lastSpoke = (p: Panelist) => turns.map((t) => t.panelistId).lastIndexOf(p.id);
  return [...candidates].sort(
    (a, b) => uncoveredWeight(b, turns) - uncoveredWeight(a, turns) || lastSpoke(a) - lastSpoke(b),
  )[0];
}

export function nextSpeaker(state: DirectorState): Direction {
  const { template, turns, seed } = state;
  const anythingLeft = template.panelists.some((p) => uncoveredWeight(p, turns) > 0);
  const last = turns.at(-1);
  // Out of time, or the last turn was already given as the final one: stop rather than squeeze in another.
  if (elapsed(turns) >= interviewSec(template) || (last && nearlyOut(template, turns.slice(0, -1))))
    return { kind: 'end', reason: anythingLeft ? 'time_up' : 'covered' };

  const candidates = template.panelists.filter(
    (p) => uncoveredWeight(p, turns) > 0 && withinBudget(p, turns),
  );
  const lastSpeaker = last ? panelistById(template, last.panelistId) : undefined;
  const others = candidates.filter((p) => p !== lastSpeaker);
  const held = lastSpeaker ? run(turns, lastSpeaker.id) : 0;
  const finalTurn = nearlyOut(template, turns);

  // A vague answer is followed up before the thread is left, unless the final turn is owed to a panelist
  // with competencies nobody has asked about. One follow-up per thread; since the floor otherwise passes to
  // someone else whenever anyone else has something to ask, the follow-up is at most a second turn in a row
  // while others wait.
  if (
    last &&
    lastSpeaker &&
    !last.followUp &&
    isVague(last.scores, lastSpeaker) &&
    withinBudget(lastSpeaker, turns) &&
    !(finalTurn && candidates.length > 0)
  )
    return { kind: 'ask', panelistId: lastSpeaker.id, competency: last.competency, followUp: true };

  // Otherwise the floor passes to someone else while anyone else has something to ask: a strong answer
  // hands over. The final turn goes to the heaviest uncovered weight, the last speaker included unless they
  // have already had two turns in a row.
  const pool =
    others.length === 0 ? candidates : finalTurn && held < MAX_TURNS_IN_A_ROW ? candidates : others;
  const next = heaviest(pool, turns);
  if (!next) return { kind: 'end', reason: anythingLeft ? 'budgets_spent' : 'covered' };
  const competency = uncovered(next, turns)[0]!.competency;
  const ask = { kind: 'ask', panelistId: next.id, competency, followUp: false } as const;
  return lastSpeaker && lastSpeaker !== next
    ? { ...ask, handOver: handOverLine(next.name, competency, seed, turns.length) }
    : ask;
}
