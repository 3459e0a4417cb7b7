// A panel interview as the session records it, turned into what the director and the scorecards read: each
// turn's speaking time and where its answer sits in the interview. The clock is speaking time, not wall time:
// a typed answer counts as if it had been said aloud, a spoken one for as long as it was spoken. So an
// interview that waits overnight for an answer, or resumes after a worker restart, keeps the same clock, and
// the director's choices replay exactly.
import type { Scores } from '../../core/types.js';
import { wordCount } from '../coach-text/text.js';
import { buildDebrief, type PanelDebrief } from './debrief.js';
import type { PanelTurn } from './director.js';
import { scorecardFor, type JudgedTurn, type Scorecard } from './scorecard.js';
import type { PanelTemplate } from './template.js';

/** How fast panelists speak (the TTS rate) and how fast a typed answer would have been said. */
export const QUESTION_WPM = 160;
export const ANSWER_WPM = 140;

/** Seconds it takes to say `words` at `wpm`. */
export const seconds = (words: number, wpm: number): number => Math.round((words / wpm) * 60);

/** A judged panel turn as the workflow keeps it: ids and scores, no text. */
export interface PanelTurnRecord {
  turnId: string;
  panelistId: string;
  competency: string;
  followUp: boolean;
  scores: Scores;
}

/** What the session's stored turn says of it: the words said and, for a spoken answer, how long it took. */
export interface SpokenTurn {
  question: string;
  handOver?: string;
  answer: string;
  /** A spoken answer's measured length. */
  answerSec?: number;
}

export interface Timeline {
  turns: PanelTurn[];
  judged: JudgedTurn[];
}

/** The turns on the interview's clock; a record without its stored turn counts as silent. */
export function timeline(
  records: readonly PanelTurnRecord[],
  spoken: ReadonlyMap<string, SpokenTurn>,
): Timeline {
  let clock = 0;
  const turns: PanelTurn[] = [];
  const judged: JudgedTurn[] = [];
  for (const r of records) {
    const said = spoken.get(r.turnId);
    const asking = said ? seconds(wordCount(`${said.handOver ?? ''} ${said.question}`), QUESTION_WPM) : 0;
    const answering = said ? (said.answerSec ?? seconds(wordCount(said.answer), ANSWER_WPM)) : 0;
    const durationSec = asking + answering;
    turns.push({
      panelistId: r.panelistId,
      competency: r.competency,
      followUp: r.followUp,
      durationSec,
      scores: r.scores,
    });
    judged.push({
      turnId: r.turnId,
      askedBy: r.panelistId,
      competency: r.competency,
      atSec: clock + asking,
      answer: said?.answer ?? '',
      scores: r.scores,
    });
    clock += durationSec;
  }
  return { turns, judged };
}

/** Seconds of the interview each panelist has used, every panelist listed. */
export function timeUsed(template: PanelTemplate, turns: readonly PanelTurn[]): Record<string, number> {
  return Object.fromEntries(
    template.panelists.map((p) => [
      p.id,
      turns.filter((t) => t.panelistId === p.id).reduce((s, t) => s + t.durationSec, 0),
    ]),
  );
}

/** Each panelist's own scorecard, then the debrief built from them (null before any answer was judged). */
export function panelOutcome(
  template: PanelTemplate,
  judged: readonly JudgedTurn[],
): { scorecards: Scorecard[]; debrief: PanelDebrief | null } {
  const scorecards = template.panelists
    .map((p) => scorecardFor(p, judged))
    .filter((s): s is Scorecard => s !== null);
  return { scorecards, debrief: scorecards.length ? buildDebrief(template, scorecards) : null };
}
